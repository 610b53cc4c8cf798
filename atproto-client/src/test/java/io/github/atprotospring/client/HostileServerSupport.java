package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A hostile server for each test, a second one on another port for it to redirect to, and
 * a clock shared by the tests and the clients. Clients get short timeouts, so that a
 * stall ends quickly.
 */
abstract class HostileServerSupport {

	static final String DID = "did:plc:hostile1234";

	static final String HANDLE = "hostile.test";

	static final String PASSWORD = "correct-horse-battery-staple";

	static final Duration READ_TIMEOUT = Duration.ofMillis(500);

	/** A generous bound on anything that must end within the timeouts. */
	static final Duration WITHIN = Duration.ofSeconds(15);

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	HostilePds hostile;

	HostilePds elsewhere;

	@BeforeEach
	void startServers() {
		this.hostile = HostilePds.start();
		this.elsewhere = HostilePds.start();
	}

	@AfterEach
	void stopServers() {
		this.hostile.close();
		this.elsewhere.close();
	}

	AtprotoClient.Builder clientBuilder() {
		return AtprotoClient.builder()
			.service(this.hostile.url())
			.clock(this.clock)
			.connectTimeout(Duration.ofSeconds(2))
			.readTimeout(READ_TIMEOUT)
			.loginBudget(LoginBudget.unlimited());
	}

	AtprotoClient client(Consumer<AtprotoClient.Builder> customizer) {
		AtprotoClient.Builder builder = clientBuilder();
		customizer.accept(builder);
		return builder.build();
	}

	AtprotoClient client() {
		return clientBuilder().build();
	}

	/** An unsigned token issued now by the test clock, valid for two hours. */
	String token() {
		long now = this.clock.instant().getEpochSecond();
		return HostilePds.jwt(now, now + Duration.ofHours(2).toSeconds());
	}

	/** A well-formed session answer with fresh tokens and no DID document. */
	String sessionAnswer() {
		return HostilePds.sessionJson(DID, HANDLE, token(), token(), null);
	}

	/** A session on the hostile server, taken over without a call. */
	Session session() {
		return new Session(HANDLE, DID, token(), token(), this.hostile.url());
	}

	String elsewhereHostAndPort() {
		return "127.0.0.1:" + this.elsewhere.port();
	}

}
