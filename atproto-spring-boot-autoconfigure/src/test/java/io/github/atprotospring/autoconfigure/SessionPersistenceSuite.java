package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionString;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreMigrationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's session persistence against a real database: each test starts application
 * contexts one after the other on the same database, as restarts of one application
 * would. Subclasses name the database.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SessionPersistenceSuite {

	static final String PASSWORD = "app-password-1234";

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

	/**
	 * A fresh, empty database: its JDBC URL, user name and password as spring.datasource
	 * properties.
	 */
	abstract List<String> newDatabase();

	/**
	 * Adapts the contexts to the database, for databases that need more than
	 * spring.datasource properties.
	 * @param runner the runner of every context of a test
	 * @return the runner to use instead
	 */
	ApplicationContextRunner customize(ApplicationContextRunner runner) {
		return runner;
	}

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					HibernateJpaAutoConfiguration.class, RestClientAutoConfiguration.class,
					AtprotoJpaSessionStoreAutoConfiguration.class, AtprotoAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withBean(RecordedEvents.class)
			.withPropertyValues(newDatabase().toArray(String[]::new))
			// JPA only checks the schema: the starter's own migrations must have created
			// it.
			.withPropertyValues("spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + this.pds.url(),
					"atproto.handle=alice.test");
		this.runner = customize(this.runner);
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void restartsResumeTheStoredSessionInsteadOfLoggingIn() {
		ApplicationContextRunner withPassword = this.runner.withPropertyValues("atproto.password=" + PASSWORD);
		withPassword.run(expect(List.of(SessionEvent.CREATE)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		long createdVersion = version();

		withPassword.run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		assertThat(this.pds.callCount(REFRESH)).isZero();

		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		withPassword.run(expect(List.of(SessionEvent.IMPORT, SessionEvent.REFRESH)));
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		assertThat(version()).isGreaterThan(createdVersion);

		this.runner.run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.hasCredentials()).isFalse();
			assertThat(client.getSession().handle()).isEqualTo("alice.test");
		});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void aDeadStoredSessionIsReplacedByALoginWithThePassword() {
		ApplicationContextRunner withPassword = this.runner.withPropertyValues("atproto.password=" + PASSWORD);
		withPassword.run(expect(List.of(SessionEvent.CREATE)));
		revokeStoredSessionAndLetItExpire();

		withPassword.run(expect(List.of(SessionEvent.IMPORT, SessionEvent.CREATE)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
		withPassword.run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
	}

	@Test
	void aCorruptStoredRowIsIgnoredAndReplaced() {
		ApplicationContextRunner withPassword = this.runner.withPropertyValues("atproto.password=" + PASSWORD);
		withPassword.run(expect(List.of(SessionEvent.CREATE)));
		query((jdbc) -> jdbc.update("update atproto_session set session_string = 'not a session'"));

		withPassword.run(expect(List.of(SessionEvent.CREATE)));
		withPassword.run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
	}

	@Test
	void theApplicationsOwnFlywayMigrationsAndTheStartersBothApply() {
		ApplicationContextRunner withAppFlyway = this.runner
			.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
			.withPropertyValues("atproto.password=" + PASSWORD, "spring.flyway.locations=classpath:db/app-migration");
		withAppFlyway.run((context) -> {
			assertThat(context).hasNotFailed();
			DataSource dataSource = context.getBean(DataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			jdbc.update("insert into app_note (id, text) values (1, 'hello')");
			assertThat(jdbc.queryForObject("select count(*) from atproto_session", Integer.class)).isEqualTo(1);
			// Through Flyway: each database quotes the history's names its own way.
			assertThat(appliedVersions(context.getBean(Flyway.class))).containsExactly("1 applied");
			assertThat(
					appliedVersions(Flyway.configure().dataSource(dataSource).table("atproto_schema_history").load()))
				.contains("1 applied", "2 applied");
		});
		withAppFlyway.run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("select text from app_note where id = 1", String.class)).isEqualTo("hello");
		});
	}

	@Test
	void instancesSharingTheDatabaseCauseOneRefreshPerExpiry() {
		ApplicationContextRunner withPassword = this.runner.withPropertyValues("atproto.password=" + PASSWORD);
		withPassword.run(expect(List.of(SessionEvent.CREATE)));
		withPassword.run((a) -> withPassword.run((b) -> {
			for (int expiry = 1; expiry <= 3; expiry++) {
				this.clock.advance(Duration.ofHours(2).plusMinutes(1));
				int failures = callTogether(List.of(a.getBean(AtprotoClient.class), b.getBean(AtprotoClient.class)),
						16);
				assertThat(failures).isZero();
				assertThat(this.pds.callCount(REFRESH)).isEqualTo(expiry);
			}
			List<SessionEvent> all = new java.util.ArrayList<>(a.getBean(RecordedEvents.class).types());
			all.addAll(b.getBean(RecordedEvents.class).types());
			// Each expiry: one instance refreshed, the other adopted the stored session
			// (an IMPORT).
			assertThat(all).filteredOn((type) -> type == SessionEvent.REFRESH).hasSize(3);
			assertThat(all).filteredOn((type) -> type == SessionEvent.IMPORT).hasSize(2 + 3);
			assertThat(a.getBean(AtprotoClient.class)
				.session()
				.orElseThrow()
				.sameTokensAs(b.getBean(AtprotoClient.class).session().orElseThrow())).isTrue();
		}));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void anInstanceHoldingAnOlderSessionAdoptsTheStoredOneInsteadOfSpendingARevokedToken() {
		// Like bsky.social: a used refresh token is revoked at once, with no grace
		// window.
		try (PdsDouble strict = PdsDouble.builder().clock(this.clock).refreshGracePeriod(Duration.ZERO).start()) {
			strict.createAccount("alice.test", "alice@example.com", PASSWORD);
			ApplicationContextRunner withPassword = this.runner.withPropertyValues("atproto.service=" + strict.url(),
					"atproto.password=" + PASSWORD);
			withPassword.run(expect(List.of(SessionEvent.CREATE)));
			withPassword.run((a) -> withPassword.run((b) -> {
				this.clock.advance(Duration.ofHours(2).minusMinutes(4));
				Session refreshedByA = a.getBean(AtprotoClient.class).refreshSession();
				AtprotoClient clientB = b.getBean(AtprotoClient.class);
				assertThat(clientB.getSession().handle()).isEqualTo("alice.test");
				assertThat(clientB.session().orElseThrow().sameTokensAs(refreshedByA)).isTrue();
				assertThat(b.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT,
						SessionEvent.IMPORT);
			}));
			assertThat(strict.callCount(REFRESH)).isEqualTo(1);
			assertThat(strict.callCount(CREATE)).isEqualTo(1);
		}
	}

	@Test
	void aDatabaseThatCannotCoordinateDoesNotCostTheApplicationItsCalls() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			assertThat(context).hasNotFailed();
			new JdbcTemplate(context.getBean(DataSource.class)).execute("drop table atproto_session");
			this.clock.advance(Duration.ofHours(2).plusMinutes(1));
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.getSession().handle()).isEqualTo("alice.test");
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE,
					SessionEvent.REFRESH);
		});
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aCrashLoopWithADeadSessionAndAWrongPasswordStopsCallingTheServerOnceTheBudgetIsSpent(CapturedOutput output) {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run(expect(List.of(SessionEvent.CREATE)));
		revokeStoredSessionAndLetItExpire();

		ApplicationContextRunner crashing = this.runner.withPropertyValues("atproto.password=wrong-password",
				"atproto.login-budget.max-per-five-minutes=3");
		List<Boolean> started = new java.util.ArrayList<>();
		for (int restart = 0; restart < 6; restart++) {
			crashing.run((context) -> started.add(context.getStartupFailure() == null));
		}
		// Three wrong logins fail the start; then the shared budget refuses without
		// calling the server.
		assertThat(started).containsExactly(false, false, false, true, true, true);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1 + 3);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(output)
			.contains("the next attempt is allowed at " + this.clock.instant().plus(Duration.ofMinutes(5)));
	}

	private static int callTogether(List<AtprotoClient> clients, int threadsPerClient) {
		ExecutorService pool = Executors.newFixedThreadPool(clients.size() * threadsPerClient);
		CountDownLatch go = new CountDownLatch(1);
		AtomicInteger failures = new AtomicInteger();
		List<Future<?>> calls = new java.util.ArrayList<>();
		try {
			for (AtprotoClient client : clients) {
				for (int i = 0; i < threadsPerClient; i++) {
					calls.add(pool.submit(() -> {
						go.await();
						try {
							client.getSession();
						}
						catch (RuntimeException ex) {
							failures.incrementAndGet();
						}
						return null;
					}));
				}
			}
			go.countDown();
			for (Future<?> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			pool.shutdownNow();
		}
		return failures.get();
	}

	/**
	 * The migrations in a history, as "version applied" or "version failed", the baseline
	 * left out.
	 */
	private static List<String> appliedVersions(Flyway flyway) {
		return Arrays.stream(flyway.info().applied())
			.filter((migration) -> migration.getType() != CoreMigrationType.BASELINE)
			.map((migration) -> migration.getVersion().getVersion()
					+ (migration.getState().isFailed() ? " failed" : " applied"))
			.toList();
	}

	private ContextConsumer<AssertableApplicationContext> expect(List<SessionEvent> events) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RecordedEvents.class).types()).isEqualTo(events);
			assertThat(context.getBean(AtprotoClient.class).session()).isPresent();
		};
	}

	/**
	 * Makes the stored session dead: its refresh token revoked at the server, its access
	 * token expired.
	 */
	private void revokeStoredSessionAndLetItExpire() {
		Session stored = SessionString
			.parse(query((jdbc) -> jdbc.queryForObject("select session_string from atproto_session", String.class)));
		AtprotoClient other = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		other.importSession(stored);
		other.logout();
		this.clock.advance(Duration.ofHours(3));
	}

	private long version() {
		return query((jdbc) -> jdbc.queryForObject("select version from atproto_session", Long.class));
	}

	/** Reads or changes the database in a context without the atproto client. */
	private <T> T query(Function<JdbcTemplate, T> work) {
		AtomicReference<T> result = new AtomicReference<>();
		this.runner.withPropertyValues("atproto.enabled=false")
			.run((context) -> result.set(work.apply(new JdbcTemplate(context.getBean(DataSource.class)))));
		return result.get();
	}

}
