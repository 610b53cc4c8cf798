package io.github.atprotospring.e2e;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.ReferencePdsExtension.Plain;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The concurrency claims against the reference PDS: 32 threads through an expiry cause
 * one {@code refreshSession}, whether the client saw the expiry coming (proactive) or the
 * server answered {@code 400 ExpiredToken} to all of them (reactive); and two starter
 * instances on one H2 file database refresh once per expiry between them. Every call goes
 * through a {@link CountingProxy} that counts what reached the server (the PDS without
 * didDoc in its answers, so that no call goes around the proxy).
 */
@ExtendWith(ReferencePdsExtension.class)
class ConcurrencyIT {

	static final int THREADS = 32;

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String CREATE = "com.atproto.server.createSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	@Test
	void threadsThatSeeTheExpiryComingCauseOneRefreshPerExpiry(@Plain ReferencePds pds) throws Exception {
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			MutableClock clock = MutableClock.startingNow();
			AtprotoClient client = AtprotoClient.builder()
				.service(proxy.url())
				.restClientBuilder(ReferencePds.restClientBuilder(account.clientIp()))
				.clock(clock)
				.build();
			client.login(account.handle(), account.password());
			for (int expiry = 1; expiry <= 2; expiry++) {
				clock.advance(Duration.ofHours(2).plusMinutes(1));
				assertThat(together(THREADS, () -> client.getSession().did())).isZero();
				assertThat(proxy.count(REFRESH)).isEqualTo(expiry);
			}
			assertThat(proxy.count(GET_SESSION)).isEqualTo(2 * THREADS);
			assertThat(proxy.count(CREATE)).isEqualTo(1);
		}
	}

	@Test
	void threadsThatAllHearTheirTokenHasExpiredCauseOneRefresh(@Plain ReferencePds pds) throws Exception {
		ReferencePds.Account account = pds.createAccount();
		Session real = pds.clientBuilder(account.clientIp()).build().login(account.handle(), account.password());
		Instant now = Instant.now();
		// The server signed it and says it expired a minute ago; the client, three hours
		// behind, believes it valid until the server's answer.
		String expired = pds.mintAccessToken(account.did(), now.minus(Duration.ofHours(2)), now.minusSeconds(60));
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient client = AtprotoClient.builder()
				.service(proxy.url())
				.restClientBuilder(ReferencePds.restClientBuilder(account.clientIp()))
				.clock(MutableClock.at(now.minus(Duration.ofHours(3))))
				.build();
			client.importSession(new Session(account.handle(), account.did(), expired, real.refreshJwt(), proxy.url()));
			assertThat(together(THREADS, () -> client.getSession().did())).isZero();
			assertThat(proxy.count(REFRESH)).isEqualTo(1);
			assertThat(proxy.calls()).filteredOn((call) -> call.nsid().equals(GET_SESSION) && call.status() == 400)
				.isNotEmpty();
			assertThat(proxy.count(CREATE)).isZero();
		}
	}

	@Test
	void twoInstancesOnOneDatabaseRefreshOncePerExpiry(@Plain ReferencePds pds) throws Exception {
		ReferencePds.Account account = pds.createAccount();
		Path database = Path
			.of(System.getProperty("atproto.e2e.work", "target/e2e"), "h2", UUID.randomUUID().toString())
			.toAbsolutePath();
		MutableClock clock = MutableClock.startingNow();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			ApplicationContextRunner instance = new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
								RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
								AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
				.withBean(Clock.class, () -> clock)
				.withBean(RestClientCustomizer.class,
						() -> (builder) -> builder.defaultHeader("X-Forwarded-For", account.clientIp()))
				.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + database,
						"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + proxy.url(),
						"atproto.handle=" + account.handle(), "atproto.password=" + account.password());
			try {
				instance.run((a) -> instance.run((b) -> {
					assertThat(a).hasNotFailed();
					assertThat(b).hasNotFailed();
					List<AtprotoClient> clients = List.of(a.getBean(AtprotoClient.class),
							b.getBean(AtprotoClient.class));
					for (int expiry = 1; expiry <= 3; expiry++) {
						// Time passes for the instances and the server alike: an instance
						// that adopts a session it did not receive judges it by the
						// server's clock as well.
						clock.advance(Duration.ofHours(2).plusMinutes(1));
						pds.setClockOffset(Duration.ofHours(2).plusMinutes(1).multipliedBy(expiry));
						assertThat(together(THREADS / 2, clients, (client) -> client.getSession().did())).isZero();
						assertThat(proxy.count(REFRESH)).isEqualTo(expiry);
					}
					assertThat(
							clients.get(0).session().orElseThrow().sameTokensAs(clients.get(1).session().orElseThrow()))
						.isTrue();
				}));
			}
			finally {
				pds.setClockOffset(Duration.ZERO);
			}
			assertThat(proxy.count(CREATE)).isEqualTo(1);
		}
	}

	/** Starts the calls at one gate and counts those that failed. */
	private static int together(int threads, java.util.concurrent.Callable<String> call) throws Exception {
		return together(threads, List.of(call), (c) -> c.call());
	}

	/**
	 * Starts {@code threads} calls for each target at one gate and counts those that
	 * failed.
	 */
	private static <T> int together(int threads, List<T> targets, ThrowingCall<T> call) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads * targets.size());
		CountDownLatch ready = new CountDownLatch(threads * targets.size());
		CountDownLatch go = new CountDownLatch(1);
		AtomicInteger failures = new AtomicInteger();
		List<Future<?>> futures = new ArrayList<>();
		try {
			for (T target : targets) {
				for (int i = 0; i < threads; i++) {
					futures.add(pool.submit(() -> {
						ready.countDown();
						go.await();
						try {
							call.call(target);
						}
						catch (Exception ex) {
							failures.incrementAndGet();
						}
						return null;
					}));
				}
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			for (Future<?> future : futures) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		return failures.get();
	}

	@FunctionalInterface
	interface ThrowingCall<T> {

		Object call(T target) throws Exception;

	}

}
