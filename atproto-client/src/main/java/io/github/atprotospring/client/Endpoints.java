package io.github.atprotospring.client;

import java.net.URI;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Service URLs, how they appear in messages, and the PDS endpoint named by a DID
 * document.
 * <p>
 * The DID document of a session answer comes from a server the client does not control,
 * and its endpoint is where the tokens go next. It is read as the reference TypeScript
 * client reads it ({@code @atproto/common-web}'s {@code getPdsEndpoint}): the document
 * must have the shape of a DID document, the first service whose id is
 * {@code #atproto_pds} or {@code <did>#atproto_pds} must be of type
 * {@code AtprotoPersonalDataServer} and name an http(s) URL with a host. Beyond that, the
 * document's {@code id} must be the session's DID, the URL must carry no user-info, and a
 * plain {@code http://} endpoint is refused when the service itself is {@code https://}.
 * A document that fails a check is ignored, with a warning, and calls keep going to the
 * service that answered.
 */
final class Endpoints {

	static final String PDS_SERVICE_ID = "#atproto_pds";

	static final String PDS_SERVICE_TYPE = "AtprotoPersonalDataServer";

	private static final Logger logger = LoggerFactory.getLogger(Endpoints.class);

	private Endpoints() {
	}

	/**
	 * A service or PDS URL without surrounding whitespace and trailing slashes.
	 * @param url the URL
	 * @return the URL, normalized
	 * @throws IllegalArgumentException if the URL carries user-info
	 * ({@code user:password@host}): no HTTP client of the client's sends it, and it would
	 * show wherever the URL is logged; the message does not quote the URL
	 */
	static String normalize(String url) {
		if (hasUserInfo(url)) {
			throw new IllegalArgumentException("An atproto service or PDS URL must not carry user-info "
					+ "(user:password@host): the client never sends it, and it would show wherever the URL is logged");
		}
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

	/**
	 * The PDS endpoint a DID document names for a session, if it passes every check.
	 * @param nsid the method whose answer carried the document, for the warning
	 * @param didDoc the document, or {@code null} (or JSON null) when the answer has none
	 * @param did the session's DID
	 * @param service the URL the answer came from, which the session keeps using when the
	 * document is ignored
	 * @return the endpoint, normalized, or empty to keep using the service
	 */
	static Optional<String> pdsEndpoint(String nsid, JsonNode didDoc, String did, String service) {
		if (didDoc == null || didDoc.isNull() || didDoc.isMissingNode()) {
			return Optional.empty();
		}
		String problem = shapeProblem(didDoc);
		if (problem == null && !didDoc.get("id").stringValue().equals(did)) {
			problem = "it is the document of " + ServerText.clean(didDoc.get("id").stringValue(), 200)
					+ ", not of the session's DID";
		}
		if (problem != null) {
			return ignored(nsid, did, service, problem);
		}
		JsonNode pds = null;
		for (JsonNode candidate : didDoc.path("service")) {
			String id = candidate.get("id").stringValue();
			if (id.equals(PDS_SERVICE_ID) || id.equals(did + PDS_SERVICE_ID)) {
				pds = candidate;
				break;
			}
		}
		if (pds == null) {
			return ignored(nsid, did, service, "it names no " + PDS_SERVICE_ID + " service");
		}
		if (!PDS_SERVICE_TYPE.equals(pds.get("type").stringValue())) {
			return ignored(nsid, did, service, "its " + PDS_SERVICE_ID + " service is not of type " + PDS_SERVICE_TYPE);
		}
		if (!pds.get("serviceEndpoint").isString()) {
			return ignored(nsid, did, service, "its " + PDS_SERVICE_ID + " service has no URL");
		}
		String endpoint = pds.get("serviceEndpoint").stringValue();
		if (!isHttpUrl(endpoint)) {
			return ignored(nsid, did, service,
					"its " + PDS_SERVICE_ID + " endpoint is not an http or https URL with a host");
		}
		URI uri = URI.create(endpoint.strip());
		if (hasUserInfo(endpoint)) {
			return ignored(nsid, did, service, "its " + PDS_SERVICE_ID + " endpoint carries user-info");
		}
		if ("http".equalsIgnoreCase(uri.getScheme()) && isHttps(service)) {
			return ignored(nsid, did, service, "its " + PDS_SERVICE_ID + " endpoint " + describe(uri)
					+ " is plain http, and the tokens came over https");
		}
		return Optional.of(normalize(endpoint));
	}

	/**
	 * Why a document does not have the shape of a DID document, as the reference client's
	 * schema has it, or {@code null} if it does.
	 */
	private static String shapeProblem(JsonNode doc) {
		if (!doc.isObject()) {
			return "it is not a JSON object";
		}
		if (!isString(doc.get("id"))) {
			return "it has no id";
		}
		JsonNode alsoKnownAs = doc.get("alsoKnownAs");
		if (alsoKnownAs != null && !(alsoKnownAs.isArray() && allMatch(alsoKnownAs, Endpoints::isString))) {
			return "its alsoKnownAs is not a list of strings";
		}
		JsonNode methods = doc.get("verificationMethod");
		if (methods != null
				&& !(methods.isArray() && allMatch(methods,
						(method) -> method.isObject() && isString(method.get("id")) && isString(method.get("type"))
								&& isString(method.get("controller"))
								&& optionalString(method.get("publicKeyMultibase"))))) {
			return "its verificationMethod is malformed";
		}
		JsonNode services = doc.get("service");
		if (services != null && !(services.isArray() && allMatch(services,
				(service) -> service.isObject() && isString(service.get("id")) && isString(service.get("type"))
						&& service.get("serviceEndpoint") != null
						&& (service.get("serviceEndpoint").isString() || service.get("serviceEndpoint").isObject())))) {
			return "its service list is malformed";
		}
		return null;
	}

	private static Optional<String> ignored(String nsid, String did, String service, String problem) {
		logger.warn("The DID document in the {} answer for {} is ignored because {}; calls keep going to {}", nsid,
				ServerText.clean(did, 200), problem, describe(service));
		return Optional.empty();
	}

	private static boolean isString(JsonNode node) {
		return node != null && node.isString();
	}

	private static boolean optionalString(JsonNode node) {
		return node == null || node.isString();
	}

	private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
		for (JsonNode element : array) {
			if (!test.test(element)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the authority of a URL (between {@code //} and the path) holds an
	 * {@code @}.
	 */
	static boolean hasUserInfo(String url) {
		int start = url.indexOf("//");
		if (start < 0) {
			return false;
		}
		int end = start + 2;
		while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
			end++;
		}
		return url.substring(start + 2, end).indexOf('@') >= 0;
	}

	private static boolean isHttps(String url) {
		try {
			return "https".equalsIgnoreCase(URI.create(url.strip()).getScheme());
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	static boolean isHttpUrl(String value) {
		if (value == null || ServerText.hasWhitespaceOrControl(value.strip())) {
			return false;
		}
		try {
			URI uri = URI.create(value.strip());
			return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
					&& uri.getHost() != null && !uri.getHost().isEmpty();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * A URL as messages show it: scheme, host and port, never user-info, path or query.
	 * @param url the URL
	 * @return for example {@code https://bsky.social} or {@code http://127.0.0.1:2583}
	 */
	static String describe(String url) {
		try {
			return describe(URI.create(url.strip()));
		}
		catch (RuntimeException ex) {
			return "an unreadable URL";
		}
	}

	/**
	 * A URL as messages show it: scheme, host and port, never user-info, path or query.
	 * @param uri the URL
	 * @return for example {@code https://bsky.social} or {@code http://127.0.0.1:2583}
	 */
	static String describe(URI uri) {
		if (uri.getScheme() == null || uri.getHost() == null) {
			return "an unreadable URL";
		}
		String described = uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost()
				+ ((uri.getPort() >= 0) ? ":" + uri.getPort() : "");
		return ServerText.clean(described, 300);
	}

	/**
	 * Where a redirect points, as messages show it.
	 * @param request the URL that was redirected
	 * @param location the {@code Location} header, or {@code null}
	 * @return scheme, host and port of the target, or words for a location that names
	 * none
	 */
	static String describeLocation(URI request, String location) {
		if (location == null || location.isBlank()) {
			return "no location";
		}
		try {
			return describe(request.resolve(location.strip()));
		}
		catch (RuntimeException ex) {
			return "an unreadable location";
		}
	}

}
