package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SessionStringTests {

	static final String ACCESS = jwt("{\"scope\":\"com.atproto.access\",\"exp\":1795000000}");

	static final String REFRESH = jwt("{\"scope\":\"com.atproto.refresh\",\"jti\":\"abc\",\"exp\":1800000000}");

	static String jwt(String payload) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"typ\":\"at+jwt\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
	}

	@Test
	void readsTheFiveFieldFormOfThePythonSdk() {
		Session session = SessionString
			.parse("alice.test:::did:plc:abc:::" + ACCESS + ":::" + REFRESH + ":::https://pds.example.com");
		assertThat(session.handle()).isEqualTo("alice.test");
		assertThat(session.did()).isEqualTo("did:plc:abc");
		assertThat(session.accessJwt()).isEqualTo(ACCESS);
		assertThat(session.refreshJwt()).isEqualTo(REFRESH);
		assertThat(session.pdsEndpoint()).isEqualTo("https://pds.example.com");
	}

	@Test
	void readsTheOlderFourFieldFormWithTheDefaultEndpoint() {
		Session session = SessionString.parse("alice.test:::did:plc:abc:::" + ACCESS + ":::" + REFRESH);
		assertThat(session.pdsEndpoint()).isEqualTo("https://bsky.social");
	}

	@Test
	void writesTheFiveFieldFormAndReadsItBack() {
		Session session = new Session("alice.test", "did:plc:abc", ACCESS, REFRESH, "https://pds.example.com/");
		String text = SessionString.format(SessionString.parse(SessionString.format(session)));
		assertThat(text)
			.isEqualTo("alice.test:::did:plc:abc:::" + ACCESS + ":::" + REFRESH + ":::https://pds.example.com");
		assertThat(session.pdsEndpoint()).isEqualTo("https://pds.example.com");
		assertThat(session.toSessionString()).isEqualTo(text);
	}

	@Test
	void readsTheTokenExpiryFromTheJwts() {
		Session session = new Session("alice.test", "did:plc:abc", ACCESS, REFRESH, "https://pds.example.com");
		assertThat(session.accessExpiresAt()).contains(Instant.ofEpochSecond(1795000000));
		assertThat(session.refreshExpiresAt()).contains(Instant.ofEpochSecond(1800000000));
		assertThat(Jwts.tokenId(REFRESH)).contains("abc");
	}

	@Test
	void toStringNeverShowsATokenOrTheSessionString() {
		Session session = new Session("alice.test", "did:plc:abc", ACCESS, REFRESH, "https://pds.example.com");
		assertThat(session.toString()).contains("alice.test", "did:plc:abc", "<redacted>")
			.doesNotContain(ACCESS)
			.doesNotContain(REFRESH);
	}

	@Test
	void rejectsAWrongNumberOfFields() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SessionString.parse("alice.test:::did:plc:abc:::" + ACCESS))
			.withMessageContaining("has 3")
			.withMessageNotContaining(ACCESS);
	}

	@Test
	void rejectsAnEmptyString() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionString.parse("  ")).withMessageContaining("empty");
	}

	@Test
	void rejectsAnEmptyField() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> SessionString.parse(":::did:plc:abc:::" + ACCESS + ":::" + REFRESH + ":::https://x.example"))
			.withMessageContaining("Field 1")
			.withMessageContaining("handle");
	}

	@Test
	void rejectsATokenThatIsNotAJwtWithoutEchoingIt() {
		String garbage = "not-a-jwt-secret-value";
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SessionString.parse("alice.test:::did:plc:abc:::" + ACCESS + ":::" + garbage))
			.withMessageContaining("Field 4")
			.withMessageContaining("refreshJwt")
			.withMessageNotContaining(garbage);
	}

	@Test
	void rejectsADidWithoutTheDidPrefix() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SessionString.parse("alice.test:::plc:abc:::" + ACCESS + ":::" + REFRESH))
			.withMessageContaining("did:");
	}

	@Test
	void rejectsAnEndpointThatIsNotAnHttpUrl() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> SessionString.parse("alice.test:::did:plc:abc:::" + ACCESS + ":::" + REFRESH + ":::ftp://x"))
			.withMessageContaining("pdsEndpoint");
	}

}
