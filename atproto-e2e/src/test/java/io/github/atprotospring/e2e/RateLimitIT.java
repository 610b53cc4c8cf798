package io.github.atprotospring.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.RateLimitExceededException;
import io.github.atprotospring.e2e.support.Parallel;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.Xrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Scenario 6: with the PDS's rate limits on (30 createSession per 5 minutes per
 * identifier and client address), the server's 429 reaches the caller with its reset
 * time, and the client's own login budget refuses the 31st login before the server would
 * see it.
 */
@ExtendWith(ReferencePdsExtension.class)
class RateLimitIT {

	private static final String CREATE_SESSION = "com.atproto.server.createSession";

	@Test
	void theServers429IsARateLimitExceededExceptionWithTheServersResetTime(ReferencePds pds) {
		assertThat(pds.options().rateLimits()).isTrue();
		ReferencePds.Account account = pds.createAccount();
		// Wrong passwords count too. The PDS holds every login for at least 350 ms: send
		// them 10 at a time.
		List<Xrpc.Response> spent = Parallel.run(30,
				() -> pds.xrpc()
					.post(CREATE_SESSION, Map.of("identifier", account.handle(), "password", "wrong"), null,
							Map.of("X-Forwarded-For", account.clientIp())));
		assertThat(spent).extracting(Xrpc.Response::status).containsOnly(401);
		assertThat(spent).extracting((answer) -> answer.header("RateLimit-Remaining")).contains("0");
		Instant reset = spent.stream()
			.map((answer) -> Instant.ofEpochSecond(Long.parseLong(answer.header("RateLimit-Reset"))))
			.max(Instant::compareTo)
			.orElseThrow();
		assertThat(reset).isBetween(Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofMinutes(5)));

		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient client = pds.clientBuilder(account.clientIp()).service(proxy.url()).build();
			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> client.login(account.handle(), account.password()))
				.satisfies((ex) -> {
					assertThat(ex.isLocal()).isFalse();
					assertThat(ex.status()).isEqualTo(429);
					assertThat(ex.error()).isEqualTo("RateLimitExceeded");
					assertThat(ex.limit()).hasValue(30);
					assertThat(ex.remaining()).hasValue(0);
					assertThat(ex.policy()).contains("30;w=300");
					assertThat(ex.reset()).contains(reset);
					// The reference PDS sends no Retry-After: the absolute reset is all
					// there is.
					assertThat(ex.retryAfter()).isEmpty();
					assertThat(ex.retryAt()).isEqualTo(reset);
				});
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(1);

			// Until the reset the client refuses by itself, without asking the server
			// again.
			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> client.login(account.handle(), account.password()))
				.satisfies((ex) -> {
					assertThat(ex.isLocal()).isTrue();
					assertThat(ex.retryAt()).isEqualTo(reset);
				});
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(1);
		}
	}

	@Test
	void theClientsLoginBudgetRefusesThe31stLoginBeforeTheServerWould(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			// The default budget: an InMemoryLoginBudget of 30 per 5 minutes and 300 per
			// day.
			AtprotoClient client = pds.clientBuilder(account.clientIp()).service(proxy.url()).build();
			for (int i = 0; i < 30; i++) {
				client.login(account.handle(), account.password());
			}
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(30);
			assertThat(proxy.calls().get(proxy.calls().size() - 1).rateLimitRemaining()).isEqualTo("0");

			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> client.login(account.handle(), account.password()))
				.satisfies((ex) -> {
					assertThat(ex.isLocal()).isTrue();
					assertThat(ex.limit()).hasValue(30);
					assertThat(ex.policy()).contains("30;w=300");
					assertThat(ex.retryAt()).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
				});
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(30);
		}
		// The server would have refused that 31st login: its bucket is spent.
		Xrpc.Response server = pds.xrpc()
			.post(CREATE_SESSION, Map.of("identifier", account.handle(), "password", account.password()), null,
					Map.of("X-Forwarded-For", account.clientIp()));
		assertThat(server.status()).isEqualTo(429);
		assertThat(server.error()).isEqualTo("RateLimitExceeded");
		assertThat(server.message()).isEqualTo("Rate Limit Exceeded");
	}

}
