package io.github.atprotospring.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One XRPC round trip over a {@link RestClient}: builds {@code <base>/xrpc/<nsid>}, sends
 * JSON, reads JSON, and turns an error answer into the matching {@link XrpcException}.
 * Knows nothing of sessions; the caller passes the bearer token.
 */
final class Xrpc {

	private static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(1);

	private final RestClient rest;

	private final JsonMapper json;

	private final Clock clock;

	Xrpc(RestClient rest, JsonMapper json, Clock clock) {
		this.rest = rest;
		this.json = json;
		this.clock = clock;
	}

	JsonMapper json() {
		return this.json;
	}

	<T> T query(String base, String nsid, Map<String, ?> params, String bearer, Class<T> type) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(base).path("/xrpc/" + nsid);
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
		return send(HttpMethod.GET, uri.encode().build().toUri(), nsid, null, bearer, type);
	}

	<T> T procedure(String base, String nsid, Object body, String bearer, Class<T> type) {
		URI uri = UriComponentsBuilder.fromUriString(base).path("/xrpc/" + nsid).build().toUri();
		byte[] content = (body != null) ? this.json.writeValueAsBytes(body) : null;
		return send(HttpMethod.POST, uri, nsid, content, bearer, type);
	}

	private <T> T send(HttpMethod method, URI uri, String nsid, byte[] content, String bearer, Class<T> type) {
		RestClient.RequestBodySpec request = this.rest.method(method).uri(uri).accept(MediaType.APPLICATION_JSON);
		if (bearer != null) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
		}
		if (content != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(content);
		}
		try {
			return request.exchange((req, response) -> read(nsid, response, type));
		}
		catch (ResourceAccessException ex) {
			throw new XrpcTransportException(nsid,
					nsid + " could not reach " + uri.getScheme() + "://" + uri.getAuthority() + ": " + rootMessage(ex),
					ex);
		}
	}

	private <T> T read(String nsid, ConvertibleClientHttpResponse response, Class<T> type) throws IOException {
		int status = response.getStatusCode().value();
		byte[] body = response.getBody().readAllBytes();
		if (status >= 200 && status < 300) {
			if (type == Void.class || body.length == 0) {
				return null;
			}
			try {
				return (type == JsonNode.class) ? type.cast(this.json.readTree(body)) : this.json.readValue(body, type);
			}
			catch (JacksonException ex) {
				throw new XrpcException(nsid, status, "InvalidResponse",
						"The answer could not be read as " + type.getSimpleName() + ": " + ex.getOriginalMessage());
			}
		}
		throw error(nsid, status, response.getHeaders(), body);
	}

	private XrpcException error(String nsid, int status, HttpHeaders headers, byte[] body) {
		String error = null;
		String message = null;
		try {
			JsonNode node = (body.length > 0) ? this.json.readTree(body) : null;
			if (node != null && node.isObject()) {
				error = node.path("error").isString() ? node.path("error").stringValue() : null;
				message = node.path("message").isString() ? node.path("message").stringValue() : null;
			}
		}
		catch (JacksonException ex) {
			// not a JSON error body (a proxy's HTML page, say): the status alone has to
			// do
		}
		if (status == 429 || "RateLimitExceeded".equals(error)) {
			return rateLimited(nsid, message, headers);
		}
		if (error == null) {
			return new XrpcException(nsid, status, null, message);
		}
		return switch (error) {
			case "ExpiredToken" -> new ExpiredTokenException(nsid, status, error, message);
			case "InvalidToken" -> new InvalidTokenException(nsid, status, error, message);
			case "AuthenticationRequired", "AuthMissing" ->
				new AuthenticationRequiredException(nsid, status, error, message);
			case "AuthFactorTokenRequired" -> new AuthFactorTokenRequiredException(nsid, status, error, message);
			case "AccountTakedown" -> new AccountTakedownException(nsid, status, error, message);
			case "AccountDeactivated" -> new AccountDeactivatedException(nsid, status, error, message);
			default -> new XrpcException(nsid, status, error, message);
		};
	}

	private RateLimitExceededException rateLimited(String nsid, String message, HttpHeaders headers) {
		Instant now = this.clock.instant();
		Long resetSeconds = longHeader(headers, "RateLimit-Reset");
		Instant reset = (resetSeconds != null) ? Instant.ofEpochSecond(resetSeconds) : null;
		Duration retryAfter = retryAfter(headers.getFirst(HttpHeaders.RETRY_AFTER), now);
		Instant retryAt = null;
		if (reset != null) {
			retryAt = reset;
		}
		if (retryAfter != null && (retryAt == null || now.plus(retryAfter).isAfter(retryAt))) {
			retryAt = now.plus(retryAfter);
		}
		if (retryAt == null) {
			retryAt = now.plus(DEFAULT_RETRY_AFTER);
		}
		Long limit = longHeader(headers, "RateLimit-Limit");
		Long remaining = longHeader(headers, "RateLimit-Remaining");
		return new RateLimitExceededException(nsid, (message != null) ? message : "Rate Limit Exceeded",
				(limit != null) ? limit.intValue() : null, (remaining != null) ? remaining.intValue() : null, reset,
				headers.getFirst("RateLimit-Policy"), retryAfter, retryAt, false);
	}

	private static Long longHeader(HttpHeaders headers, String name) {
		String value = headers.getFirst(name);
		if (value == null) {
			return null;
		}
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** Retry-After is seconds, or an HTTP date. */
	private static Duration retryAfter(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
