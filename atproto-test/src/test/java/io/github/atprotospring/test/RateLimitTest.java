package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {

	private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

	private final MutableClock clock = MutableClock.at(START);

	private PdsDouble pds;

	private Xrpc xrpc;

	@BeforeEach
	void start() {
		pds = PdsDouble.builder().clock(clock).rateLimits(true).start();
		pds.createAccount("alice.test", "alice@example.com", "hunter2");
		xrpc = new Xrpc(pds);
	}

	@AfterEach
	void stop() {
		pds.close();
	}

	@Test
	void everyAnswerCarriesHeadersOfTheTightestWindowWithAnAbsoluteReset() {
		Xrpc.Reply ok = xrpc.login("alice.test", "hunter2");
		assertThat(ok.status()).isEqualTo(200);
		assertThat(ok.header("RateLimit-Limit")).isEqualTo("30");
		assertThat(ok.header("RateLimit-Remaining")).isEqualTo("29");
		assertThat(ok.header("RateLimit-Policy")).isEqualTo("30;w=300");
		assertThat(Long.parseLong(ok.header("RateLimit-Reset"))).isEqualTo(START.getEpochSecond() + 300);
		assertThat(ok.header("Retry-After")).isNull();

		clock.advance(Duration.ofMinutes(1));
		Xrpc.Reply wrong = xrpc.login("alice.test", "wrong");
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.header("RateLimit-Remaining")).isEqualTo("28");
		// The window started at the first attempt; the reset does not move.
		assertThat(Long.parseLong(wrong.header("RateLimit-Reset"))).isEqualTo(START.getEpochSecond() + 300);
	}

	@Test
	void thirtyFirstAttemptInFiveMinutesIs429WithoutRetryAfter() {
		for (int i = 0; i < 30; i++) {
			assertThat(xrpc.login("alice.test", i % 2 == 0 ? "wrong" : "hunter2").status()).isNotEqualTo(429);
		}
		clock.advance(Duration.ofSeconds(100));
		Xrpc.Reply limited = xrpc.login("alice.test", "hunter2");
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.rawBody())
			.isEqualTo("{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}");
		// The reference PDS sends only the absolute RateLimit-Reset.
		assertThat(limited.header("Retry-After")).isNull();
		assertThat(Long.parseLong(limited.header("RateLimit-Reset"))).isEqualTo(START.getEpochSecond() + 300);
		assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(limited.header("RateLimit-Limit")).isEqualTo("30");

		// Another identifier, or the same one from another client address, has its own
		// budget.
		assertThat(xrpc.login("bob.test", "x").status()).isEqualTo(401);
		assertThat(xrpc
			.post("com.atproto.server.createSession", Map.of("identifier", "alice.test", "password", "hunter2"), null,
					Map.of("X-Forwarded-For", "203.0.113.7, 10.0.0.1"))
			.status()).isEqualTo(200);

		clock.advance(Duration.ofSeconds(200));
		Xrpc.Reply again = xrpc.login("alice.test", "hunter2");
		assertThat(again.status()).isEqualTo(200);
		assertThat(again.header("RateLimit-Remaining")).isEqualTo("29");
	}

	@Test
	void dailyWindowBindsWhenTighter() {
		try (PdsDouble strict = PdsDouble.builder()
			.clock(clock)
			.rateLimits(true)
			.rateLimitRetryAfter(true)
			.createSessionLimit(30, 3)
			.start()) {
			strict.createAccount("bob.test", "bob@example.com", "pw");
			Xrpc client = new Xrpc(strict);
			Xrpc.Reply first = client.login("bob.test", "pw");
			assertThat(first.header("RateLimit-Policy")).isEqualTo("3;w=86400");
			assertThat(first.header("RateLimit-Remaining")).isEqualTo("2");
			assertThat(Long.parseLong(first.header("RateLimit-Reset"))).isEqualTo(START.getEpochSecond() + 86400);
			client.login("bob.test", "pw");
			client.login("bob.test", "pw");
			clock.advance(Duration.ofMinutes(10));
			Xrpc.Reply limited = client.login("bob.test", "pw");
			assertThat(limited.status()).isEqualTo(429);
			assertThat(limited.header("Retry-After")).isEqualTo(Long.toString(86400 - 600));
		}
	}

	@Test
	void noRateLimitHeadersWhenDisabled() {
		try (PdsDouble open = PdsDouble.builder().start()) {
			open.createAccount("bob.test", "bob@example.com", "pw");
			Xrpc client = new Xrpc(open);
			for (int i = 0; i < 40; i++) {
				client.login("bob.test", "wrong");
			}
			Xrpc.Reply reply = client.login("bob.test", "pw");
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.header("RateLimit-Limit")).isNull();
		}
	}

}
