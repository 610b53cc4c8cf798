package io.github.atprotospring.client;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a session that the PHP and TypeScript SDKs store, so that a bot moves
 * between them and this client, or services in those languages share one account's
 * session, without a new login.
 * <p>
 * Both forms are a JSON object with the fields of the {@code createSession} answer:
 * <ul>
 * <li>the PHP SDK stores {@code json_encode} of that answer: {@code accessJwt},
 * {@code refreshJwt}, {@code handle}, {@code did}, {@code didDoc}, {@code email},
 * {@code emailConfirmed}, {@code emailAuthFactor}, {@code active}, {@code status};</li>
 * <li>the TypeScript SDK ({@code @atproto/api}) hands {@code AtpSessionData} to its
 * {@code persistSession} callback and takes it back in {@code resumeSession}: the same
 * fields without {@code didDoc}. It carries no PDS URL: the TypeScript SDK learns the PDS
 * again from the {@code refreshSession} that {@code resumeSession} always makes.</li>
 * </ul>
 * {@link #parse(String, String) Reading} takes the PDS endpoint from the {@code didDoc}'s
 * {@code #atproto_pds} service when there is one, else the given fallback (the client's
 * service); unknown fields are ignored, as both SDKs add fields over time.
 * {@link #format(Session) Writing} gives the PHP form, which the TypeScript SDK reads as
 * well: its {@code didDoc} is a minimal DID document holding only the session's PDS
 * endpoint, so that the endpoint survives the trip. Like a session string, the JSON holds
 * both tokens: treat it as a secret.
 * <p>
 * The text may come from anywhere: it is capped at {@value #MAX_LENGTH} characters and a
 * nesting depth of {@value #MAX_DEPTH}, a field given twice is refused, and an error
 * message names the field that is missing or wrong but never echoes a token (nor the
 * parser's own message, which may quote the text).
 */
public final class SessionJson {

	/**
	 * The longest text read, in characters; a real session with its DID document has
	 * about 1,500.
	 */
	public static final int MAX_LENGTH = 64 * 1024;

	/** The deepest nesting of objects and arrays read. */
	public static final int MAX_DEPTH = 16;

	private static final int MAX_HANDLE_LENGTH = 253;

	private static final int MAX_DID_LENGTH = 2048;

	private static final int MAX_TEXT_LENGTH = 1024;

	private static final String PDS_SERVICE_ID = "#atproto_pds";

	private static final String PDS_SERVICE_TYPE = "AtprotoPersonalDataServer";

	private static final String DID_CONTEXT = "https://www.w3.org/ns/did/v1";

	private static final JsonMapper JSON = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(
					StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxDocumentLength(MAX_LENGTH).build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build())
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private SessionJson() {
	}

	/**
	 * Whether a text has the shape of the JSON form rather than of a session string: its
	 * first character that is not blank is <code>{</code>.
	 * @param text the text, may be {@code null}
	 * @return {@code true} if it should be read with {@link #parse(String, String)}
	 */
	public static boolean isJson(String text) {
		return text != null && text.stripLeading().startsWith("{");
	}

	/**
	 * Reads a session in the JSON form of the PHP or the TypeScript SDK. No network call
	 * is made.
	 * @param json the JSON object
	 * @param fallbackPdsEndpoint the PDS endpoint when the JSON has no {@code didDoc}
	 * that names one (the service the session was made on)
	 * @return the session it holds
	 * @throws IllegalArgumentException if the JSON is malformed; the message names the
	 * field that is missing or wrong, never a token
	 */
	public static Session parse(String json, String fallbackPdsEndpoint) {
		Objects.requireNonNull(fallbackPdsEndpoint, "fallbackPdsEndpoint");
		if (!Endpoints.isHttpUrl(fallbackPdsEndpoint.strip())) {
			throw new IllegalArgumentException(
					"The fallback PDS endpoint must be an http or https URL, but was '" + fallbackPdsEndpoint + "'");
		}
		JsonNode root = read(json);
		String accessJwt = requireJwt(root, "accessJwt");
		String refreshJwt = requireJwt(root, "refreshJwt");
		String handle = requireText(root, "handle", MAX_HANDLE_LENGTH);
		String did = requireText(root, "did", MAX_DID_LENGTH);
		if (!did.startsWith("did:")) {
			throw new IllegalArgumentException("Field did of the session JSON must start with 'did:'");
		}
		String pdsEndpoint = pdsEndpoint(root.get("didDoc"), did, fallbackPdsEndpoint)
			.orElse(Endpoints.normalize(fallbackPdsEndpoint));
		String email = optionalText(root, "email");
		Boolean emailConfirmed = optionalBoolean(root, "emailConfirmed");
		// Read to refuse a wrong type, but a Session has no place for it.
		optionalBoolean(root, "emailAuthFactor");
		Boolean active = optionalBoolean(root, "active");
		String status = optionalText(root, "status");
		return new Session(handle, did, accessJwt, refreshJwt, pdsEndpoint, email, emailConfirmed, active, status);
	}

	/**
	 * Writes a session in the JSON form: the fields of the {@code createSession} answer,
	 * as the PHP SDK stores them, which the TypeScript SDK's {@code resumeSession} takes
	 * as {@code AtpSessionData}. The {@code didDoc} is a minimal DID document with the
	 * session's DID and one {@code #atproto_pds} service, its PDS endpoint (no keys, no
	 * handle). {@code active} is written {@code true} when the server never said, as the
	 * TypeScript SDK itself assumes; {@code email}, {@code emailConfirmed} and
	 * {@code status} only when known.
	 * @param session the session
	 * @return the JSON object, on one line; it contains both tokens, so treat it as a
	 * secret
	 */
	public static String format(Session session) {
		Objects.requireNonNull(session, "session");
		ObjectNode root = JSON.createObjectNode();
		root.put("accessJwt", session.accessJwt());
		root.put("refreshJwt", session.refreshJwt());
		root.put("handle", session.handle());
		root.put("did", session.did());
		ObjectNode didDoc = root.putObject("didDoc");
		didDoc.putArray("@context").add(DID_CONTEXT);
		didDoc.put("id", session.did());
		ObjectNode service = didDoc.putArray("service").addObject();
		service.put("id", PDS_SERVICE_ID);
		service.put("type", PDS_SERVICE_TYPE);
		service.put("serviceEndpoint", session.pdsEndpoint());
		if (session.email() != null) {
			root.put("email", session.email());
		}
		if (session.emailConfirmed() != null) {
			root.put("emailConfirmed", session.emailConfirmed());
		}
		root.put("active", (session.active() != null) ? session.active() : Boolean.TRUE);
		if (session.status() != null) {
			root.put("status", session.status());
		}
		return JSON.writeValueAsString(root);
	}

	private static JsonNode read(String json) {
		if (json == null || json.isBlank()) {
			throw new IllegalArgumentException("The session JSON is empty");
		}
		if (json.length() > MAX_LENGTH) {
			throw new IllegalArgumentException(
					"The session JSON is " + json.length() + " characters long; at most " + MAX_LENGTH + " are read");
		}
		JsonNode root;
		try {
			root = JSON.readTree(json);
		}
		catch (JacksonException ex) {
			// The parser's message may quote the text, tokens included: only its position
			// is passed on, and the exception is not attached as the cause.
			throw new IllegalArgumentException("The session JSON is not one well-formed JSON object"
					+ position(ex.getLocation()) + ": " + (isDuplicate(ex) ? "a field is given twice"
							: "check its syntax and its nesting (at most " + MAX_DEPTH + " levels)"));
		}
		if (root == null || !root.isObject()) {
			throw new IllegalArgumentException(
					"The session JSON must be a JSON object, but is " + ((root == null) ? "empty" : describe(root)));
		}
		return root;
	}

	private static boolean isDuplicate(JacksonException ex) {
		String message = ex.getOriginalMessage();
		return message != null && message.startsWith("Duplicate ");
	}

	private static String position(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

	private static String requireJwt(JsonNode root, String field) {
		String value = requireString(root, field, MAX_LENGTH);
		// A token goes into an Authorization header: nothing but base64url and the two
		// dots may pass, which also keeps CR and LF out.
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '.')) {
				throw new IllegalArgumentException("Field " + field
						+ " of the session JSON holds a character a JWT cannot have (only base64url and dots)");
			}
		}
		if (!Jwts.isJwt(value)) {
			throw new IllegalArgumentException(
					"Field " + field + " of the session JSON is not a JWT (three base64url parts with a JSON payload)");
		}
		return value;
	}

	private static String requireText(JsonNode root, String field, int maxLength) {
		String value = requireString(root, field, maxLength);
		for (int i = 0; i < value.length(); i++) {
			if (Character.isWhitespace(value.charAt(i)) || Character.isISOControl(value.charAt(i))) {
				throw new IllegalArgumentException(
						"Field " + field + " of the session JSON contains a blank or a control character");
			}
		}
		return value;
	}

	private static String requireString(JsonNode root, String field, int maxLength) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			throw new IllegalArgumentException("Field " + field + " of the session JSON is missing");
		}
		if (!node.isString()) {
			throw new IllegalArgumentException(
					"Field " + field + " of the session JSON must be a string, but is " + describe(node));
		}
		String value = node.stringValue();
		if (value.isBlank()) {
			throw new IllegalArgumentException("Field " + field + " of the session JSON is empty");
		}
		if (value.length() > maxLength) {
			throw new IllegalArgumentException("Field " + field + " of the session JSON is " + value.length()
					+ " characters long; at most " + maxLength + " are read");
		}
		return value;
	}

	private static String optionalText(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw new IllegalArgumentException(
					"Field " + field + " of the session JSON must be a string, but is " + describe(node));
		}
		String value = node.stringValue();
		if (value.length() > MAX_TEXT_LENGTH) {
			throw new IllegalArgumentException("Field " + field + " of the session JSON is " + value.length()
					+ " characters long; at most " + MAX_TEXT_LENGTH + " are read");
		}
		if (value.chars().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("Field " + field + " of the session JSON contains a control character");
		}
		return value.isBlank() ? null : value;
	}

	private static Boolean optionalBoolean(JsonNode root, String field) {
		JsonNode node = root.get(field);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isBoolean()) {
			throw new IllegalArgumentException(
					"Field " + field + " of the session JSON must be true or false, but is " + describe(node));
		}
		return node.booleanValue();
	}

	/**
	 * The PDS endpoint the {@code didDoc} names, if any. A document of another DID is
	 * refused: following it would send this account's tokens to someone else's PDS.
	 */
	private static Optional<String> pdsEndpoint(JsonNode didDoc, String did, String fallbackPdsEndpoint) {
		if (didDoc == null || didDoc.isNull()) {
			return Optional.empty();
		}
		if (!didDoc.isObject()) {
			throw new IllegalArgumentException(
					"Field didDoc of the session JSON must be an object (a DID document), but is " + describe(didDoc));
		}
		JsonNode id = didDoc.get("id");
		if (id != null && !id.isNull() && !(id.isString() && id.stringValue().equals(did))) {
			throw new IllegalArgumentException(
					"Field didDoc.id of the session JSON does not name the DID of field did (" + did + ")");
		}
		JsonNode services = didDoc.get("service");
		if (services != null && !services.isNull() && !(services instanceof ArrayNode)) {
			throw new IllegalArgumentException(
					"Field didDoc.service of the session JSON must be an array, but is " + describe(services));
		}
		return Endpoints.pdsEndpoint("importSession", didDoc, did, fallbackPdsEndpoint);
	}

	private static String describe(JsonNode node) {
		return switch (node.getNodeType()) {
			case OBJECT -> "an object";
			case ARRAY -> "an array";
			case NULL, MISSING -> "null";
			default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
		};
	}

}
