package io.github.atprotospring.test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mints and verifies the HS256 session tokens of the reference PDS.
 *
 * <p>
 * The claim order and content are fixed so that, as on the reference PDS, two access
 * tokens for the same account issued in the same second are byte-identical (access tokens
 * carry no {@code jti}); clients must not treat "the token changed" as a signal.
 */
final class Jwt {

	static final String ACCESS_TYP = "at+jwt";
	static final String REFRESH_TYP = "refresh+jwt";
	static final String ACCESS_SCOPE = "com.atproto.access";
	static final String REFRESH_SCOPE = "com.atproto.refresh";

	/**
	 * Scopes the reference PDS accepts on access tokens (app passwords get the last two).
	 */
	static final Set<String> ACCESS_SCOPES = Set.of(ACCESS_SCOPE, "com.atproto.appPass",
			"com.atproto.appPassPrivileged");

	private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder B64D = Base64.getUrlDecoder();

	/** The verified claims the double needs; never logged. */
	record Claims(String sub, String jti, long exp) {
		@Override
		public String toString() {
			return "Claims[sub=" + sub + ", exp=" + exp + "]";
		}
	}

	private final JsonMapper json;

	private final byte[] key;

	private final String audience;

	Jwt(JsonMapper json, String secret, String audience) {
		this.json = json;
		this.key = secret.getBytes(StandardCharsets.UTF_8);
		this.audience = audience;
	}

	String access(String did, long iat, long exp) {
		ObjectNode payload = json.createObjectNode()
			.put("scope", ACCESS_SCOPE)
			.put("aud", audience)
			.put("sub", did)
			.put("iat", iat)
			.put("exp", exp);
		return sign(ACCESS_TYP, payload);
	}

	String refresh(String did, String jti, long iat, long exp) {
		ObjectNode payload = json.createObjectNode()
			.put("scope", REFRESH_SCOPE)
			.put("aud", audience)
			.put("sub", did)
			.put("jti", jti)
			.put("iat", iat)
			.put("exp", exp);
		return sign(REFRESH_TYP, payload);
	}

	/**
	 * Verifies a token in the order of the reference PDS (jose's {@code jwtVerify}, then
	 * the PDS's own checks), each failure with its message: a bad signature, algorithm or
	 * audience is "Token could not be verified"; then an {@code exp} in the past is
	 * {@code ExpiredToken} (a badly signed expired token is therefore "could not be
	 * verified"); then a {@code typ} of the other kind is "Invalid token type" (a token
	 * without {@code typ} passes); a {@code sub} that is not a DID or a {@code jti} that
	 * is not a string is "Malformed token"; a scope not allowed here is "Bad token
	 * scope". A token without {@code exp} never expires, as with jose.
	 * @throws XrpcErrorAnswer 400 InvalidToken or 400 ExpiredToken
	 */
	Claims verify(String token, String typ, Set<String> scopes, Instant now) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw invalid("Token could not be verified");
		}
		JsonNode header;
		JsonNode payload;
		try {
			byte[] signature = B64D.decode(parts[2]);
			if (!MessageDigest.isEqual(signature, hmac(parts[0] + "." + parts[1]))) {
				throw invalid("Token could not be verified");
			}
			header = json.readTree(B64D.decode(parts[0]));
			payload = json.readTree(B64D.decode(parts[1]));
		}
		catch (IllegalArgumentException | JacksonException e) {
			throw invalid("Token could not be verified");
		}
		if (!header.isObject() || !payload.isObject() || !"HS256".equals(text(header, "alg"))
				|| !audience.equals(text(payload, "aud")) || (payload.has("iat") && !payload.get("iat").isNumber())
				|| (payload.has("exp") && !payload.get("exp").isNumber())) {
			throw invalid("Token could not be verified");
		}
		long exp = payload.has("exp") ? payload.get("exp").longValue() : Long.MAX_VALUE;
		if (exp <= now.getEpochSecond()) {
			throw new XrpcErrorAnswer(400, "ExpiredToken", "Token has expired");
		}
		String headerTyp = text(header, "typ");
		if (headerTyp != null && !headerTyp.equals(typ)) {
			throw invalid("Invalid token type");
		}
		String sub = text(payload, "sub");
		if (sub == null || !sub.matches("did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]")
				|| (payload.has("jti") && !payload.get("jti").isString())) {
			throw invalid("Malformed token");
		}
		if (!scopes.contains(text(payload, "scope"))) {
			throw invalid("Bad token scope");
		}
		return new Claims(sub, text(payload, "jti"), exp);
	}

	private String sign(String typ, ObjectNode payload) {
		ObjectNode header = json.createObjectNode().put("typ", typ).put("alg", "HS256");
		String signingInput = B64.encodeToString(json.writeValueAsBytes(header)) + "."
				+ B64.encodeToString(json.writeValueAsBytes(payload));
		return signingInput + "." + B64.encodeToString(hmac(signingInput));
	}

	private byte[] hmac(String signingInput) {
		try {
			// A Mac is not thread-safe; a fresh one per call is cheap enough for a test
			// double.
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("HmacSHA256 unavailable", e);
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value != null && value.isString() ? value.stringValue() : null;
	}

	private static XrpcErrorAnswer invalid(String message) {
		return new XrpcErrorAnswer(400, "InvalidToken", message);
	}

}
