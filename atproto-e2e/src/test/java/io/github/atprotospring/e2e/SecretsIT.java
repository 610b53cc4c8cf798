package io.github.atprotospring.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoClientBuilderCustomizer;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionChangeListener;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.test.CheckSecrets;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The client and the starter against the reference PDS through a lifecycle with its
 * failures, under {@link CheckSecrets}: the real server's answers (its error messages
 * included) must not bring a password, a token or a session string into any log line,
 * exception or standard stream. Every session the clients hold is registered as it
 * arrives.
 */
@CheckSecrets
@ExtendWith(ReferencePdsExtension.class)
class SecretsIT {

	@Test
	void theClientsLifecycleAgainstTheReferencePdsWritesNoSecret(ReferencePds pds, Secrets secrets) {
		ReferencePds.Account account = pds.createAccount();
		secrets.register(account.password(), "a-wrong-password-1");
		SessionChangeListener learn = (event, session) -> learn(secrets, session);
		MutableClock clock = MutableClock.startingNow();
		AtprotoClient client = pds.clientBuilder(account.clientIp())
			.clock(clock)
			.credentials(account.handle(), account.password())
			.sessionChangeListener(learn)
			.sessionChangeListener((event, session) -> {
				throw new IllegalStateException("a listener that shows " + session.toSessionString());
			})
			.build();
		secrets.inspect(catchThrowable(
				() -> pds.clientBuilder(account.clientIp()).build().login(account.handle(), "a-wrong-password-1")));
		assertThat(client.getSession().did()).isEqualTo(account.did());
		// A refresh before expiry.
		clock.advance(Duration.ofHours(2).minusMinutes(4));
		client.getSession();
		// A token the server says has expired while the client believes it valid.
		Session held = client.session().orElseThrow();
		Instant now = Instant.now();
		String expired = pds.mintAccessToken(account.did(), now.minus(Duration.ofHours(2)), now.minusSeconds(60));
		secrets.register(expired);
		AtprotoClient behind = pds.clientBuilder(account.clientIp())
			.clock(MutableClock.at(now.minus(Duration.ofHours(3))))
			.sessionChangeListener(learn)
			.build();
		behind.importSession(new Session(held.handle(), held.did(), expired, held.refreshJwt(), held.pdsEndpoint()));
		assertThat(behind.getSession().did()).isEqualTo(account.did());
		// The session dies elsewhere (deleteSession), then expires: a new login.
		AtprotoClient elsewhere = pds.clientBuilder(account.clientIp()).build();
		elsewhere.importSession(client.exportSessionString());
		elsewhere.logout();
		clock.advance(Duration.ofHours(3));
		assertThat(client.getSession().did()).isEqualTo(account.did());
		// The dead session again, now with no password to fall back on.
		secrets.inspect(catchThrowable(behind::refreshSession));
		client.logout();
		secrets.inspect(catchThrowable(client::refreshSession), held, client, behind);
		assertThat(secrets.count()).isGreaterThan(8);
	}

	@Test
	void theStartersStartsAgainstTheReferencePdsWriteNoSecret(ReferencePds pds, Secrets secrets) {
		ReferencePds.Account account = pds.createAccount();
		secrets.register(account.password(), "wrong-password-123");
		// Known and left to the owner of the JPA store: with encryption at rest off,
		// Hibernate's DEBUG and TRACE logging prints the session row's values.
		for (String logger : List.of("org.hibernate.orm.core", "org.hibernate.orm.jdbc.bind",
				"org.hibernate.orm.jdbc.extract", "org.hibernate.orm.resource.registry")) {
			secrets.tolerate(logger, "Hibernate's DEBUG and TRACE logging of the values of the session row");
		}
		Path database = Path
			.of(System.getProperty("atproto.e2e.work", "target/e2e"), "h2", UUID.randomUUID().toString())
			.toAbsolutePath();
		MutableClock clock = MutableClock.startingNow();
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
			.withBean(java.time.Clock.class, () -> clock)
			.withBean(RestClientCustomizer.class,
					() -> (builder) -> builder.defaultHeader("X-Forwarded-For", account.clientIp()))
			.withBean(AtprotoClientBuilderCustomizer.class,
					() -> (builder) -> builder.sessionChangeListener((event, session) -> learn(secrets, session)))
			.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + database,
					"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + pds.url(),
					"atproto.handle=" + account.handle());
		ApplicationContextRunner withPassword = runner.withPropertyValues("atproto.password=" + account.password());
		withPassword.run((context) -> assertThat(context).hasNotFailed());
		withPassword.run((context) -> assertThat(context).hasNotFailed());
		clock.advance(Duration.ofHours(2).plusMinutes(1));
		withPassword.run((context) -> {
			assertThat(context).hasNotFailed();
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.getSession().did()).isEqualTo(account.did());
			AtprotoClient elsewhere = pds.clientBuilder(account.clientIp()).build();
			elsewhere.importSession(client.exportSessionString());
			elsewhere.logout();
		});
		clock.advance(Duration.ofHours(3));
		runner.run((context) -> assertThat(context.getBean(AtprotoClient.class).session()).isEmpty());
		runner.withPropertyValues("atproto.password=wrong-password-123")
			.run((context) -> secrets.inspect(context.getStartupFailure()));
		withPassword.run((context) -> assertThat(context.getBean(AtprotoClient.class).getSession().handle())
			.isEqualTo(account.handle()));
	}

	private static void learn(Secrets secrets, Session session) {
		secrets.register(session.accessJwt(), session.refreshJwt(), session.toSessionString());
	}

}
