package io.github.atprotospring.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The keep-alive task on its own, with the in-memory store and a clock it is driven by:
 * what it refreshes, what it leaves alone, and how it fails.
 */
@ExtendWith(OutputCaptureExtension.class)
class AtprotoSessionKeepAliveTests {

	static final String PASSWORD = "app-password-1234";

	static final String REFRESH = "com.atproto.server.refreshSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	final InMemorySessionStore store = new InMemorySessionStore();

	PdsDouble pds;

	AtprotoClients registry;

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.registry = AtprotoClients.builder()
			.service(this.pds.url())
			.sessionStore(this.store)
			.clientBuilder(() -> AtprotoClient.builder().clock(this.clock))
			.build();
		for (String name : List.of("bob", "carol", "dave")) {
			this.pds.createAccount(name + ".test", name + "@example.com", PASSWORD);
			this.registry.login(name + ".test", PASSWORD);
		}
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	AtprotoSessionKeepAlive keepAlive(List<AtprotoClient> configured, SessionKeepAliveClaims claims) {
		return new AtprotoSessionKeepAlive(this.registry, configured, this.store, claims, this.clock,
				Duration.ofDays(7), Duration.ofMinutes(10), 60);
	}

	@Test
	void withTheInMemoryStoreEveryAccountDueIsRefreshedOnce() {
		AtprotoSessionKeepAlive keepAlive = keepAlive(List.of(), SessionKeepAliveClaims.local());
		this.clock.advance(Duration.ofDays(83).plusHours(1));
		this.pds.resetCounters();
		for (int run = 0; run < 6; run++) {
			keepAlive.runOnce();
			this.clock.advance(keepAlive.interval());
		}
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(3);
		assertThat(keepAlive.refreshes()).isEqualTo(3);
		assertThat(keepAlive.pending()).isZero();
	}

	@Test
	void nothingIsRefreshedBeforeItIsDue() {
		AtprotoSessionKeepAlive keepAlive = keepAlive(List.of(), SessionKeepAliveClaims.local());
		this.clock.advance(Duration.ofDays(82));
		this.pds.resetCounters();
		assertThat(keepAlive.runOnce()).isFalse();
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void aConfiguredClientOfAnotherServiceIsKeptAliveFromItsSession() {
		try (PdsDouble other = PdsDouble.builder().clock(this.clock).start()) {
			other.createAccount("erin.test", "erin@example.com", PASSWORD);
			AtprotoClient erin = AtprotoClient.builder()
				.service(other.url())
				.clock(this.clock)
				.credentials("erin.test", PASSWORD)
				.build();
			erin.ensureSession();
			AtprotoSessionKeepAlive keepAlive = keepAlive(List.of(erin), SessionKeepAliveClaims.local());
			this.clock.advance(Duration.ofDays(84));
			for (int run = 0; run < 6; run++) {
				keepAlive.runOnce();
			}
			assertThat(other.callCount(REFRESH)).isEqualTo(1);
			assertThat(erin.session().orElseThrow().refreshExpiresAt().orElseThrow())
				.isAfter(this.clock.instant().plus(Duration.ofDays(80)));
		}
	}

	@Test
	void claimsThatFailAreLoggedOnceAReadingAndNothingIsRefreshed(CapturedOutput output) {
		AtomicInteger tried = new AtomicInteger();
		AtprotoSessionKeepAlive keepAlive = keepAlive(List.of(), (service, did, dueBefore, now, until) -> {
			tried.incrementAndGet();
			throw new IllegalStateException("no column claimed_until");
		});
		this.clock.advance(Duration.ofDays(84));
		this.pds.resetCounters();
		for (int run = 0; run < 5; run++) {
			assertThat(keepAlive.runOnce()).isFalse();
		}
		assertThat(tried).hasValue(3);
		assertThat(this.pds.totalCalls()).isZero();
		assertThat(output.getAll().split("Could not claim", -1)).hasSize(2);
		assertThat(output).contains("claimed_until");
	}

	@Test
	void badSettingsAreReportedWithTheirProperties() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new AtprotoSessionKeepAlive(this.registry, List.of(), this.store,
					SessionKeepAliveClaims.local(), this.clock, Duration.ofDays(7), Duration.ofMinutes(10), 0))
			.withMessageContaining("atproto.keep-alive.max-per-minute");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new AtprotoSessionKeepAlive(this.registry, List.of(), this.store,
					SessionKeepAliveClaims.local(), this.clock, Duration.ZERO, Duration.ofMinutes(10), 30))
			.withMessageContaining("atproto.keep-alive.refresh-before");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> new AtprotoSessionKeepAlive(this.registry, List.of(), this.store,
					SessionKeepAliveClaims.local(), this.clock, Duration.ofDays(7), null, 30))
			.withMessageContaining("atproto.keep-alive.period");
	}

}
