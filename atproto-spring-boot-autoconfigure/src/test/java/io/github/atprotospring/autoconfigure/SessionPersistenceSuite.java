package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's session persistence against a real database: each test starts application contexts
 * one after the other on the same database, as restarts of one application would. Subclasses name
 * the database.
 */
abstract class SessionPersistenceSuite {

	static final String PASSWORD = "app-password-1234";

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

	/** A fresh, empty database: its JDBC URL, user name and password as spring.datasource properties. */
	abstract List<String> newDatabase();

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
			// JPA only checks the schema: the starter's own migrations must have created it.
			.withPropertyValues("spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + this.pds.url(),
					"atproto.handle=alice.test");
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
		Session stored = SessionString
			.parse(query((jdbc) -> jdbc.queryForObject("select session_string from atproto_session", String.class)));
		AtprotoClient other = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		other.importSession(stored);
		other.logout();
		this.clock.advance(Duration.ofHours(3));

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
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			jdbc.update("insert into app_note (id, text) values (1, 'hello')");
			assertThat(jdbc.queryForObject("select count(*) from atproto_session", Integer.class)).isEqualTo(1);
			assertThat(jdbc.queryForObject("select count(*) from \"flyway_schema_history\" where \"version\" = '1' and \"success\"", Integer.class))
				.isEqualTo(1);
			assertThat(jdbc.queryForObject("select count(*) from \"atproto_schema_history\" where \"version\" = '1'",
					Integer.class))
				.isEqualTo(1);
		});
		withAppFlyway.run((context) -> {
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("select text from app_note where id = 1", String.class)).isEqualTo("hello");
		});
	}

	private ContextConsumer<AssertableApplicationContext> expect(List<SessionEvent> events) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RecordedEvents.class).types()).isEqualTo(events);
			assertThat(context.getBean(AtprotoClient.class).session()).isPresent();
		};
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
