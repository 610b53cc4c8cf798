package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.github.atprotospring.client.model.SessionInfo;
import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Answers that are too large or malformed end in an {@link XrpcException} with the error
 * {@code InvalidResponse} that names the method; none escapes as another exception, and
 * none costs the session the client holds.
 */
class HostileAnswerTests extends HostileServerSupport {

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	static final long TWO_GIB = 2L * 1024 * 1024 * 1024;

	@ParameterizedTest
	@ValueSource(ints = { 400, 500 })
	void aHugeErrorBodyIsReadOnlyAFewKilobytes(int status) {
		this.hostile.on(GET_SESSION, Answer.hugeBody(status, TWO_GIB));
		AtprotoClient client = client((builder) -> builder.readTimeout(Duration.ofMinutes(1)));
		client.importSession(session());

		XrpcException ex = assertTimeoutPreemptively(WITHIN,
				() -> org.assertj.core.api.Assertions.catchThrowableOfType(XrpcException.class, client::getSession));
		assertThat(ex.status()).isEqualTo(status);
		assertThat(ex.nsid()).isEqualTo(GET_SESSION);
		assertThat(this.hostile.bodyBytesSent()).isLessThan(TWO_GIB);
	}

	@Test
	void aHugeAnswerIsRefusedAtTheLimit() {
		this.hostile.on(GET_SESSION, Answer.hugeBody(200, TWO_GIB));
		AtprotoClient client = client((builder) -> builder.readTimeout(Duration.ofMinutes(1)));
		client.importSession(session());

		assertTimeoutPreemptively(WITHIN,
				() -> assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession).satisfies((ex) -> {
					assertThat(ex.error()).isEqualTo("InvalidResponse");
					assertThat(ex.getMessage()).contains(GET_SESSION, "larger than",
							String.valueOf(XrpcHttp.DEFAULT_MAX_RESPONSE_SIZE));
				}));
		assertThat(this.hostile.bodyBytesSent()).isLessThan(TWO_GIB);
	}

	@Test
	void theLimitOnAnswersCanBeSet() {
		String small = "{\"handle\":\"" + HANDLE + "\",\"did\":\"" + DID + "\"}";
		this.hostile.on(GET_SESSION, Answer.json(200, small));
		this.hostile.on("com.atproto.repo.getRecord",
				Answer.json(200, "{\"uri\":\"" + "x".repeat(2000) + "\",\"value\":{}}"));
		AtprotoClient client = client((builder) -> builder.maxResponseSize(1024));
		client.importSession(session());

		assertThat(client.getSession().did()).isEqualTo(DID);
		assertThatExceptionOfType(XrpcException.class)
			.isThrownBy(() -> client.getRecord(DID, "app.bsky.feed.post", "x"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("larger than", "1024 bytes"));
	}

	static Stream<Arguments> malformedAnswers() {
		return Stream.of(Arguments.of("an empty body", Answer.empty(200)),
				Arguments.of("JSON null", Answer.json(200, "null")),
				Arguments.of("an array", Answer.json(200, "[{\"did\":\"did:plc:x\"}]")),
				Arguments.of("a string", Answer.json(200, "\"did:plc:x\"")),
				Arguments.of("a number", Answer.json(200, "42")),
				Arguments.of("two objects", Answer.json(200, "{} {}")),
				Arguments.of("a cut object", Answer.json(200, "{\"did\":")),
				Arguments.of("not JSON", Answer.json(200, "<html>Welcome</html>")),
				Arguments.of("a wrong type", Answer.json(200, "{\"handle\":{\"a\":1},\"did\":[]}")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedAnswers")
	void aMalformedAnswerIsAnInvalidResponse(String what, Answer answer) {
		this.hostile.on(GET_SESSION, answer);
		AtprotoClient client = client();
		Session session = client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession).satisfies((ex) -> {
			assertThat(ex.error()).isEqualTo("InvalidResponse");
			assertThat(ex.nsid()).isEqualTo(GET_SESSION);
			assertThat(ex.status()).isEqualTo(200);
			assertThat(ex.getMessage()).startsWith(GET_SESSION + " failed: 200 InvalidResponse")
				.doesNotContain(session.accessJwt());
		});
		assertThat(client.session()).contains(session);
	}

	@Test
	void aWrongTypeIsNamedByItsField() {
		this.hostile.on(GET_SESSION, Answer.json(200, "{\"handle\":\"a.test\",\"did\":{\"x\":1}}"));
		AtprotoClient client = client();
		client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("SessionInfo", "at did"));
	}

	@Test
	void aCallWithoutAnAnswerIsFineWithAnEmptyBody() {
		this.hostile.on("com.atproto.repo.deleteRecord", Answer.empty(200));
		AtprotoClient client = client();
		client.importSession(session());

		assertThat(client.procedure("com.atproto.repo.deleteRecord", java.util.Map.of("rkey", "x"), Void.class))
			.isNull();
	}

	static Stream<Arguments> malformedSessionAnswers() {
		long now = Instant.parse("2026-11-23T12:00:00Z").getEpochSecond();
		String good = HostilePds.jwt(now, now + 7200);
		return Stream.of(Arguments.of("an empty body", Answer.empty(200)),
				Arguments.of("no accessJwt", session(null, good, DID, HANDLE)),
				Arguments.of("a numeric accessJwt",
						Answer.json(200,
								"{\"accessJwt\":5,\"refreshJwt\":\"" + good + "\",\"did\":\"" + DID + "\",\"handle\":\""
										+ HANDLE + "\"}")),
				Arguments.of("an object as did",
						Answer.json(200,
								"{\"accessJwt\":\"" + good + "\",\"refreshJwt\":\"" + good
										+ "\",\"did\":{},\"handle\":\"" + HANDLE + "\"}")),
				Arguments.of("a DID that is none", session(good, good, "not-a-did", HANDLE)),
				Arguments.of("a handle with a space", session(good, good, DID, "a b.test")),
				Arguments.of("a token with CR/LF", session(good + "\r\nX-Injected: 1", good, DID, HANDLE)),
				Arguments.of("a token with a space", session(good, good + " x", DID, HANDLE)),
				Arguments.of("an opaque token", session("opaque-token", good, DID, HANDLE)),
				Arguments.of("a huge exp", session(HostilePds.jwt("{\"exp\":1e300}"), good, DID, HANDLE)),
				Arguments.of("an exp beyond a long",
						session(HostilePds.jwt("{\"exp\":99999999999999999999999}"), good, DID, HANDLE)),
				Arguments.of("an exp in milliseconds",
						session(HostilePds.jwt("{\"exp\":" + (now + 7200) * 1000 + "}"), good, DID, HANDLE)),
				Arguments.of("a negative exp", session(HostilePds.jwt("{\"exp\":-1}"), good, DID, HANDLE)),
				Arguments.of("a string exp", session(HostilePds.jwt("{\"exp\":\"soon\"}"), good, DID, HANDLE)),
				Arguments.of("a huge iat",
						session(good, HostilePds.jwt("{\"iat\":1e30,\"exp\":" + (now + 60) + "}"), DID, HANDLE)),
				Arguments.of("a negative iat",
						session(HostilePds.jwt("{\"iat\":-5,\"exp\":" + (now + 60) + "}"), good, DID, HANDLE)),
				Arguments.of("a payload that is an array", session(HostilePds.jwt("[1,2]"), good, DID, HANDLE)),
				Arguments.of("a payload that is not JSON", session(HostilePds.jwt("{{{{"), good, DID, HANDLE)),
				Arguments.of("a deeply nested payload",
						session(HostilePds.jwt("[".repeat(5000) + "]".repeat(5000)), good, DID, HANDLE)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedSessionAnswers")
	void aMalformedLoginAnswerIsAnInvalidResponseThatQuotesNoToken(String what, Answer answer) {
		this.hostile.on(CREATE_SESSION, answer);
		AtprotoClient client = client();

		assertThatExceptionOfType(XrpcException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.error()).isEqualTo("InvalidResponse");
				assertThat(ex.nsid()).isEqualTo(CREATE_SESSION);
				assertThat(ex.getMessage()).doesNotContain("eyJ", PASSWORD, "X-Injected");
			});
		assertThat(client.session()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedSessionAnswers")
	void aMalformedRefreshAnswerKeepsTheSession(String what, Answer answer) {
		this.hostile.on(REFRESH_SESSION, answer);
		AtprotoClient client = client();
		Session session = client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::refreshSession).satisfies((ex) -> {
			assertThat(ex.error()).isEqualTo("InvalidResponse");
			assertThat(ex.getMessage()).doesNotContain(session.refreshJwt(), session.accessJwt());
		});
		assertThat(client.session()).contains(session);
	}

	@Test
	void aRefreshAnswerForAnotherAccountIsRefused() {
		this.hostile.on(REFRESH_SESSION,
				Answer.json(200, HostilePds.sessionJson("did:plc:someoneelse", "other.test", token(), token(), null)));
		AtprotoClient client = client();
		Session session = client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::refreshSession)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("did:plc:someoneelse", DID));
		assertThat(client.session()).contains(session);
	}

	@Test
	void aTimeWithAFractionOfASecondIsReadDownToTheSecond() {
		long now = this.clock.instant().getEpochSecond();
		String access = HostilePds.jwt("{\"iat\":" + now + ".25,\"exp\":" + (now + 7200) + ".75}");
		this.hostile.on(CREATE_SESSION, Answer.json(200, HostilePds.sessionJson(DID, HANDLE, access, token(), null)));
		AtprotoClient client = client();

		Session session = client.login(HANDLE, PASSWORD);

		assertThat(session.accessExpiresAt()).contains(Instant.ofEpochSecond(now + 7200));
		assertThat(Jwts.issuedAt(session.accessJwt())).contains(Instant.ofEpochSecond(now));
	}

	@Test
	void optionalFieldsOfTheWrongTypeAreLeftOut() {
		this.hostile.on(CREATE_SESSION,
				Answer.json(200, "{\"accessJwt\":\"" + token() + "\",\"refreshJwt\":\"" + token() + "\",\"did\":\""
						+ DID + "\",\"handle\":\"" + HANDLE + "\",\"email\":5,\"emailConfirmed\":\"yes\",\"active\":[],"
						+ "\"status\":\"bad\\r\\nline\"}"));
		Session session = client().login(HANDLE, PASSWORD);

		assertThat(session.email()).isNull();
		assertThat(session.emailConfirmed()).isNull();
		assertThat(session.active()).isNull();
		assertThat(session.status()).isNull();
	}

	@Test
	void aCallAnswerIsReadAsItsType() {
		this.hostile.on(GET_SESSION, Answer.json(200,
				"{\"handle\":\"" + HANDLE + "\",\"did\":\"" + DID + "\",\"unknown\":{\"nested\":[1,2,3]}}"));
		AtprotoClient client = client();
		client.importSession(session());

		SessionInfo info = client.getSession();

		assertThat(info.did()).isEqualTo(DID);
	}

	private static Answer session(String accessJwt, String refreshJwt, String did, String handle) {
		return Answer.json(200, HostilePds.sessionJson(did, handle, accessJwt, refreshJwt, null));
	}

}
