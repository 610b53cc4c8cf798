package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RateLimitTests extends PdsDoubleSupport {

	static final String CREATE = "com.atproto.server.createSession";

	@Override
	PdsDouble.Builder configure(PdsDouble.Builder builder) {
		// Retry-After as a proxy in front may add (the reference PDS itself sends only
		// RateLimit-Reset).
		return builder.rateLimits(true).rateLimitRetryAfter(true).createSessionLimit(3, 300);
	}

	@Test
	void theServersAnswer429IsMappedWithItsHeaders() {
		AtprotoClient client = client((builder) -> builder.loginBudget(LoginBudget.unlimited()));
		for (int i = 0; i < 3; i++) {
			client.login(HANDLE, PASSWORD);
		}
		Instant windowEnd = this.clock.instant().plus(Duration.ofMinutes(5));
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(429);
				assertThat(ex.isLocal()).isFalse();
				assertThat(ex.limit()).hasValue(3);
				assertThat(ex.remaining()).hasValue(0);
				assertThat(ex.policy()).contains("3;w=300");
				assertThat(ex.reset()).contains(windowEnd);
				assertThat(ex.retryAfter()).contains(Duration.ofMinutes(5));
				assertThat(ex.retryAt()).isEqualTo(windowEnd);
			});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(4);
	}

	@Test
	void afterA429TheClientRefusesLoginsItselfUntilTheReset() {
		AtprotoClient client = client((builder) -> builder.loginBudget(
				new InMemoryLoginBudget(this.clock, List.of(new LoginBudget.Window(1000, Duration.ofMinutes(5))))));
		for (int i = 0; i < 3; i++) {
			client.login(HANDLE, PASSWORD);
		}
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> assertThat(ex.isLocal()).isFalse());
		Instant reset = this.clock.instant().plus(Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(4));
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.isLocal()).isTrue();
				assertThat(ex.retryAt()).isEqualTo(reset);
				assertThat(ex.retryAfter()).contains(Duration.ofMinutes(1));
			});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(4);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(client.login(HANDLE, PASSWORD).did()).isEqualTo(this.did);
	}

	@Test
	void theClientsBudgetStopsBeforeTheServerWould() {
		AtprotoClient client = client((builder) -> builder.loginBudget(
				new InMemoryLoginBudget(this.clock, List.of(new LoginBudget.Window(2, Duration.ofMinutes(5))))));
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofMinutes(1));
		assertThatExceptionOfType(AuthenticationRequiredException.class)
			.isThrownBy(() -> client.login(HANDLE, "wrong"));
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.isLocal()).isTrue();
				assertThat(ex.limit()).hasValue(2);
				assertThat(ex.policy()).contains("2;w=300");
				assertThat(ex.retryAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(4)));
				assertThat(ex.getMessage()).contains("without calling the server").doesNotContain(PASSWORD);
			});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
	}

	@Test
	void theDefaultBudgetIsThirtyPerFiveMinutesAndThreeHundredPerDay() {
		InMemoryLoginBudget budget = new InMemoryLoginBudget(this.clock);
		for (int i = 0; i < 30; i++) {
			budget.acquire("Alice.test");
		}
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> budget.acquire("alice.test"))
			.satisfies((ex) -> assertThat(ex.policy()).contains("30;w=300"));
		budget.acquire("bob.test");
		for (int hour = 0; hour < 9; hour++) {
			this.clock.advance(Duration.ofMinutes(5));
			for (int i = 0; i < 30; i++) {
				budget.acquire("alice.test");
			}
		}
		this.clock.advance(Duration.ofMinutes(5));
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> budget.acquire("alice.test"))
			.satisfies((ex) -> assertThat(ex.policy()).contains("300;w=86400"));
	}

	@Test
	void theHandleTheEmailAndTheDidOfOneAccountShareOneBudget() {
		InMemoryLoginBudget budget = new InMemoryLoginBudget(this.clock,
				List.of(new LoginBudget.Window(2, Duration.ofMinutes(5))));
		client((builder) -> builder.loginBudget(budget)).login(HANDLE, PASSWORD);
		client((builder) -> builder.loginBudget(budget)).login(EMAIL, PASSWORD);
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> client((builder) -> builder.loginBudget(budget)).login(this.did, PASSWORD))
			.satisfies((ex) -> assertThat(ex.isLocal()).isTrue());
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> client((builder) -> builder.loginBudget(budget)).login(HANDLE.toUpperCase(), PASSWORD));
		assertThat(this.pds.callCount("com.atproto.server.createSession")).isEqualTo(2);
	}

}
