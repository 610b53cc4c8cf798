package io.github.atprotospring.e2e.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes and reads HS256 JWTs the way the reference PDS does, for tests that need a token
 * the server signed (an access token that has expired, say) or that look into one.
 */
public final class Jwts {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private Jwts() {
	}

	/**
	 * Signs a token with header {@code {"typ":TYP,"alg":"HS256"}}; the secret is used as
	 * UTF-8 bytes, as the PDS does with {@code PDS_JWT_SECRET}.
	 * @param secret the secret
	 * @param typ the header's {@code typ}
	 * @param claims the claims, in order
	 * @return the token
	 */
	public static String hs256(String secret, String typ, List<Map.Entry<String, Object>> claims) {
		ObjectNode header = JSON.createObjectNode().put("typ", typ).put("alg", "HS256");
		ObjectNode payload = JSON.createObjectNode();
		claims.forEach((claim) -> payload.set(claim.getKey(), JSON.valueToTree(claim.getValue())));
		String signingInput = ENCODER.encodeToString(JSON.writeValueAsBytes(header)) + "."
				+ ENCODER.encodeToString(JSON.writeValueAsBytes(payload));
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return signingInput + "."
					+ ENCODER.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The decoded header of a JWT.
	 * @param jwt the token
	 * @return the header
	 */
	public static JsonNode header(String jwt) {
		return part(jwt, 0);
	}

	/**
	 * The decoded payload of a JWT.
	 * @param jwt the token
	 * @return the claims
	 */
	public static JsonNode payload(String jwt) {
		return part(jwt, 1);
	}

	private static JsonNode part(String jwt, int index) {
		return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
	}

}
