package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the few claims a client may use from an atproto JWT without verifying it: the
 * server signs with a secret of its own, so only {@code exp} and {@code iat} (when to
 * refresh) and {@code jti} (which refresh token this is) are read, and nothing is trusted
 * for anything else.
 * <p>
 * A token comes from a server the client does not control, so nothing here throws,
 * whatever the input: a claim that is not a time between 1970 and 9999 reads as absent,
 * and {@link #problem(String)} says what is wrong with a token. A time with a fraction of
 * a second is allowed (RFC 7519 permits it) and read down to the second.
 */
final class Jwts {

	/** 9999-12-31T23:59:59Z: no real token lives beyond, and Instant math stays safe. */
	static final long MAX_TIME = 253_402_300_799L;

	/** A real atproto JWT is well under 1 KB; anything this long is not read. */
	static final int MAX_LENGTH = 16 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Jwts() {
	}

	static Optional<Instant> expiry(String jwt) {
		return time(jwt, "exp");
	}

	/**
	 * When the server issued the token, by its own clock ({@code iat}): with {@code exp}
	 * it gives the token's lifetime, which the client counts from when it received the
	 * token.
	 */
	static Optional<Instant> issuedAt(String jwt) {
		return time(jwt, "iat");
	}

	static Optional<String> tokenId(String jwt) {
		try {
			return payload(jwt).map((claims) -> claims.get("jti"))
				.filter(JsonNode::isString)
				.map(JsonNode::stringValue);
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Whether the token has the shape of a JWT: three base64url parts, the second a JSON
	 * object.
	 */
	static boolean isJwt(String jwt) {
		return payload(jwt).isPresent();
	}

	/**
	 * What is wrong with a token a server issued, in words that never quote it.
	 * @param jwt the token
	 * @return the problem, or empty if the token has a JWT's shape and its {@code exp}
	 * and {@code iat}, where present, are times between 1970 and 9999
	 */
	static Optional<String> problem(String jwt) {
		if (jwt == null || jwt.isEmpty()) {
			return Optional.of("it is empty");
		}
		if (jwt.length() > MAX_LENGTH) {
			return Optional.of("it is longer than " + MAX_LENGTH + " characters");
		}
		if (ServerText.hasWhitespaceOrControl(jwt)) {
			return Optional.of("it contains whitespace or control characters");
		}
		Optional<JsonNode> claims = payload(jwt);
		if (claims.isEmpty()) {
			return Optional.of("it is not a JWT (three base64url parts with a JSON object in the middle)");
		}
		for (String claim : new String[] { "exp", "iat" }) {
			JsonNode value = claims.get().get(claim);
			if (value != null && seconds(value).isEmpty()) {
				return Optional.of("its " + claim + " claim is not a time between 1970 and 9999");
			}
		}
		return Optional.empty();
	}

	private static Optional<Instant> time(String jwt, String claim) {
		try {
			return payload(jwt).map((claims) -> claims.get(claim)).flatMap(Jwts::seconds).map(Instant::ofEpochSecond);
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	/** A NumericDate claim as whole seconds, if it is a number from 0 to 9999's end. */
	private static Optional<Long> seconds(JsonNode value) {
		if (value == null || !value.isNumber()) {
			return Optional.empty();
		}
		try {
			double seconds = value.doubleValue();
			if (Double.isNaN(seconds) || seconds < 0 || seconds > MAX_TIME) {
				return Optional.empty();
			}
			if (value.isIntegralNumber() && value.canConvertToLong()) {
				return Optional.of(value.longValue());
			}
			return Optional.of((long) Math.floor(seconds));
		}
		catch (RuntimeException ex) {
			// a number no double can hold
			return Optional.empty();
		}
	}

	private static Optional<JsonNode> payload(String jwt) {
		if (jwt == null || jwt.length() > MAX_LENGTH) {
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
			return (claims != null && claims.isObject()) ? Optional.of(claims) : Optional.empty();
		}
		catch (RuntimeException ex) {
			// Not base64url, not JSON, or beyond the parser's limits: not a token the
			// client can read.
			return Optional.empty();
		}
	}

}
