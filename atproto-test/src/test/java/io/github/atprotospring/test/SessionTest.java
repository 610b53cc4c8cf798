package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SessionTest {

	private static final Instant START = Instant.parse("2025-06-01T12:00:00.250Z");

	private final MutableClock clock = MutableClock.at(START);

	private PdsDouble pds;

	private Xrpc xrpc;

	private PdsDouble.Account alice;

	@BeforeEach
	void start() {
		pds = PdsDouble.builder().clock(clock).start();
		xrpc = new Xrpc(pds);
		alice = pds.createAccount("Alice.test", "Alice@Example.com", "hunter2");
	}

	@AfterEach
	void stop() {
		pds.close();
	}

	@Test
	void accountHasPlcDidAndNormalizedNamesButNoPassword() {
		assertThat(alice.did()).matches("did:plc:[a-z2-7]{24}");
		assertThat(alice.handle()).isEqualTo("alice.test");
		assertThat(alice.email()).isEqualTo("alice@example.com");
		assertThat(alice.toString()).doesNotContain("hunter2");
		assertThat(pds.url()).isEqualTo("http://127.0.0.1:" + pds.port());
	}

	@Test
	void directCreateAccountRejectsForeignDomainsAndDuplicates() {
		assertThatThrownBy(() -> pds.createAccount("bob.example.com", "bob@example.com", "pw"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("UnsupportedDomain");
		assertThatThrownBy(() -> pds.createAccount("ALICE.test", "other@example.com", "pw"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Handle already taken: alice.test");
	}

	@Test
	void logsInByHandleEmailAndDid() {
		for (String identifier : new String[] { "alice.test", "ALICE.TEST", "alice@example.com", alice.did() }) {
			Xrpc.Reply reply = xrpc.login(identifier, "hunter2");
			assertThat(reply.status()).as(identifier).isEqualTo(200);
			assertThat(reply.text("did")).isEqualTo(alice.did());
			assertThat(reply.text("handle")).isEqualTo("alice.test");
			assertThat(reply.text("email")).isEqualTo("alice@example.com");
			assertThat(reply.body().get("emailConfirmed").booleanValue()).isFalse();
			// The reference PDS (0.4) sends no emailAuthFactor.
			assertThat(reply.body().has("emailAuthFactor")).isFalse();
			assertThat(reply.body().get("active").booleanValue()).isTrue();
			assertThat(reply.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
		}
	}

	@Test
	void sessionCarriesDidDocNamingThePds() {
		JsonNode didDoc = xrpc.login("alice.test", "hunter2").body().get("didDoc");
		assertThat(didDoc.get("@context").get(0).asString()).isEqualTo("https://www.w3.org/ns/did/v1");
		assertThat(didDoc.get("id").asString()).isEqualTo(alice.did());
		assertThat(didDoc.get("alsoKnownAs").get(0).asString()).isEqualTo("at://alice.test");
		assertThat(didDoc.get("verificationMethod").isArray()).isTrue();
		JsonNode service = didDoc.get("service").get(0);
		assertThat(service.get("id").asString()).isEqualTo("#atproto_pds");
		assertThat(service.get("type").asString()).isEqualTo("AtprotoPersonalDataServer");
		assertThat(service.get("serviceEndpoint").asString()).isEqualTo(pds.url());
	}

	@Test
	void didDocCanBeOmittedOrPointElsewhere() {
		try (PdsDouble plain = PdsDouble.builder().didDocWithSession(false).start();
				PdsDouble pointing = PdsDouble.builder().didDocPdsEndpoint("https://pds.example.net").start()) {
			plain.createAccount("bob.test", "bob@example.com", "pw");
			pointing.createAccount("bob.test", "bob@example.com", "pw");
			assertThat(new Xrpc(plain).login("bob.test", "pw").body().has("didDoc")).isFalse();
			assertThat(new Xrpc(pointing).login("bob.test", "pw")
				.body()
				.at("/didDoc/service/0/serviceEndpoint")
				.asString()).isEqualTo("https://pds.example.net");
		}
	}

	@Test
	void wrongPasswordAndUnknownIdentifierAre401WithoutWwwAuthenticate() {
		for (Xrpc.Reply reply : new Xrpc.Reply[] { xrpc.login("alice.test", "wrong"),
				xrpc.login("nobody.test", "x") }) {
			assertThat(reply.status()).isEqualTo(401);
			assertThat(reply.rawBody())
				.isEqualTo("{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}");
			assertThat(reply.header("WWW-Authenticate")).isNull();
		}
	}

	@Test
	void missingFieldsAreInvalidRequest() {
		Xrpc.Reply noIdentifier = xrpc.post("com.atproto.server.createSession", Map.of("password", "x"));
		assertThat(noIdentifier.status()).isEqualTo(400);
		assertThat(noIdentifier.error()).isEqualTo("InvalidRequest");
		assertThat(noIdentifier.message()).isEqualTo("Missing required key \"identifier\" at $");
		Xrpc.Reply noPassword = xrpc.post("com.atproto.server.createSession", Map.of("identifier", "alice.test"));
		assertThat(noPassword.message()).isEqualTo("Missing required key \"password\" at $");
	}

	@Test
	void tokensHaveTheReferenceShape() {
		Xrpc.Reply reply = xrpc.login("alice.test", "hunter2");
		String access = reply.text("accessJwt");
		String refresh = reply.text("refreshJwt");
		long now = START.getEpochSecond();

		assertThat(Xrpc.jwtHeader(access).toString()).isEqualTo("{\"typ\":\"at+jwt\",\"alg\":\"HS256\"}");
		JsonNode accessClaims = Xrpc.jwtPayload(access);
		assertThat(accessClaims.get("scope").asString()).isEqualTo("com.atproto.access");
		assertThat(accessClaims.get("sub").asString()).isEqualTo(alice.did());
		assertThat(accessClaims.get("aud").asString()).isEqualTo("did:web:localhost");
		assertThat(accessClaims.get("iat").longValue()).isEqualTo(now);
		assertThat(accessClaims.get("exp").longValue()).isEqualTo(now + 7200);
		assertThat(accessClaims.has("jti")).isFalse();

		assertThat(Xrpc.jwtHeader(refresh).toString()).isEqualTo("{\"typ\":\"refresh+jwt\",\"alg\":\"HS256\"}");
		JsonNode refreshClaims = Xrpc.jwtPayload(refresh);
		assertThat(refreshClaims.get("scope").asString()).isEqualTo("com.atproto.refresh");
		assertThat(refreshClaims.get("jti").asString()).isNotBlank();
		assertThat(refreshClaims.get("exp").longValue()).isEqualTo(now + Duration.ofDays(90).toSeconds());
	}

	@Test
	void twoLoginsInOneSecondGiveIdenticalAccessTokensButDistinctRefreshTokens() {
		Xrpc.Reply first = xrpc.login("alice.test", "hunter2");
		Xrpc.Reply second = xrpc.login("alice.test", "hunter2");
		assertThat(second.text("accessJwt")).isEqualTo(first.text("accessJwt"));
		assertThat(second.text("refreshJwt")).isNotEqualTo(first.text("refreshJwt"));
	}

	@Test
	void getSessionWithAccessToken() {
		String access = xrpc.login("alice.test", "hunter2").text("accessJwt");
		Xrpc.Reply reply = xrpc.get("com.atproto.server.getSession", access);
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text("did")).isEqualTo(alice.did());
		assertThat(reply.text("handle")).isEqualTo("alice.test");
		assertThat(reply.text("email")).isEqualTo("alice@example.com");
		assertThat(reply.body().get("active").booleanValue()).isTrue();
		assertThat(reply.body().has("didDoc")).isTrue();
		assertThat(reply.body().has("accessJwt")).isFalse();
	}

	@Test
	void accessTokenErrors() {
		Xrpc.Reply missing = xrpc.get("com.atproto.server.getSession", null);
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.rawBody()).isEqualTo("{\"error\":\"AuthMissing\",\"message\":\"Authentication Required\"}");
		assertThat(missing.header("WWW-Authenticate")).isNull();

		String refresh = xrpc.login("alice.test", "hunter2").text("refreshJwt");
		PdsDouble other = PdsDouble.builder().start();
		String foreign;
		try {
			foreign = other.mintAccessToken(alice.did(), START.plusSeconds(60));
		}
		finally {
			other.close();
		}
		for (String bad : new String[] { "garbage", "a.b.c", foreign }) {
			Xrpc.Reply reply = xrpc.get("com.atproto.server.getSession", bad);
			assertThat(reply.status()).as(bad).isEqualTo(400);
			assertThat(reply.rawBody())
				.isEqualTo("{\"error\":\"InvalidToken\",\"message\":\"Token could not be verified\"}");
		}
		// A token of the other kind, well signed, is named as such.
		assertThat(xrpc.get("com.atproto.server.getSession", refresh).rawBody())
			.isEqualTo("{\"error\":\"InvalidToken\",\"message\":\"Invalid token type\"}");
		Xrpc.Reply basic = xrpc.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create(pds.url() + "/xrpc/com.atproto.server.getSession"))
			.GET(), null, Map.of("Authorization", "Basic YWxpY2U6aHVudGVyMg=="));
		assertThat(basic.status()).isEqualTo(400);
		assertThat(basic.error()).isEqualTo("InvalidToken");
	}

	@Test
	void accessTokenExpiresAfterTwoHoursAsA400() {
		String access = xrpc.login("alice.test", "hunter2").text("accessJwt");
		clock.advance(Duration.ofHours(2).minusSeconds(1));
		assertThat(xrpc.get("com.atproto.server.getSession", access).status()).isEqualTo(200);
		clock.advance(Duration.ofSeconds(1));
		Xrpc.Reply expired = xrpc.get("com.atproto.server.getSession", access);
		assertThat(expired.status()).isEqualTo(400);
		assertThat(expired.rawBody()).isEqualTo("{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}");
	}

	@Test
	void mintedTokensAreSignedWithTheDoublesSecret() {
		String valid = pds.mintAccessToken(alice.did(), START.plusSeconds(30));
		String expired = pds.mintAccessToken(alice.did(), START.minusSeconds(1));
		assertThat(xrpc.get("com.atproto.server.getSession", valid).status()).isEqualTo(200);
		assertThat(xrpc.get("com.atproto.server.getSession", expired).error()).isEqualTo("ExpiredToken");
		assertThat(pds.jwtSecret()).isNotBlank();
		try (PdsDouble fixed = PdsDouble.builder().jwtSecret("s3cret").start()) {
			assertThat(fixed.jwtSecret()).isEqualTo("s3cret");
		}
	}

	@Test
	void refreshRotatesAndReuseWithinGraceGivesTheSameSuccessor() {
		String refresh = xrpc.login("alice.test", "hunter2").text("refreshJwt");
		String jti = Xrpc.jwtPayload(refresh).get("jti").asString();

		clock.advance(Duration.ofMinutes(1));
		Xrpc.Reply first = xrpc.post("com.atproto.server.refreshSession", null, refresh);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.text("did")).isEqualTo(alice.did());
		assertThat(first.body().has("didDoc")).isTrue();
		String successor = Xrpc.jwtPayload(first.text("refreshJwt")).get("jti").asString();
		assertThat(successor).isNotEqualTo(jti);
		assertThat(Xrpc.jwtPayload(first.text("accessJwt")).get("exp").longValue())
			.isEqualTo(clock.instant().getEpochSecond() + 7200);

		clock.advance(Duration.ofHours(2).minusSeconds(1));
		Xrpc.Reply reuse = xrpc.post("com.atproto.server.refreshSession", null, refresh);
		assertThat(reuse.status()).isEqualTo(200);
		assertThat(Xrpc.jwtPayload(reuse.text("refreshJwt")).get("jti").asString()).isEqualTo(successor);

		// The grace period counts from the first use, not from the latest reuse.
		clock.advance(Duration.ofSeconds(1));
		Xrpc.Reply late = xrpc.post("com.atproto.server.refreshSession", null, refresh);
		assertThat(late.status()).isEqualTo(400);
		assertThat(late.rawBody()).isEqualTo("{\"error\":\"ExpiredToken\",\"message\":\"Token has been revoked\"}");

		// The successor itself is still good.
		assertThat(xrpc.post("com.atproto.server.refreshSession", null, first.text("refreshJwt")).status())
			.isEqualTo(200);
	}

	@Test
	void zeroGraceRevokesAUsedRefreshTokenAtOnce() {
		try (PdsDouble strict = PdsDouble.builder().clock(clock).refreshGracePeriod(Duration.ZERO).start()) {
			strict.createAccount("bob.test", "bob@example.com", "pw");
			Xrpc client = new Xrpc(strict);
			String refresh = client.login("bob.test", "pw").text("refreshJwt");
			assertThat(client.post("com.atproto.server.refreshSession", null, refresh).status()).isEqualTo(200);
			assertThat(client.post("com.atproto.server.refreshSession", null, refresh).message())
				.isEqualTo("Token has been revoked");
		}
	}

	@Test
	void refreshEndpointsRejectAccessTokensAndMissingAuth() {
		Xrpc.Reply login = xrpc.login("alice.test", "hunter2");
		Xrpc.Reply withAccess = xrpc.post("com.atproto.server.refreshSession", null, login.text("accessJwt"));
		assertThat(withAccess.status()).isEqualTo(400);
		assertThat(withAccess.error()).isEqualTo("InvalidToken");
		Xrpc.Reply none = xrpc.post("com.atproto.server.refreshSession", null, null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.error()).isEqualTo("AuthMissing");
	}

	@Test
	void refreshTokenExpiresAfterNinetyDays() {
		String refresh = xrpc.login("alice.test", "hunter2").text("refreshJwt");
		clock.advance(Duration.ofDays(90));
		Xrpc.Reply reply = xrpc.post("com.atproto.server.refreshSession", null, refresh);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error()).isEqualTo("ExpiredToken");
		assertThat(reply.message()).isEqualTo("Token has expired");
	}

	@Test
	void deleteSessionRevokesTheRefreshTokenButNotTheAccessToken() {
		Xrpc.Reply login = xrpc.login("alice.test", "hunter2");
		Xrpc.Reply deleted = xrpc.post("com.atproto.server.deleteSession", null, login.text("refreshJwt"));
		assertThat(deleted.status()).isEqualTo(200);
		assertThat(deleted.rawBody()).isEmpty();

		Xrpc.Reply refresh = xrpc.post("com.atproto.server.refreshSession", null, login.text("refreshJwt"));
		assertThat(refresh.status()).isEqualTo(400);
		assertThat(refresh.error()).isEqualTo("ExpiredToken");
		assertThat(refresh.message()).isEqualTo("Token has been revoked");
		assertThat(xrpc.get("com.atproto.server.getSession", login.text("accessJwt")).status()).isEqualTo(200);
	}

	@Test
	void takedownDeactivationAndAuthFactor() {
		PdsDouble.Account bob = pds.createAccount("bob.test", "bob@example.com", "pw");
		PdsDouble.Account carol = pds.createAccount("carol.test", "carol@example.com", "pw");
		PdsDouble.Account dave = pds.createAccount("dave.test", "dave@example.com", "pw");
		String bobRefresh = xrpc.login("bob.test", "pw").text("refreshJwt");
		pds.takedown(bob.did());
		pds.deactivate(carol.did());
		pds.requireAuthFactor(dave.did(), "123456");

		Xrpc.Reply takendown = xrpc.login("bob.test", "pw");
		assertThat(takendown.status()).isEqualTo(401);
		assertThat(takendown.error()).isEqualTo("AccountTakedown");
		assertThat(xrpc.post("com.atproto.server.refreshSession", null, bobRefresh).error())
			.isEqualTo("AccountTakedown");
		Xrpc.Reply allowed = xrpc.post("com.atproto.server.createSession",
				Map.of("identifier", "bob.test", "password", "pw", "allowTakendown", true));
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.body().get("active").booleanValue()).isFalse();
		assertThat(allowed.text("status")).isEqualTo("takendown");

		Xrpc.Reply deactivated = xrpc.login("carol.test", "pw");
		assertThat(deactivated.status()).isEqualTo(401);
		assertThat(deactivated.error()).isEqualTo("AccountDeactivated");

		Xrpc.Reply needsCode = xrpc.login("dave.test", "pw");
		assertThat(needsCode.status()).isEqualTo(401);
		assertThat(needsCode.error()).isEqualTo("AuthFactorTokenRequired");
		Xrpc.Reply wrongCode = xrpc.post("com.atproto.server.createSession",
				Map.of("identifier", "dave.test", "password", "pw", "authFactorToken", "000000"));
		assertThat(wrongCode.status()).isEqualTo(401);
		assertThat(wrongCode.error()).isEqualTo("InvalidToken");
		assertThat(wrongCode.message()).isEqualTo("Token is invalid");
		Xrpc.Reply withCode = xrpc.post("com.atproto.server.createSession",
				Map.of("identifier", "dave.test", "password", "pw", "authFactorToken", "123456"));
		assertThat(withCode.status()).isEqualTo(200);
		assertThat(withCode.body().get("emailAuthFactor").booleanValue()).isTrue();
		// A wrong password is still a wrong password, code or not.
		assertThat(xrpc.login("dave.test", "nope").error()).isEqualTo("AuthenticationRequired");
	}

	@Test
	void createAccountOverHttp() {
		Xrpc.Reply created = xrpc.post("com.atproto.server.createAccount",
				Map.of("handle", "erin.test", "email", "erin@example.com", "password", "pw"));
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.text("did")).matches("did:plc:[a-z2-7]{24}");
		assertThat(created.text("handle")).isEqualTo("erin.test");
		assertThat(created.text("accessJwt")).isNotBlank();
		assertThat(xrpc.get("com.atproto.server.getSession", created.text("accessJwt")).text("did"))
			.isEqualTo(created.text("did"));
		assertThat(xrpc.login("erin@example.com", "pw").status()).isEqualTo(200);

		Xrpc.Reply duplicate = xrpc.post("com.atproto.server.createAccount",
				Map.of("handle", "erin.test", "email", "erin2@example.com", "password", "pw"));
		assertThat(duplicate.status()).isEqualTo(400);
		assertThat(duplicate.error()).isEqualTo("InvalidRequest");
		assertThat(duplicate.message()).isEqualTo("Handle already taken: erin.test");
		Xrpc.Reply noEmail = xrpc.post("com.atproto.server.createAccount",
				Map.of("handle", "fred.test", "password", "pw"));
		assertThat(noEmail.status()).isEqualTo(400);
		assertThat(noEmail.error()).isEqualTo("InvalidRequest");
		Xrpc.Reply foreign = xrpc.post("com.atproto.server.createAccount",
				Map.of("handle", "fred.bsky.social", "email", "fred@example.com", "password", "pw"));
		assertThat(foreign.status()).isEqualTo(400);
		assertThat(foreign.error()).isEqualTo("UnsupportedDomain");
	}

}
