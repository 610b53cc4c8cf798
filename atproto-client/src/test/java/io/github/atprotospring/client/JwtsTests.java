package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import io.github.atprotospring.test.HostilePds;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tokens come from servers the client does not control: reading one never throws, and a
 * session refuses a token that could break a header.
 */
class JwtsTests {

	@Test
	void readingATokenNeverThrows() {
		Random random = new Random(7);
		List<String> tokens = new ArrayList<>();
		tokens.add(null);
		tokens.add("");
		tokens.add("..");
		tokens.add("a.b.c");
		tokens.add("a.%%%.c");
		tokens.add("a." + "A".repeat(100_000) + ".c");
		for (String claim : new String[] { "1e300", "-1e300", "1.5", "99999999999999999999999", "-0", "1e-400", "\"x\"",
				"null", "[]", "{}", "true", "1" + "0".repeat(2000) }) {
			tokens.add(HostilePds.jwt("{\"exp\":" + claim + ",\"iat\":" + claim + ",\"jti\":" + claim + "}"));
		}
		tokens.add(HostilePds.jwt("[".repeat(100_000)));
		tokens.add(HostilePds.jwt("{\"exp\":" + "[".repeat(2000) + "}"));
		for (int i = 0; i < 500; i++) {
			byte[] payload = new byte[random.nextInt(200)];
			random.nextBytes(payload);
			tokens.add("eyJ." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + ".sig");
			tokens.add(new String(payload, StandardCharsets.ISO_8859_1));
		}
		for (String token : tokens) {
			assertThatCode(() -> {
				Jwts.expiry(token)
					.ifPresent((exp) -> assertThat(exp).isBetween(Instant.EPOCH, Instant.ofEpochSecond(Jwts.MAX_TIME)));
				Jwts.issuedAt(token);
				Jwts.tokenId(token);
				Jwts.isJwt(token);
				Jwts.problem(token);
			}).doesNotThrowAnyException();
		}
	}

	@Test
	void timesOutsideTheYearsOfRealTokensReadAsAbsentAndAreNamedAsTheProblem() {
		String huge = HostilePds.jwt("{\"exp\":1e300}");
		String negative = HostilePds.jwt("{\"iat\":-1,\"exp\":1800000000}");
		String fractional = HostilePds.jwt("{\"iat\":1.5,\"exp\":1800000000.999}");

		assertThat(Jwts.expiry(huge)).isEmpty();
		assertThat(Jwts.problem(huge)).contains("its exp claim is not a time between 1970 and 9999");
		assertThat(Jwts.issuedAt(negative)).isEmpty();
		assertThat(Jwts.problem(negative)).contains("its iat claim is not a time between 1970 and 9999");
		assertThat(Jwts.expiry(fractional)).contains(Instant.ofEpochSecond(1_800_000_000L));
		assertThat(Jwts.issuedAt(fractional)).contains(Instant.ofEpochSecond(1));
		assertThat(Jwts.problem(fractional)).isEmpty();
		assertThat(Jwts.problem("ab\r\ncd")).contains("it contains whitespace or control characters");
		assertThat(Jwts.problem("opaque")).hasValueSatisfying((problem) -> assertThat(problem).contains("not a JWT"));
	}

	@Test
	void aSessionRefusesTokensThatCouldBreakAHeaderWithoutQuotingThem() {
		String token = HostilePds.jwt(1, 2);
		for (String bad : new String[] { token + "\r\nX-Injected: 1", token + " ", "\t" + token, token + "\u0000",
				token + "\u2028" }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new Session("alice.test", "did:plc:a", bad, token, "https://pds.example"))
				.withMessageContaining("Session.accessJwt must not contain whitespace or control characters")
				.withMessageNotContaining(token);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> new Session("alice.test", "did:plc:a", token, bad, "https://pds.example"))
				.withMessageContaining("Session.refreshJwt")
				.withMessageNotContaining(token);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Session("alice\r\n.test", "did:plc:a", token, token, "https://pds.example"))
			.withMessageContaining("Session.handle");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Session("alice.test", "did:plc:a", token, token, "https://pds.example", null, null,
					null, "bad\nstatus"))
			.withMessageContaining("Session.status");
		assertThat(new Session("alice.test", "did:plc:a", token, token, " https://pds.example/ ").pdsEndpoint())
			.isEqualTo("https://pds.example");
	}

}
