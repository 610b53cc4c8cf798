package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the few claims a client may use from an atproto JWT without verifying it: the
 * server signs with a secret of its own, so only {@code exp} and {@code iat} (when to
 * refresh) and {@code jti} (which refresh token this is) are read, and nothing is trusted
 * for anything else.
 */
final class Jwts {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Jwts() {
	}

	static Optional<Instant> expiry(String jwt) {
		return payload(jwt).map((claims) -> claims.get("exp"))
			.filter(JsonNode::isNumber)
			.map((exp) -> Instant.ofEpochSecond(exp.longValue()));
	}

	/**
	 * When the server issued the token, by its own clock ({@code iat}): with {@code exp}
	 * it gives the token's lifetime, which the client counts from when it received the
	 * token.
	 */
	static Optional<Instant> issuedAt(String jwt) {
		return payload(jwt).map((claims) -> claims.get("iat"))
			.filter(JsonNode::isNumber)
			.map((iat) -> Instant.ofEpochSecond(iat.longValue()));
	}

	static Optional<String> tokenId(String jwt) {
		return payload(jwt).map((claims) -> claims.get("jti")).filter(JsonNode::isString).map(JsonNode::stringValue);
	}

	/**
	 * Whether the token has the shape of a JWT: three base64url parts, the second a JSON
	 * object.
	 */
	static boolean isJwt(String jwt) {
		return payload(jwt).isPresent();
	}

	private static Optional<JsonNode> payload(String jwt) {
		if (jwt == null) {
			return Optional.empty();
		}
		int first = jwt.indexOf('.');
		int second = (first < 0) ? -1 : jwt.indexOf('.', first + 1);
		if (first <= 0 || second < 0 || jwt.indexOf('.', second + 1) >= 0) {
			return Optional.empty();
		}
		try {
			byte[] decoded = Base64.getUrlDecoder().decode(jwt.substring(first + 1, second));
			JsonNode claims = JSON.readTree(new String(decoded, StandardCharsets.UTF_8));
			return claims.isObject() ? Optional.of(claims) : Optional.empty();
		}
		catch (IllegalArgumentException | JacksonException ex) {
			return Optional.empty();
		}
	}

}
