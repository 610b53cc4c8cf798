package io.github.atprotospring.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.CheckSecrets;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The starter through the starts, restarts, refreshes and failures of an application's
 * life, under {@link CheckSecrets}: no log line of any logger at any level, no exception
 * and nothing on standard out or err may hold a password, a token or a session string.
 * The double's tokens and passwords are registered as they pass.
 */
@CheckSecrets
class StarterSecretsTests {

	static final String PASSWORD = "app-password-1234";

	static final String REFRESH = "com.atproto.server.refreshSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

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
			.withUserConfiguration(ListenerThatShowsTheSession.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + this.pds.url(),
					"atproto.handle=alice.test");
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void startsRestartsRefreshesAndFailuresWriteNoSecret(Secrets secrets) {
		// Known and left to the lead: Hibernate prints the values it binds, reads and
		// flushes at DEBUG and TRACE, and the JDBC statements it registers print theirs;
		// with encryption at rest off one of them is the session string. The test below
		// shows that with encryption on nothing needs tolerating.
		for (String logger : List.of("org.hibernate.orm.core", "org.hibernate.orm.jdbc.bind",
				"org.hibernate.orm.jdbc.extract", "org.hibernate.orm.resource.registry")) {
			secrets.tolerate(logger, "Hibernate's DEBUG and TRACE logging of the values of the session row");
		}
		// A row whose fields slipped puts the tokens where the endpoint should be.
		lifecycle(secrets, this.runner, (stored) -> String.join(":::", stored.handle(), stored.did(),
				stored.accessJwt(), stored.refreshJwt(), stored.accessJwt()));
	}

	@Test
	void withEncryptionAtRestNotEvenTheDatabaseLayersDebugLoggingWritesASecret(Secrets secrets) {
		// A row in the clear would print its tokens through Hibernate again: this one
		// holds none.
		lifecycle(secrets, this.runner.withPropertyValues(SessionPersistenceSuite.KEY_A), (stored) -> "not a session");
		assertThat(secrets.toleratedLeaks()).isZero();
	}

	private void lifecycle(Secrets secrets, ApplicationContextRunner runner, Function<Session, String> corruptRow) {
		secrets.register(PASSWORD);
		AtomicReference<Session> held = new AtomicReference<>();
		ApplicationContextRunner withPassword = runner.withPropertyValues("atproto.password=" + PASSWORD);
		withPassword.run((context) -> assertThat(events(context)).containsExactly(SessionEvent.CREATE));
		withPassword.run((context) -> assertThat(events(context)).containsExactly(SessionEvent.IMPORT));
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		withPassword.run((context) -> {
			assertThat(events(context)).containsExactly(SessionEvent.IMPORT, SessionEvent.REFRESH);
			AtprotoClient client = context.getBean(AtprotoClient.class);
			// A refresh that fails while the access token is still valid.
			this.clock.advance(Duration.ofHours(2).minusMinutes(4));
			this.pds.failNext(REFRESH, 1, PdsDouble.Fault.SERVICE_UNAVAILABLE);
			assertThat(client.getSession().handle()).isEqualTo("alice.test");
			held.set(client.session().orElseThrow());
			secrets.inspect(client, held.get());
		});
		// A start whose refresh fails: the application starts and logs why.
		this.clock.advance(Duration.ofHours(3));
		this.pds.failNext(REFRESH, 1, PdsDouble.Fault.INTERNAL_SERVER_ERROR);
		withPassword.run((context) -> assertThat(context).hasNotFailed());
		// A dead stored session, without and then with a password.
		revoke(held.get());
		this.clock.advance(Duration.ofHours(3));
		runner.run((context) -> assertThat(context.getBean(AtprotoClient.class).session()).isEmpty());
		withPassword.run((context) -> {
			assertThat(events(context)).containsExactly(SessionEvent.CREATE);
			held.set(context.getBean(AtprotoClient.class).session().orElseThrow());
		});
		// A row that cannot be read.
		corruptTheRow(runner, corruptRow.apply(held.get()));
		withPassword.run((context) -> assertThat(events(context)).containsExactly(SessionEvent.CREATE));
		// Wrong credentials stop the start.
		runner.withPropertyValues("atproto.password=wrong-password-123")
			.run((context) -> secrets.inspect(context.getStartupFailure()));
		withPassword.run((context) -> context.getBean(AtprotoClient.class).logout());
		assertThat(secrets.count()).isGreaterThan(6);
	}

	@Test
	void theReportOfAStartThatFailsWritesNoSecret(Secrets secrets) {
		secrets.register("wrong-password-123");
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("atproto.service=" + this.pds.url(), "atproto.handle=alice.test",
					"atproto.password=wrong-password-123",
					"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.run());
		assertThat(failure).isNotNull();
		secrets.inspect(failure);
	}

	private static List<SessionEvent> events(org.springframework.context.ApplicationContext context) {
		return context.getBean(RecordedEvents.class).types();
	}

	/**
	 * Writes a row by plain JDBC, so that no logging of the test's own statement counts
	 * against the starter.
	 */
	private static void corruptTheRow(ApplicationContextRunner runner, String sessionString) {
		runner.withPropertyValues("atproto.enabled=false").run((context) -> {
			try (Connection connection = context.getBean(DataSource.class).getConnection();
					PreparedStatement update = connection
						.prepareStatement("update atproto_session set session_string = ?, key_id = null")) {
				update.setString(1, sessionString);
				assertThat(update.executeUpdate()).isEqualTo(1);
			}
		});
	}

	/** Revokes a session's refresh token at the server, as a logout elsewhere does. */
	private void revoke(Session session) {
		AtprotoClient other = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		other.importSession(session);
		other.logout();
	}

	/** A listener of the application's that puts the whole session in what it throws. */
	@Configuration(proxyBeanMethods = false)
	static class ListenerThatShowsTheSession {

		@Bean
		AtprotoClientBuilderCustomizer listenerThatShowsTheSession() {
			return (builder) -> builder.sessionChangeListener((event, session) -> {
				throw new IllegalStateException("could not handle " + session.toSessionString());
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
