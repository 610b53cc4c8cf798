package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoKeepAliveClaimsAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.JdbcSessionKeepAliveClaims;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.StoredAccount;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many accounts in one application, on the PDS double and H2: named accounts from
 * properties beside the primary one, the registry of accounts added at runtime, and the
 * keeping alive of idle sessions, across restarts and across two instances on one
 * database.
 */
@ExtendWith(OutputCaptureExtension.class)
class AtprotoAccountsTests {

	static final String PASSWORD = "app-password-1234";

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	Map<String, String> dids;

	ApplicationContextRunner runner;

	ApplicationContextRunner configured;

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.dids = new java.util.LinkedHashMap<>();
		for (String name : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
			this.dids.put(name, this.pds.createAccount(name + ".test", name + "@example.com", PASSWORD).did());
		}
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoKeepAliveClaimsAutoConfiguration.class,
							AtprotoAutoConfiguration.class, AtprotoAccountsAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withBean(Events.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + this.pds.url(),
					// Driven by the tests themselves, with the clock, where they need it.
					"atproto.keep-alive.enabled=false");
		this.configured = this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD,
				"atproto.accounts.bot1.handle=bob.test", "atproto.accounts.bot1.password=" + PASSWORD,
				"atproto.accounts.bot2.handle=carol.test", "atproto.accounts.bot2.password=" + PASSWORD);
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	// --- accounts from properties

	@Test
	void namedAccountsAreClientBeansNamedAfterThemAndThePrimaryStaysTheDefault() {
		this.configured.withUserConfiguration(Injected.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(AtprotoClient.class)).containsOnlyKeys("atprotoClient", "bot1", "bot2");
			Injected injected = context.getBean(Injected.class);
			assertThat(injected.primary).isSameAs(context.getBean("atprotoClient"));
			assertThat(injected.bot1).isSameAs(context.getBean("bot1"));
			assertThat(did(injected.primary)).isEqualTo(this.dids.get("alice"));
			assertThat(did(injected.bot1)).isEqualTo(this.dids.get("bob"));
			assertThat(did(context.getBean("bot2", AtprotoClient.class))).isEqualTo(this.dids.get("carol"));
			assertThat(context.getBean(Events.class).seen()).containsExactlyInAnyOrder("atprotoClient CREATE",
					"bot1 CREATE", "bot2 CREATE");
			assertThat(column(context, "select did from atproto_session"))
				.containsExactlyInAnyOrder(this.dids.get("alice"), this.dids.get("bob"), this.dids.get("carol"));
		});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(3);
	}

	@Test
	void aRestartResumesEveryAccountWithoutANetworkCall() {
		this.configured.run((context) -> assertThat(context).hasNotFailed());
		this.pds.resetCounters();
		this.configured.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Events.class).seen()).containsExactlyInAnyOrder("atprotoClient IMPORT",
					"bot1 IMPORT", "bot2 IMPORT");
			assertThat(this.pds.totalCalls()).isZero();
			assertThat(context.getBean("bot2", AtprotoClient.class).getSession().handle()).isEqualTo("carol.test");
		});
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aRestartAfterTheAccessTokensExpiredRefreshesEachAccountOnce() {
		this.configured.run((context) -> assertThat(context).hasNotFailed());
		this.pds.resetCounters();
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		this.configured.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(Events.class).seen()).containsExactlyInAnyOrder("atprotoClient IMPORT",
					"atprotoClient REFRESH", "bot1 IMPORT", "bot1 REFRESH", "bot2 IMPORT", "bot2 REFRESH");
		});
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(3);
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aRefreshOfOneAccountNeverTouchesAnother() {
		this.configured.run((context) -> {
			Map<String, Long> versions = versions(context);
			context.getBean(Events.class).clear();
			this.pds.resetCounters();
			context.getBean("bot1", AtprotoClient.class).refreshSession();
			assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
			assertThat(this.pds.totalCalls()).isEqualTo(1);
			assertThat(context.getBean(Events.class).seen()).containsExactly("bot1 REFRESH");
			Map<String, Long> after = versions(context);
			assertThat(after.get(this.dids.get("bob"))).isGreaterThan(versions.get(this.dids.get("bob")));
			assertThat(after.get(this.dids.get("alice"))).isEqualTo(versions.get(this.dids.get("alice")));
			assertThat(after.get(this.dids.get("carol"))).isEqualTo(versions.get(this.dids.get("carol")));
		});
	}

	@Test
	void twoInstancesOnOneDatabaseRefreshEachAccountOncePerExpiry() {
		this.configured.run((context) -> assertThat(context).hasNotFailed());
		this.configured.run((a) -> this.configured.run((b) -> {
			AtprotoClients registryA = a.getBean(AtprotoClients.class);
			registryA.login("dave.test", PASSWORD);
			List<AtprotoClient> clients = new ArrayList<>();
			for (AssertableApplicationContext instance : List.of(a, b)) {
				clients.addAll(instance.getBeansOfType(AtprotoClient.class).values());
				clients.add(instance.getBean(AtprotoClients.class).get("dave.test"));
			}
			this.pds.resetCounters();
			for (int expiry = 1; expiry <= 2; expiry++) {
				this.clock.advance(Duration.ofHours(2).plusMinutes(1));
				assertThat(callTogether(clients, 4)).isZero();
				assertThat(this.pds.callCount(REFRESH)).isEqualTo(expiry * 4);
			}
		}));
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aRefusedLoginOfANamedAccountFailsTheStartAndNamesItsProperties() {
		this.configured.withPropertyValues("atproto.accounts.bot2.password=not-the-password").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new AtprotoStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription())
				.contains("carol.test", "atproto.accounts.bot2.handle", "atproto.service", "AuthenticationRequired")
				.doesNotContain("not-the-password");
			assertThat(analysis.getAction()).contains("atproto.accounts.bot2.password")
				.doesNotContain("not-the-password");
		});
	}

	@Test
	void aNamedAccountWithoutHandleIsReportedBeforeAnyLogin() {
		this.runner.withPropertyValues("atproto.accounts.bot1.password=" + PASSWORD).run((context) -> {
			assertThat(rootCause(context)).isInstanceOf(AtprotoConfigurationException.class)
				.hasMessageContaining("atproto.accounts.bot1.handle");
		});
		this.runner
			.withPropertyValues("atproto.accounts.bot1.handle=bob.test", "atproto.accounts.bot1.service=bsky.social")
			.run((context) -> assertThat(rootCause(context)).hasMessageContaining("atproto.accounts.bot1.service"));
		this.runner
			.withPropertyValues("atproto.accounts.bot1.handle=bob.test",
					"atproto.accounts.bot1.password=${BOT1_PASSWORD_THAT_IS_NOT_SET}")
			.run((context) -> assertThat(rootCause(context)).hasMessageContaining("atproto.accounts.bot1.password")
				.hasMessageContaining("BOT1_PASSWORD_THAT_IS_NOT_SET"));
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void aNamedAccountCannotTakeTheNameOfAnotherBean() {
		this.runner.withPropertyValues("atproto.accounts.dataSource.handle=bob.test")
			.run((context) -> assertThat(rootCause(context)).isInstanceOf(AtprotoConfigurationException.class)
				.hasMessageContaining("atproto.accounts.dataSource"));
	}

	@Test
	void aMistypedPropertyOfANamedAccountIsPointedOut(CapturedOutput output) {
		this.runner
			.withPropertyValues("atproto.accounts.bot1.handle=bob.test", "atproto.accounts.bot1.pasword=" + PASSWORD)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Unknown property 'atproto.accounts.bot1.pasword'",
				"did you mean 'atproto.accounts.bot1.password'");
		assertThat(output).doesNotContain("Unknown property 'atproto.accounts.bot1.handle'");
	}

	@Test
	void withoutAtprotoHandleTheNamedAccountsStandBesideAClientWithoutSession() {
		this.runner
			.withPropertyValues("atproto.accounts.bot1.handle=bob.test", "atproto.accounts.bot1.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context.getBean(AtprotoClient.class)).isSameAs(context.getBean("atprotoClient"));
				assertThat(context.getBean(AtprotoClient.class).session()).isEmpty();
				assertThat(did(context.getBean("bot1", AtprotoClient.class))).isEqualTo(this.dids.get("bob"));
			});
	}

	// --- accounts added at runtime

	@Test
	void theRegistryAddsAccountsAtRuntimeAndARestartFindsThemWithoutALogin() {
		String dave = this.dids.get("dave");
		this.configured.run((context) -> {
			AtprotoClients registry = context.getBean(AtprotoClients.class);
			context.getBean(Events.class).clear();
			AtprotoClient client = registry.login("dave.test", PASSWORD);
			assertThat(client.hasCredentials()).isFalse();
			assertThat(context.getBean(Events.class).seen()).containsExactly(dave + " CREATE");
			assertThat(context.getBean(Events.class).clients).containsExactly(client);
		});
		this.pds.resetCounters();
		this.configured.run((context) -> {
			AtprotoClients registry = context.getBean(AtprotoClients.class);
			context.getBean(Events.class).clear();
			assertThat(registry.list()).extracting(StoredAccount::did)
				.containsExactlyInAnyOrder(this.dids.get("alice"), this.dids.get("bob"), this.dids.get("carol"), dave);
			AtprotoClient client = registry.get(dave);
			assertThat(registry.get("dave.test")).isSameAs(client);
			assertThat(context.getBean(Events.class).seen()).containsExactly(dave + " IMPORT");
			assertThat(this.pds.totalCalls()).isZero();
			assertThat(client.getSession().handle()).isEqualTo("dave.test");
			// The configured accounts are handed out as their beans.
			assertThat(registry.get("bob.test")).isSameAs(context.getBean("bot1"));
		});
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void removingAnAccountLogsItOutAndDeletesItsRow() {
		this.runner.run((context) -> {
			AtprotoClients registry = context.getBean(AtprotoClients.class);
			registry.login("dave.test", PASSWORD);
			registry.login("erin.test", PASSWORD);
			assertThat(registry.remove("dave.test")).isTrue();
			assertThat(column(context, "select handle from atproto_session")).containsExactly("erin.test");
			assertThat(registry.find("dave.test")).isEmpty();
			assertThat(context.getBean(Events.class).seen()).containsExactly(this.dids.get("dave") + " CREATE",
					this.dids.get("erin") + " CREATE", this.dids.get("dave") + " DELETE");
		});
		assertThat(this.pds.callCount("com.atproto.server.deleteSession")).isEqualTo(1);
	}

	@Test
	void theRegistryKeepsAtMostMaxResidentClientsInMemory() {
		this.runner.withPropertyValues("atproto.registry.max-resident=2").run((context) -> {
			AtprotoClients registry = context.getBean(AtprotoClients.class);
			assertThat(registry.maxResident()).isEqualTo(2);
			for (String name : List.of("bob", "carol", "dave", "erin", "frank")) {
				registry.login(name + ".test", PASSWORD);
				assertThat(registry.residentCount()).isLessThanOrEqualTo(2);
			}
			assertThat(registry.list()).hasSize(5);
		});
	}

	@Test
	void aMaxResidentBelowOneIsReportedWithItsProperty() {
		this.runner.withPropertyValues("atproto.registry.max-resident=0")
			.run((context) -> assertThat(rootCause(context)).hasMessageContaining("atproto.registry.max-resident"));
	}

	// --- keeping idle sessions alive

	@Test
	void theKeepAliveRunsByDefaultAndCanBeTurnedOff() {
		this.runner.withPropertyValues("atproto.keep-alive.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(AtprotoSessionKeepAlive.class)
				.hasSingleBean(JdbcSessionKeepAliveClaims.class);
			assertThat(context.getBean(AtprotoSessionKeepAlive.class).isRunning()).isTrue();
			assertThat(context.getBean(AtprotoSessionKeepAlive.class).interval()).isEqualTo(Duration.ofSeconds(2));
		});
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(AtprotoSessionKeepAlive.class)
			.doesNotHaveBean(SessionKeepAliveClaims.class));
	}

	@Test
	void theKeepAliveRefreshesSessionsNearTheirEndOnceEachAndAtMostMaxPerMinute() {
		List<String> names = List.of("bob", "carol", "dave", "erin", "frank");
		this.runner.run((context) -> {
			AtprotoClients registry = context.getBean(AtprotoClients.class);
			for (String name : names) {
				registry.login(name + ".test", PASSWORD);
			}
			AtprotoSessionKeepAlive keepAlive = keepAlive(context, 2);
			assertThat(keepAlive.runOnce()).isFalse();
			this.clock.advance(Duration.ofDays(84));
			this.pds.resetCounters();
			context.getBean(Events.class).clear();
			List<Integer> perMinute = new ArrayList<>();
			for (int minute = 0; minute < 4; minute++) {
				int before = this.pds.callCount(REFRESH);
				for (int run = 0; run < 5; run++) {
					keepAlive.runOnce();
				}
				perMinute.add(this.pds.callCount(REFRESH) - before);
				this.clock.advance(Duration.ofMinutes(1));
			}
			assertThat(perMinute).containsExactly(2, 2, 1, 0);
			assertThat(context.getBean(Events.class).seen()).filteredOn((seen) -> seen.endsWith("REFRESH"))
				.containsExactlyInAnyOrderElementsOf(
						names.stream().map((name) -> this.dids.get(name) + " REFRESH").toList());
			// Refreshed for another 90 days: nothing is due at the next reading.
			this.clock.advance(Duration.ofMinutes(10));
			assertThat(keepAlive.runOnce()).isFalse();
			assertThat(keepAlive.refreshes()).isEqualTo(5);
			assertThat(this.pds.callCount(CREATE)).isZero();
		});
	}

	@Test
	void twoInstancesOnOneDatabaseKeepEachAccountAliveOnce() {
		List<String> names = List.of("bob", "carol", "dave", "erin", "frank");
		this.runner.run((a) -> this.runner.run((b) -> {
			AtprotoClients registry = a.getBean(AtprotoClients.class);
			for (String name : names) {
				registry.login(name + ".test", PASSWORD);
			}
			AtprotoSessionKeepAlive keepAliveA = keepAlive(a, 60);
			AtprotoSessionKeepAlive keepAliveB = keepAlive(b, 60);
			this.clock.advance(Duration.ofDays(85));
			this.pds.resetCounters();
			for (int run = 0; run < 10; run++) {
				keepAliveA.runOnce();
				keepAliveB.runOnce();
			}
			assertThat(this.pds.callCount(REFRESH)).isEqualTo(names.size());
			assertThat(keepAliveA.refreshes() + keepAliveB.refreshes()).isEqualTo(names.size());
			assertThat(keepAliveA.refreshes()).isPositive();
			assertThat(keepAliveB.refreshes()).isPositive();
		}));
	}

	@Test
	void sessionsWhoseRefreshTokenHasExpiredAreLeftAlone() {
		this.runner.run((context) -> {
			context.getBean(AtprotoClients.class).login("dave.test", PASSWORD);
			AtprotoSessionKeepAlive keepAlive = keepAlive(context, 60);
			this.clock.advance(Duration.ofDays(91));
			this.pds.resetCounters();
			assertThat(keepAlive.runOnce()).isFalse();
			assertThat(this.pds.totalCalls()).isZero();
		});
	}

	// --- helpers

	private AtprotoSessionKeepAlive keepAlive(AssertableApplicationContext context, int maxPerMinute) {
		return new AtprotoSessionKeepAlive(context.getBean(AtprotoClients.class),
				List.copyOf(context.getBeansOfType(AtprotoClient.class).values()), context.getBean(SessionStore.class),
				new JdbcSessionKeepAliveClaims(context.getBean(DataSource.class), 5), this.clock, Duration.ofDays(7),
				Duration.ofMinutes(10), maxPerMinute);
	}

	private static Throwable rootCause(AssertableApplicationContext context) {
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
	}

	private static String did(AtprotoClient client) {
		return client.session().orElseThrow().did();
	}

	private static <T> T query(AssertableApplicationContext context, Function<JdbcTemplate, T> work) {
		return work.apply(new JdbcTemplate(context.getBean(DataSource.class)));
	}

	private static List<String> column(AssertableApplicationContext context, String sql) {
		return query(context, (jdbc) -> jdbc.queryForList(sql, String.class));
	}

	private static Map<String, Long> versions(AssertableApplicationContext context) {
		Map<String, Long> versions = new java.util.HashMap<>();
		query(context, (jdbc) -> jdbc.queryForList("select did, version from atproto_session"))
			.forEach((row) -> versions.put((String) row.get("DID"), ((Number) row.get("VERSION")).longValue()));
		return versions;
	}

	private static int callTogether(List<AtprotoClient> clients, int threadsPerClient) {
		ExecutorService pool = Executors.newFixedThreadPool(clients.size() * threadsPerClient);
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Boolean>> calls = new ArrayList<>();
		try {
			for (AtprotoClient client : clients) {
				for (int i = 0; i < threadsPerClient; i++) {
					calls.add(pool.submit(() -> {
						go.await();
						try {
							client.getSession();
							return true;
						}
						catch (RuntimeException ex) {
							return false;
						}
					}));
				}
			}
			go.countDown();
			int failures = 0;
			for (Future<Boolean> call : calls) {
				failures += call.get(60, TimeUnit.SECONDS) ? 0 : 1;
			}
			return failures;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** The application's listener: which account, what happened. */
	static class Events {

		final List<String> seen = new CopyOnWriteArrayList<>();

		final List<AtprotoClient> clients = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionChangedEvent event) {
			this.seen.add(event.getAccount() + " " + event.getType());
			this.clients.add(event.getClient());
		}

		List<String> seen() {
			return List.copyOf(this.seen);
		}

		void clear() {
			this.seen.clear();
			this.clients.clear();
		}

	}

	/** An application bean that injects the primary client and a named one. */
	@Configuration(proxyBeanMethods = false)
	static class Injected {

		final AtprotoClient primary;

		final AtprotoClient bot1;

		Injected(AtprotoClient primary, @Qualifier("bot1") AtprotoClient bot1) {
			this.primary = primary;
			this.bot1 = bot1;
		}

	}

}
