package io.github.atprotospring.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One XRPC round trip over a {@link RestClient}: builds {@code <base>/xrpc/<nsid>}, sends
 * JSON, reads JSON, and turns an error answer into the matching {@link XrpcException}
 * (through the {@link XrpcErrorDecoder}). Knows nothing of sessions; the caller passes
 * the bearer token.
 * <p>
 * Every answer is treated as coming from a hostile server: a redirect is refused, a body
 * is read up to a limit (an error body up to a few KB) and never drained beyond it, a
 * success must be one JSON object, and every failure is an {@link AtprotoException} whose
 * message names the method and the server (scheme, host and port only) and holds no
 * token, password or URL user-info.
 */
final class Xrpc {

	private static final Logger logger = LoggerFactory.getLogger(Xrpc.class);

	/** The longest a property name from an answer may be to appear in a message. */
	private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,64}");

	/** An NSID that may stand in a URI template as it is: no braces, bounded. */
	private static final Pattern NSID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,316}");

	/**
	 * The request attribute Spring's {@code RestClient} reads the URI template of its
	 * observation from ({@code http.client.requests}). Set directly rather than through
	 * {@code uri(template, function)}, which parses the template twice on every call.
	 */
	static final String URI_TEMPLATE_ATTRIBUTE = RestClient.class.getName() + ".uriTemplate";

	/** Most URIs of calls without parameters kept, so that they are built once. */
	private static final int MAX_CACHED_URIS = 256;

	/**
	 * The header that asks a PDS to proxy a call to a service, such as the chat service.
	 */
	static final String ATPROTO_PROXY = "atproto-proxy";

	private final Map<String, URI> plainUris = new ConcurrentHashMap<>();

	private final RestClient rest;

	private final JsonMapper json;

	private final Clock clock;

	private final XrpcErrorDecoder errorDecoder;

	private final long maxResponseSize;

	private final ClientObservations observations;

	Xrpc(RestClient rest, JsonMapper json, Clock clock) {
		this(rest, json, clock, XrpcErrorDecoder.standard(), XrpcHttp.DEFAULT_MAX_RESPONSE_SIZE,
				ClientObservations.NONE);
	}

	Xrpc(RestClient rest, JsonMapper json, Clock clock, XrpcErrorDecoder errorDecoder, long maxResponseSize,
			ClientObservations observations) {
		this.rest = rest;
		this.json = json;
		this.clock = clock;
		this.errorDecoder = errorDecoder;
		this.maxResponseSize = Math.min(maxResponseSize, XrpcHttp.MAX_RESPONSE_SIZE_LIMIT);
		this.observations = observations;
	}

	JsonMapper json() {
		return this.json;
	}

	<T> T query(String base, String nsid, Map<String, ?> params, String bearer, Class<T> type) {
		return call(base, nsid, false, params, null, null, null, bearer, type);
	}

	<T> T procedure(String base, String nsid, Object body, String bearer, Class<T> type) {
		URI uri = plainUri(base, nsid);
		byte[] content = (body != null) ? this.json.writeValueAsBytes(body) : null;
		return send(HttpMethod.POST, uri, nsid, content, (content != null) ? MediaType.APPLICATION_JSON : null, null,
				RequestSecrets.of(bearer, body), bearer, type);
	}

	/**
	 * A call of the typed API: a query, or a procedure with a JSON input, bytes or
	 * nothing; with an {@code atproto-proxy} header if one is given. An output type of
	 * {@code byte[]} reads the answer's bytes as they are.
	 * @param input the JSON input (a record of the typed API, a tree, a map), or
	 * {@code byte[]} with a media type
	 * @param mediaType the media type of bytes, {@code null} for JSON
	 */
	<T> T call(String base, String nsid, boolean procedure, Map<String, ?> params, Object input, MediaType mediaType,
			String proxy, String bearer, Class<T> type) {
		URI target;
		if (params == null || params.isEmpty()) {
			target = plainUri(base, nsid);
		}
		else {
			UriComponentsBuilder uri = xrpcUri(base, nsid);
			addParams(uri, params);
			target = uri.encode().build().toUri();
		}
		byte[] content = null;
		MediaType contentType = null;
		RequestSecrets secrets = RequestSecrets.of(bearer, null);
		if (input instanceof byte[] bytes) {
			content = bytes;
			contentType = mediaType;
		}
		else if (input != null) {
			// As a tree, so that the secrets of a typed input (a password, a token) are
			// known to be cleaned from what the server answers.
			JsonNode tree = this.json.valueToTree(input);
			content = this.json.writeValueAsBytes(tree);
			contentType = MediaType.APPLICATION_JSON;
			secrets = RequestSecrets.of(bearer, tree);
		}
		return send(procedure ? HttpMethod.POST : HttpMethod.GET, target, nsid, content, contentType, proxy, secrets,
				bearer, type);
	}

	private static void addParams(UriComponentsBuilder uri, Map<String, ?> params) {
		if (params != null) {
			params.forEach((name, value) -> {
				if (value instanceof Iterable<?> values) {
					values.forEach((v) -> uri.queryParam(name, v));
				}
				else if (value != null) {
					uri.queryParam(name, value);
				}
			});
		}
	}

	/**
	 * {@code <base>/xrpc/<nsid>}, built once per base and method (up to
	 * {@link #MAX_CACHED_URIS}, then built on every call).
	 */
	private URI plainUri(String base, String nsid) {
		String key = base + ' ' + nsid;
		URI uri = this.plainUris.get(key);
		if (uri == null) {
			uri = xrpcUri(base, nsid).build().toUri();
			if (this.plainUris.size() < MAX_CACHED_URIS) {
				this.plainUris.put(key, uri);
			}
		}
		return uri;
	}

	/**
	 * {@code <base>/xrpc/<nsid>}. The base is parsed by {@link URI} rather than by
	 * Spring's URI parser, which logs every part of a URL (user-info included) at TRACE.
	 */
	private static UriComponentsBuilder xrpcUri(String base, String nsid) {
		return UriComponentsBuilder.newInstance().uri(URI.create(base)).path("/xrpc/" + nsid);
	}

	private <T> T send(HttpMethod method, URI uri, String nsid, byte[] content, MediaType contentType, String proxy,
			RequestSecrets secrets, String bearer, Class<T> type) {
		return this.observations.xrpc(nsid, method.name(), uri, (answered) -> exchange(method, uri, nsid, content,
				contentType, proxy, secrets, bearer, type, answered));
	}

	/**
	 * The URI template that observations of the HTTP exchange (Spring's
	 * {@code http.client.requests}) tag the call with: the path, with the method's NSID
	 * (a bounded name of the protocol) and without the server (tagged apart, as
	 * {@code client.name}) or the query.
	 */
	private static String uriTemplate(String nsid) {
		return (nsid != null && NSID.matcher(nsid).matches()) ? "/xrpc/" + nsid : "/xrpc/{nsid}";
	}

	private <T> T exchange(HttpMethod method, URI uri, String nsid, byte[] content, MediaType contentType, String proxy,
			RequestSecrets secrets, String bearer, Class<T> type, IntConsumer answered) {
		long started = System.nanoTime();
		try {
			// The template only names the call; the URI sent is the one built here, so
			// that the base URL is never parsed by Spring's URI parser.
			RestClient.RequestBodySpec request = this.rest.method(method)
				.uri(uri)
				.attribute(URI_TEMPLATE_ATTRIBUTE, uriTemplate(nsid))
				.accept((type == byte[].class) ? MediaType.ALL : MediaType.APPLICATION_JSON);
			if (bearer != null) {
				request.header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
			}
			if (proxy != null) {
				request.header(ATPROTO_PROXY, proxy);
			}
			if (content != null) {
				request.contentType(contentType).body(content);
			}
			return request.exchange((req, response) -> {
				answered.accept(response.getStatusCode().value());
				return read(nsid, uri, response, type, secrets);
			}, true);
		}
		catch (AtprotoException ex) {
			throw ex;
		}
		catch (ResourceAccessException ex) {
			throw transportFailure(nsid, uri, ex, started);
		}
		catch (RuntimeException ex) {
			// A request the HTTP client refused to send, or a failure inside it: its text
			// may quote a header, so only its type is told.
			throw new XrpcTransportException(nsid, nsid + " could not be sent to " + Endpoints.describe(uri) + " ("
					+ ex.getClass().getSimpleName() + ")", null);
		}
	}

	private <T> T read(String nsid, URI uri, ClientHttpResponse response, Class<T> type, RequestSecrets secrets)
			throws IOException {
		int status = response.getStatusCode().value();
		InputStream body = response.getBody();
		try {
			if (status >= 300 && status < 400) {
				throw redirected(nsid, status, uri, response.getHeaders(), secrets);
			}
			if (status >= 200 && status < 300) {
				return success(nsid, status, response.getHeaders(), body, type);
			}
			Instant receivedAt = this.clock.instant();
			Bounded start = Bounded.read(body, XrpcHttp.MAX_ERROR_BODY_SIZE);
			XrpcErrorDecoder.Answer answer = new XrpcErrorDecoder.Answer(nsid, status,
					secrets.redact(response.getHeaders()), secrets.redactBody(start.bytes(), this.json),
					start.truncated(), receivedAt);
			throw decode(answer);
		}
		finally {
			// Closed here, before the response is: Spring's JDK response would read the
			// rest of an abandoned body (a hostile one may be endless) to reuse the
			// connection.
			closeQuietly(body);
		}
	}

	private <T> T success(String nsid, int status, HttpHeaders headers, InputStream body, Class<T> type)
			throws IOException {
		if (type == Void.class) {
			// Read a little, so that the connection can be reused after a short answer.
			Bounded.read(body, XrpcHttp.MAX_ERROR_BODY_SIZE);
			return null;
		}
		long declared = headers.getContentLength();
		if (declared > this.maxResponseSize) {
			throw tooLarge(nsid, status);
		}
		Bounded content = Bounded.read(body, (int) this.maxResponseSize);
		if (content.truncated()) {
			throw tooLarge(nsid, status);
		}
		if (type == byte[].class) {
			return type.cast(content.bytes());
		}
		if (content.bytes().length == 0) {
			throw invalid(nsid, status,
					"The answer is empty, where a JSON object (" + type.getSimpleName() + ") was expected");
		}
		try (JsonParser parser = this.json.createParser(content.bytes())) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid(nsid, status, "The answer is not a JSON object");
			}
			T value = (type == JsonNode.class) ? type.cast(this.json.readTree(parser))
					: this.json.readValue(parser, type);
			if (value == null) {
				throw invalid(nsid, status, "The answer could not be read as " + type.getSimpleName());
			}
			if (parser.nextToken() != null) {
				throw invalid(nsid, status, "The answer has more after its JSON object");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw invalid(nsid, status, "The answer could not be read as " + type.getSimpleName() + " ("
					+ ex.getClass().getSimpleName() + describePath(ex) + ")");
		}
	}

	private XrpcException decode(XrpcErrorDecoder.Answer answer) {
		XrpcException decoded;
		try {
			decoded = this.errorDecoder.decode(answer);
		}
		catch (RuntimeException ex) {
			logger.warn("The XrpcErrorDecoder {} failed on a {} answer to {} ({}); the standard decoder is used",
					this.errorDecoder.getClass().getName(), answer.status(), answer.nsid(), ex.getClass().getName());
			decoded = null;
		}
		if (decoded == null) {
			decoded = XrpcErrorDecoder.standard().decode(answer);
		}
		if (decoded instanceof RateLimitExceededException limited) {
			decoded = RateLimitHeaders.bounded(limited, answer.receivedAt());
		}
		return decoded;
	}

	private static XrpcException redirected(String nsid, int status, URI uri, HttpHeaders headers,
			RequestSecrets secrets) {
		String target = Endpoints.describeLocation(uri, headers.getFirst(HttpHeaders.LOCATION));
		return new XrpcException(nsid, status, "Redirect", secrets.redact("The server at " + Endpoints.describe(uri)
				+ " redirected the call to " + target + "; the client does not follow redirects, so that no "
				+ "password or token is sent to a host other than the one configured. If that host is the right "
				+ "one, configure its URL instead"));
	}

	private XrpcException tooLarge(String nsid, int status) {
		return invalid(nsid, status, "The answer is larger than the client reads (" + this.maxResponseSize
				+ " bytes, the maximum response size); it was not read further");
	}

	private static XrpcException invalid(String nsid, int status, String message) {
		return new XrpcException(nsid, status, "InvalidResponse", message);
	}

	/** Where in the answer reading failed, by property names that are safe to show. */
	private static String describePath(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			String name = reference.getPropertyName();
			if (name != null) {
				path.append(path.isEmpty() ? "" : ".").append(SAFE_NAME.matcher(name).matches() ? name : "?");
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "" : " at " + path;
	}

	/**
	 * A transport failure told in words: what happened, to which server, and after how
	 * long. The cause kept is the HTTP client's failure below Spring's wrapper, whose
	 * message holds the whole URL.
	 */
	private static XrpcTransportException transportFailure(String nsid, URI uri, ResourceAccessException ex,
			long started) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		long millis = (System.nanoTime() - started) / 1_000_000;
		String message = nsid + " got no answer from " + Endpoints.describe(uri) + ": " + describeFailure(ex)
				+ " after " + millis + " ms (" + cause.getClass().getSimpleName() + ")";
		return new XrpcTransportException(nsid, message, (uri.getRawUserInfo() == null && cause != ex) ? cause : null);
	}

	private static String describeFailure(Throwable ex) {
		if (Thread.currentThread().isInterrupted() || mentions(ex, "interrupted")
				|| has(ex, InterruptedIOException.class) && !has(ex, SocketTimeoutException.class)
						&& !has(ex, HttpTimeoutException.class)) {
			return "the calling thread was interrupted";
		}
		if (has(ex, HttpConnectTimeoutException.class) || mentions(ex, "connect timed out")) {
			return "connecting timed out";
		}
		if (has(ex, HttpTimeoutException.class) || has(ex, SocketTimeoutException.class)) {
			return "the answer timed out";
		}
		if (has(ex, UnresolvedAddressException.class) || has(ex, UnknownHostException.class)) {
			return "the host name could not be resolved";
		}
		if (has(ex, NoRouteToHostException.class)) {
			return "there is no route to the host";
		}
		if (has(ex, ConnectException.class)) {
			// The JDK client reports a refused connection as a ConnectException without a
			// message, caused by a ClosedChannelException.
			return (mentions(ex, "refused") || has(ex, ClosedChannelException.class)) ? "the connection was refused"
					: "the connection could not be made";
		}
		if (has(ex, SSLException.class)) {
			return "the TLS connection failed";
		}
		if (mentions(ex, "reset")) {
			return "the connection was reset by the server";
		}
		if (has(ex, EOFException.class) || has(ex, ClosedChannelException.class) || mentions(ex, "closed")
				|| mentions(ex, "received no bytes") || mentions(ex, "eof")) {
			return "the connection was closed before the whole answer arrived (by the server, or by the read "
					+ "timeout)";
		}
		return "the exchange failed";
	}

	private static boolean has(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the low-level failures (not the HTTP client's wrapper) say a word. */
	private static boolean mentions(Throwable ex, String word) {
		for (Throwable t = ex.getCause(); t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
				return true;
			}
		}
		return false;
	}

	private static void closeQuietly(InputStream body) {
		try {
			if (body != null) {
				body.close();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the answer is done with; a failure to close it changes nothing
		}
	}

	/**
	 * The start of a body, read up to a limit.
	 *
	 * @param bytes the bytes read, at most the limit
	 * @param truncated whether the body went on beyond the limit
	 */
	private record Bounded(byte[] bytes, boolean truncated) {

		static Bounded read(InputStream in, int limit) throws IOException {
			if (in == null) {
				return new Bounded(new byte[0], false);
			}
			byte[] bytes = in.readNBytes(limit);
			// One more byte tells a body of exactly the limit from a longer one.
			return new Bounded(bytes, bytes.length == limit && in.read() >= 0);
		}

	}

}
