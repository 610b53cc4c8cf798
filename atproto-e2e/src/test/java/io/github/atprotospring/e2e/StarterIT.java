package io.github.atprotospring.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4: the starter against the real PDS. An application context with the atproto
 * auto-configuration and a JPA session store on an H2 file database logs in at its first
 * start, and a restart on the same database resumes the stored session: one createSession
 * in all, counted by a proxy in front of the server.
 */
@ExtendWith(ReferencePdsExtension.class)
class StarterIT {

	@Test
	void aRestartResumesTheStoredSessionWithoutANewLogin(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Path database = Path
			.of(System.getProperty("atproto.e2e.work", "target/e2e"), "h2", UUID.randomUUID().toString())
			.toAbsolutePath();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			ApplicationContextRunner runner = new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
								RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
								AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
				.withBean(Events.class)
				.withBean(RestClientCustomizer.class,
						() -> (builder) -> builder.defaultHeader("X-Forwarded-For", account.clientIp()))
				.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + database,
						"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + proxy.url(),
						"atproto.handle=" + account.handle());
			ApplicationContextRunner withPassword = runner.withPropertyValues("atproto.password=" + account.password());

			withPassword.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).types).containsExactly(SessionEvent.CREATE);
				assertThat(context.getBean(AtprotoClient.class).getSession().did()).isEqualTo(account.did());
			});
			withPassword.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).types).containsExactly(SessionEvent.IMPORT);
				AtprotoClient client = context.getBean(AtprotoClient.class);
				assertThat(client.getSession().did()).isEqualTo(account.did());
				assertThat(client.createPost("from a restarted application").uri()).startsWith("at://" + account.did());
			});
			// A stored session needs no password at all.
			runner.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).types).containsExactly(SessionEvent.IMPORT);
				assertThat(context.getBean(AtprotoClient.class).getSession().handle()).isEqualTo(account.handle());
			});

			assertThat(proxy.count("com.atproto.server.createSession")).isEqualTo(1);
		}
	}

	static class Events {

		final List<SessionEvent> types = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionChangedEvent event) {
			this.types.add(event.getType());
		}

	}

}
