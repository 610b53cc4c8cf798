package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The error decoder can be replaced, what it is given is already cleaned of the request's
 * secrets, and the standard one never throws, whatever the answer.
 */
class ErrorDecoderTests extends HostileServerSupport {

	static final String GET_SESSION = "com.atproto.server.getSession";

	@Test
	void anApplicationMapsItsOwnErrorsAndLeavesTheRestToTheStandardDecoder() {
		this.hostile.on(GET_SESSION, Answer.json(418, "{\"error\":\"ImATeapot\",\"message\":\"short and stout\"}"));
		this.hostile.on("com.atproto.repo.getRecord", Answer.json(401, "{\"error\":\"AccountTakedown\"}"));
		XrpcErrorDecoder decoder = (answer) -> (answer.status() == 418) ? new TeapotException(answer.nsid())
				: XrpcErrorDecoder.standard().decode(answer);
		AtprotoClient client = client((builder) -> builder.errorDecoder(decoder));
		client.importSession(session());

		assertThatExceptionOfType(TeapotException.class).isThrownBy(client::getSession);
		assertThatExceptionOfType(AccountTakedownException.class)
			.isThrownBy(() -> client.getRecord(DID, "app.bsky.feed.post", "x"));
	}

	@Test
	void aDecoderThatGivesNothingOrFailsIsStandedInFor() {
		this.hostile.on(GET_SESSION, Answer.json(401, "{\"error\":\"AuthMissing\"}"));
		for (XrpcErrorDecoder decoder : List.<XrpcErrorDecoder>of((answer) -> null, (answer) -> {
			throw new IllegalStateException("bug");
		})) {
			AtprotoClient client = client((builder) -> builder.errorDecoder(decoder));
			client.importSession(session());
			assertThatExceptionOfType(AuthenticationRequiredException.class).isThrownBy(client::getSession);
		}
	}

	@Test
	void theDecoderSeesNoSecretTheServerRepeated() {
		this.hostile.on("com.atproto.server.createSession", Answer.echo(400));
		AtomicReference<XrpcErrorDecoder.Answer> seen = new AtomicReference<>();
		AtprotoClient client = client((builder) -> builder.errorDecoder((answer) -> {
			seen.set(answer);
			return XrpcErrorDecoder.standard().decode(answer);
		}));

		assertThatExceptionOfType(XrpcException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("<redacted>").doesNotContain(PASSWORD));
		String body = new String(seen.get().body(), StandardCharsets.UTF_8);
		assertThat(body).contains("<redacted>").doesNotContain(PASSWORD);
		assertThat(seen.get().status()).isEqualTo(400);
		assertThat(seen.get().truncated()).isFalse();
		assertThat(this.hostile.received(PASSWORD)).isTrue();
	}

	@Test
	void anErrorBodyIsGivenOnlyItsFirstKilobytes() {
		this.hostile.on(GET_SESSION, Answer.json(500, "{\"error\":\"X\",\"message\":\"" + "m".repeat(20_000) + "\"}"));
		AtomicReference<XrpcErrorDecoder.Answer> seen = new AtomicReference<>();
		AtprotoClient client = client((builder) -> builder.errorDecoder((answer) -> {
			seen.set(answer);
			return XrpcErrorDecoder.standard().decode(answer);
		}));
		client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(500));
		assertThat(seen.get().body()).hasSize(XrpcHttp.MAX_ERROR_BODY_SIZE);
		assertThat(seen.get().truncated()).isTrue();
	}

	@Test
	void theStandardDecoderKeepsServerTextOutOfLogLinesAndBounded() {
		XrpcException ex = XrpcErrorDecoder.standard()
			.decode(answer(400,
					"{\"error\":\"Bad\\r\\nForged: line\",\"message\":\"see eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln "
							+ "and\\n" + "x".repeat(5000) + "\"}",
					new HttpHeaders()));

		assertThat(ex.getMessage()).doesNotContain("\r", "\n", "eyJ").contains("<redacted>");
		assertThat(ex.getMessage().length()).isLessThan(1000);
	}

	@Test
	void theStandardDecoderNeverThrows() {
		Random random = new Random(11);
		List<byte[]> bodies = new ArrayList<>();
		bodies.add(new byte[0]);
		bodies.add("<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8));
		bodies.add("{\"error\":5,\"message\":[]}".getBytes(StandardCharsets.UTF_8));
		bodies.add("[".repeat(10_000).getBytes(StandardCharsets.UTF_8));
		bodies.add("{\"error\":\"RateLimitExceeded\"}".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 200; i++) {
			byte[] body = new byte[random.nextInt(64)];
			random.nextBytes(body);
			bodies.add(body);
		}
		String[] values = { "", " ", "-1", "1e9", "9223372036854775808", "NaN", "\u00ff\u00fe", "Fri, 31 Dec 9999",
				"abc;w=", String.valueOf(Long.MIN_VALUE) };
		for (byte[] body : bodies) {
			for (int status : new int[] { 0, 100, 204, 400, 401, 429, 500, 999 }) {
				HttpHeaders headers = new HttpHeaders();
				for (String name : new String[] { "RateLimit-Reset", "Retry-After", "RateLimit-Limit",
						"RateLimit-Remaining", "RateLimit-Policy" }) {
					headers.add(name, values[random.nextInt(values.length)]);
				}
				XrpcException ex = XrpcErrorDecoder.standard().decode(answer(status, body, headers));
				assertThat(ex.nsid()).isEqualTo(GET_SESSION);
				if (ex instanceof RateLimitExceededException limited) {
					assertThat(limited.retryAt()).isBetween(NOW, NOW.plus(RateLimitHeaders.MAX_WAIT));
				}
				else {
					assertThat(ex.status()).isEqualTo(status);
				}
			}
		}
	}

	static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	private static XrpcErrorDecoder.Answer answer(int status, String body, HttpHeaders headers) {
		return answer(status, body.getBytes(StandardCharsets.UTF_8), headers);
	}

	private static XrpcErrorDecoder.Answer answer(int status, byte[] body, HttpHeaders headers) {
		return new XrpcErrorDecoder.Answer(GET_SESSION, status, headers, body, false, NOW);
	}

	static final class TeapotException extends XrpcException {

		private static final long serialVersionUID = 1L;

		TeapotException(String nsid) {
			super(nsid, 418, "ImATeapot", "short and stout");
		}

	}

}
