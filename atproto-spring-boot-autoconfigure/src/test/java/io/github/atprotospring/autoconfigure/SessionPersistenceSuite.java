package io.github.atprotospring.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoSchemaInitializer;
import io.github.atprotospring.autoconfigure.jpa.JdbcLoginBudget;
import io.github.atprotospring.autoconfigure.jpa.JdbcSessionKeepAliveClaims;
import io.github.atprotospring.autoconfigure.jpa.JpaSessionCoordinator;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.NotLoggedInException;
import io.github.atprotospring.client.RateLimitExceededException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;
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
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
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

		withPassword.run(expect(List.of(SessionEvent.IMPORT, SessionEvent.DELETE, SessionEvent.CREATE)));
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

	@Test
	void aBeanThatCallsTheClientWhileTheContextIsBuiltLogsInOnceAndTheSessionIsStored() {
		ApplicationContextRunner early = this.runner.withUserConfiguration(EarlyCaller.class)
			.withPropertyValues("atproto.password=" + PASSWORD);
		for (int start = 0; start < 3; start++) {
			early.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(EarlyCaller.class).did).startsWith("did:");
			});
		}
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		this.runner.run(expect(List.of(SessionEvent.IMPORT)));
	}

	@Test
	void aListenerThatRunsFirstAndThrowsCannotStopTheSave() {
		ApplicationContextRunner throwing = this.runner.withUserConfiguration(ThrowingListener.class)
			.withPropertyValues("atproto.password=" + PASSWORD);
		AtomicReference<Session> held = new AtomicReference<>();
		ContextConsumer<AssertableApplicationContext> holdsTheStoredSession = (context) -> {
			assertThat(context).hasNotFailed();
			held.set(context.getBean(AtprotoClient.class).session().orElseThrow());
			assertThat(stored(context).sameTokensAs(held.get())).isTrue();
		};
		throwing.run(holdsTheStoredSession);
		throwing.run(holdsTheStoredSession);
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		throwing.run(holdsTheStoredSession);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		this.runner.run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			assertThat(context.getBean(AtprotoClient.class).session().orElseThrow().sameTokensAs(held.get())).isTrue();
		});
	}

	@Test
	void logoutRemovesTheStoredSessionSoARestartWithoutPasswordHasNone() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			client.logout();
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE,
					SessionEvent.DELETE);
		});
		Integer rows = query((jdbc) -> jdbc.queryForObject("select count(*) from atproto_session", Integer.class));
		assertThat(rows).isZero();
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.session()).isEmpty();
			assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(client::getSession);
		});
	}

	@Test
	void aRefreshInsideTheApplicationsTransactionIsStoredEvenWhenThatTransactionRollsBack() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			this.clock.advance(Duration.ofHours(2).plusMinutes(1));
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.executeWithoutResult((status) -> {
					client.getSession();
					status.setRollbackOnly();
				});
			assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
			assertThat(stored(context).sameTokensAs(client.session().orElseThrow())).isTrue();
		});
	}

	@Test
	void aRefreshFailureTheClientToleratesLeavesTheApplicationsTransactionAlone() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			this.clock.advance(Duration.ofHours(2).minusMinutes(2));
			this.pds.failNext(REFRESH, 1, PdsDouble.Fault.INTERNAL_SERVER_ERROR);
			AtomicBoolean rollbackOnly = new AtomicBoolean(true);
			new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.executeWithoutResult((status) -> {
					assertThat(client.getSession().handle()).isEqualTo("alice.test");
					rollbackOnly.set(status.isRollbackOnly());
				});
			assertThat(rollbackOnly).isFalse();
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE,
					SessionEvent.REFRESH_FAILED);
		});
	}

	@Test
	void aRefreshInsideAReadOnlyTransactionIsLockedAndStored() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			this.clock.advance(Duration.ofHours(2).plusMinutes(1));
			TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			readOnly.setReadOnly(true);
			readOnly.executeWithoutResult((status) -> client.getSession());
			assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
			assertThat(stored(context).sameTokensAs(client.session().orElseThrow())).isTrue();
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE,
					SessionEvent.REFRESH);
		});
	}

	@Test
	void aLockWaitThatRunsOutNeverRefreshesWithoutTheLockAndAdoptsWhatTheHolderStores() throws Exception {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD, "atproto.session.lock-timeout=1s")
			.run((context) -> {
				AtprotoClient client = context.getBean(AtprotoClient.class);
				JpaSessionCoordinator coordinator = context.getBean(JpaSessionCoordinator.class);
				this.clock.advance(Duration.ofHours(2).plusMinutes(1));
				// Another instance: it locks the row, refreshes, and stores its result.
				AtprotoClient other = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
				other.importSession(stored(context));
				try (Connection holder = context.getBean(DataSource.class).getConnection()) {
					holder.setAutoCommit(false);
					try (Statement lock = holder.createStatement()) {
						lock.executeQuery("select id from atproto_session for update").close();
					}
					ExecutorService pool = Executors.newSingleThreadExecutor();
					try {
						Future<Session> waiting = pool.submit(() -> client.ensureSession());
						long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
						while (coordinator.lockWaitsRunOut() == 0 && System.nanoTime() < deadline
								&& !waiting.isDone()) {
							LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
						}
						assertThat(coordinator.lockWaitsRunOut()).isPositive();
						Session refreshedElsewhere = other.refreshSession();
						try (PreparedStatement update = holder
							.prepareStatement("update atproto_session set session_string = ?, version = version + 1")) {
							update.setString(1, SessionString.format(refreshedElsewhere));
							update.executeUpdate();
						}
						holder.commit();
						Session adopted = waiting.get(30, TimeUnit.SECONDS);
						assertThat(adopted.sameTokensAs(refreshedElsewhere)).isTrue();
					}
					finally {
						pool.shutdownNow();
					}
				}
				assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
				assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE,
						SessionEvent.IMPORT);
			});
	}

	@Test
	void theHandleTheEmailAndTheDidOfOneAccountShareOneLoginBudget() {
		String budget = "atproto.login-budget.max-per-day=2";
		this.runner.withPropertyValues("atproto.password=" + PASSWORD, budget)
			.run(expect(List.of(SessionEvent.CREATE)));
		String did = query((jdbc) -> jdbc.queryForObject("select did from atproto_session", String.class));
		revokeStoredSessionAndLetItExpire();
		this.runner.withPropertyValues("atproto.handle=alice@example.com", "atproto.password=" + PASSWORD, budget)
			.run(expect(List.of(SessionEvent.IMPORT, SessionEvent.DELETE, SessionEvent.CREATE)));
		revokeStoredSessionAndLetItExpire();
		this.runner.withPropertyValues("atproto.handle=" + did, "atproto.password=" + PASSWORD, budget)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AtprotoClient.class).session()).isEmpty();
			});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
	}

	@Test
	void theStoreListsItsAccountsAndAKeepAliveClaimGoesToOneInstanceAtATime() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run((context) -> {
			Session held = context.getBean(AtprotoClient.class).session().orElseThrow();
			SessionStore store = context.getBean(SessionStore.class);
			assertThat(store.accounts(this.pds.url() + "/")).singleElement().satisfies((account) -> {
				assertThat(account.did()).isEqualTo(held.did());
				assertThat(account.handle()).isEqualTo("alice.test");
				assertThat(account.refreshExpiresAt()).isEqualTo(held.refreshExpiresAt().orElseThrow());
				assertThat(account.accessExpiresAt()).isEqualTo(held.accessExpiresAt().orElseThrow());
			});
			assertThat(store.accounts("https://other.example")).isEmpty();

			DataSource dataSource = context.getBean(DataSource.class);
			SessionKeepAliveClaims one = new JdbcSessionKeepAliveClaims(dataSource, 5);
			SessionKeepAliveClaims other = new JdbcSessionKeepAliveClaims(dataSource, 5);
			Instant now = this.clock.instant();
			Instant end = held.refreshExpiresAt().orElseThrow();
			Duration claim = Duration.ofMinutes(10);
			assertThat(one.claim(this.pds.url(), held.did(), end.minusSeconds(1), now, now.plus(claim)))
				.as("not due yet")
				.isFalse();
			assertThat(one.claim(this.pds.url(), held.did(), end, now, now.plus(claim))).isTrue();
			assertThat(other.claim(this.pds.url(), held.did(), end, now, now.plus(claim))).isFalse();
			assertThat(other.claim(this.pds.url(), held.did(), end, now.plus(claim), now.plus(claim.multipliedBy(2))))
				.as("once the first claim has run out")
				.isTrue();
			assertThat(one.claim(this.pds.url(), "did:plc:nobody", end, now, now.plus(claim))).isFalse();
		});
	}

	/**
	 * Instances whose JVMs run in different time zones share one database: the login
	 * budget's attempts and blocks, the keep-alive's claims and the sessions' expiry
	 * times mean the same instants to all of them.
	 */
	@Test
	void instancesInDifferentTimeZonesAgreeOnEveryStoredTime() {
		TimeZone original = TimeZone.getDefault();
		AtomicReference<Session> held = new AtomicReference<>();
		try {
			TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
			this.runner.withPropertyValues("atproto.password=" + PASSWORD)
				.run((context) -> held.set(context.getBean(AtprotoClient.class).session().orElseThrow()));
			TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
			this.runner.run((context) -> {
				assertThat(context).hasNotFailed();
				Session resumed = context.getBean(AtprotoClient.class).session().orElseThrow();
				assertThat(resumed.accessExpiresAt()).isEqualTo(held.get().accessExpiresAt());
				assertThat(resumed.refreshExpiresAt()).isEqualTo(held.get().refreshExpiresAt());
				assertThat(context.getBean(SessionStore.class).accounts(this.pds.url() + "/")).singleElement()
					.satisfies((account) -> assertThat(account.refreshExpiresAt())
						.isEqualTo(held.get().refreshExpiresAt().orElseThrow()));

				DataSource dataSource = context.getBean(DataSource.class);
				PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
				List<LoginBudget.Window> windows = List.of(new LoginBudget.Window(2, Duration.ofMinutes(5)));
				Instant start = this.clock.instant();
				TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
				LoginBudget east = new JdbcLoginBudget(dataSource, transactions, this.pds.url(), this.clock, windows);
				east.acquire("bob.test");
				east.acquire("bob.test");
				SessionKeepAliveClaims eastClaims = new JdbcSessionKeepAliveClaims(dataSource, 5);
				Instant due = resumed.refreshExpiresAt().orElseThrow();
				assertThat(eastClaims.claim(this.pds.url(), resumed.did(), due.minusSeconds(1), start,
						start.plus(Duration.ofMinutes(10))))
					.as("not due yet")
					.isFalse();
				assertThat(
						eastClaims.claim(this.pds.url(), resumed.did(), due, start, start.plus(Duration.ofMinutes(10))))
					.isTrue();

				TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
				LoginBudget west = new JdbcLoginBudget(dataSource, transactions, this.pds.url(), this.clock, windows);
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> west.acquire("bob.test"))
					.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(start.plus(Duration.ofMinutes(5))));
				SessionKeepAliveClaims westClaims = new JdbcSessionKeepAliveClaims(dataSource, 5);
				assertThat(westClaims.claim(this.pds.url(), resumed.did(), due, start.plus(Duration.ofMinutes(9)),
						start.plus(Duration.ofMinutes(20))))
					.as("the claim made in the other time zone still runs")
					.isFalse();
				assertThat(westClaims.claim(this.pds.url(), resumed.did(), due, start.plus(Duration.ofMinutes(11)),
						start.plus(Duration.ofMinutes(20))))
					.as("the claim made in the other time zone has run out")
					.isTrue();
				Instant blockedUntil = start.plus(Duration.ofHours(1));
				west.blockUntil("bob.test", blockedUntil);

				TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
				this.clock.advance(Duration.ofMinutes(6));
				assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> east.acquire("bob.test"))
					.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(blockedUntil));
				this.clock.advance(Duration.ofMinutes(55));
				east.acquire("bob.test");
				assertThat(eastClaims.claim(this.pds.url(), resumed.did(), due, this.clock.instant(),
						this.clock.instant().plus(Duration.ofMinutes(10))))
					.as("the claim made in the other time zone has run out")
					.isTrue();
			});
		}
		finally {
			TimeZone.setDefault(original);
		}
	}

	static final String KEY_A = "atproto.session.encryption.key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static final String KEY_B = "atproto.session.encryption.key=ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

	static final String OLD_KEY_A = "atproto.session.encryption.old-keys=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	@Test
	void withEncryptionNeitherTokenIsStoredInTheClear() {
		AtomicReference<Session> held = new AtomicReference<>();
		this.runner.withPropertyValues("atproto.password=" + PASSWORD, KEY_A).run((context) -> {
			assertThat(context).hasNotFailed();
			held.set(context.getBean(AtprotoClient.class).session().orElseThrow());
		});
		String column = query(
				(jdbc) -> jdbc.queryForObject("select session_string from atproto_session", String.class));
		assertThat(column).doesNotContain(held.get().accessJwt(), held.get().refreshJwt(), held.get().did());
		assertThat(keyIds()).hasSize(1).first().asString().startsWith("aesgcm-");
		this.runner.withPropertyValues(KEY_A).run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void turningEncryptionOnOverStoredSessionsLosesNoneAndEncryptsThemAtTheirNextSave() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD).run(expect(List.of(SessionEvent.CREATE)));
		assertThat(keyIds()).containsExactly((String) null);
		this.runner.withPropertyValues(KEY_A).run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			context.getBean(AtprotoClient.class).refreshSession();
		});
		assertThat(keyIds()).hasSize(1).first().asString().startsWith("aesgcm-");
		this.runner.withPropertyValues(KEY_A).run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aRotatedKeyStillReadsTheRowsOfTheOldOne() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD, KEY_A).run(expect(List.of(SessionEvent.CREATE)));
		String oldKeyId = keyIds().get(0);
		this.runner.withPropertyValues(KEY_B, OLD_KEY_A).run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			context.getBean(AtprotoClient.class).refreshSession();
		});
		assertThat(keyIds()).hasSize(1).first().isNotEqualTo(oldKeyId);
		this.runner.withPropertyValues(KEY_B).run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aWrongOrMissingKeyStopsTheStartAndLosesNoStoredSession() {
		this.runner.withPropertyValues("atproto.password=" + PASSWORD, KEY_A).run(expect(List.of(SessionEvent.CREATE)));
		String column = query(
				(jdbc) -> jdbc.queryForObject("select session_string from atproto_session", String.class));
		for (String wrong : List.of("atproto.enabled=true", KEY_B)) {
			this.runner.withPropertyValues("atproto.password=" + PASSWORD, wrong).run((context) -> {
				assertThat(context).getFailure()
					.hasRootCauseInstanceOf(AtprotoConfigurationException.class)
					.rootCause()
					.hasMessageContaining("atproto.session.encryption.key")
					.hasMessageContaining("No stored session was changed");
			});
		}
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		String after = query((jdbc) -> jdbc.queryForObject("select session_string from atproto_session", String.class));
		assertThat(after).isEqualTo(column);
		this.runner.withPropertyValues(KEY_A).run(expect(List.of(SessionEvent.IMPORT)));
	}

	@Test
	void aKeyThatIsNoKeyIsReportedWithItsProperty() {
		this.runner.withPropertyValues("atproto.session.encryption.key=not-a-key")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(AtprotoConfigurationException.class)
				.rootCause()
				.hasMessageContaining("atproto.session.encryption.key")
				.hasMessageNotContaining("not-a-key"));
	}

	@Test
	void aDatabaseOfTheFirstReleaseUpgradesInPlaceAndKeepsItsStoredSession() {
		Session session = AtprotoClient.builder()
			.service(this.pds.url())
			.clock(this.clock)
			.build()
			.login("alice.test", PASSWORD);
		query((jdbc) -> {
			// The schema and a row as the first release (migrations 1 and 2) left them.
			Flyway.configure(getClass().getClassLoader())
				.dataSource(jdbc.getDataSource())
				.table("atproto_schema_history")
				.locations(AtprotoSchemaInitializer.LOCATION + vendorFolder(jdbc))
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.target("2")
				.load()
				.migrate();
			return jdbc.update("insert into atproto_session (service, did, handle, email, session_string, "
					+ "access_expires_at, refresh_expires_at, updated_at, version) values (?, ?, ?, ?, ?, ?, ?, ?, 0)",
					this.pds.url(), session.did(), session.handle(), "alice@example.com", SessionString.format(session),
					Timestamp.from(session.accessExpiresAt().orElseThrow()),
					Timestamp.from(session.refreshExpiresAt().orElseThrow()), Timestamp.from(this.clock.instant()));
		});
		this.pds.resetCounters();
		this.runner.run(expect(List.of(SessionEvent.IMPORT)));
		assertThat(this.pds.callCount(CREATE)).isZero();
		assertThat(keyIds()).containsExactly((String) null);
	}

	/** The starter's migration folder this suite's database uses. */
	String vendorFolder(JdbcTemplate jdbc) {
		String product = jdbc.execute((ConnectionCallback<String>) (
				connection) -> connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT));
		if (product.contains("postgres")) {
			return "postgresql";
		}
		return (product.contains("mariadb") || product.contains("mysql")) ? "mysql" : "h2";
	}

	private List<String> keyIds() {
		return query((jdbc) -> jdbc.queryForList("select key_id from atproto_session", String.class));
	}

	private static Session stored(AssertableApplicationContext context) {
		return SessionString.parse(new JdbcTemplate(context.getBean(DataSource.class))
			.queryForObject("select session_string from atproto_session", String.class));
	}

	/** A bean that calls the client while the context is being built. */
	@Configuration(proxyBeanMethods = false)
	static class EarlyCaller {

		final String did;

		EarlyCaller(AtprotoClient client) {
			this.did = client.getSession().did();
		}

	}

	/** The application's listener that runs before every other and throws. */
	@Configuration(proxyBeanMethods = false)
	static class ThrowingListener {

		@EventListener
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void on(SessionChangedEvent event) {
			throw new IllegalStateException("a listener of the application that fails on " + event.getType());
		}

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
