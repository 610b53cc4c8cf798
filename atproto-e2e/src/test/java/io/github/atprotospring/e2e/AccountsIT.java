package io.github.atprotospring.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.atprotospring.autoconfigure.AtprotoAccountsAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoKeepAliveClaimsAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.Session;
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
 * Many accounts against the real PDS: three accounts from properties
 * ({@code atproto.accounts.<name>}), each a bean of its own on one JPA store (H2 in a
 * file), log in at the first start; restarts resume all three from the store, with and
 * without their passwords: three {@code createSession} in all, counted by a proxy in
 * front of the server. A refresh of one account rotates its tokens alone.
 */
@ExtendWith(ReferencePdsExtension.class)
class AccountsIT {

	static final String CREATE = "com.atproto.server.createSession";

	@Test
	void threeAccountsFromPropertiesLogInOnceAndRestartsResumeThemAll(ReferencePds pds) {
		String clientIp = ReferencePds.newClientIp();
		Map<String, ReferencePds.Account> accounts = Map.of("news", pds.createAccount(clientIp), "weather",
				pds.createAccount(clientIp), "sports", pds.createAccount(clientIp));
		Path database = Path
			.of(System.getProperty("atproto.e2e.work", "target/e2e"), "h2", UUID.randomUUID().toString())
			.toAbsolutePath();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			ApplicationContextRunner runner = new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
								RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
								AtprotoJdbcAutoConfiguration.class, AtprotoKeepAliveClaimsAutoConfiguration.class,
								AtprotoAutoConfiguration.class, AtprotoAccountsAutoConfiguration.class))
				.withBean(Events.class)
				.withBean(RestClientCustomizer.class,
						() -> (builder) -> builder.defaultHeader("X-Forwarded-For", clientIp))
				.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + database,
						"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + proxy.url());
			ApplicationContextRunner withoutPasswords = runner;
			ApplicationContextRunner withPasswords = runner;
			for (Map.Entry<String, ReferencePds.Account> account : accounts.entrySet()) {
				String prefix = "atproto.accounts." + account.getKey();
				withoutPasswords = withoutPasswords
					.withPropertyValues(prefix + ".handle=" + account.getValue().handle());
				withPasswords = withPasswords.withPropertyValues(prefix + ".handle=" + account.getValue().handle(),
						prefix + ".password=" + account.getValue().password());
			}

			withPasswords.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).seen).containsExactlyInAnyOrder("news CREATE",
						"weather CREATE", "sports CREATE");
				accounts.forEach(
						(name, account) -> assertThat(context.getBean(name, AtprotoClient.class).getSession().did())
							.isEqualTo(account.did()));
			});
			assertThat(proxy.count(CREATE)).isEqualTo(3);

			withPasswords.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Events.class).seen).containsExactlyInAnyOrder("news IMPORT",
						"weather IMPORT", "sports IMPORT");
				accounts.forEach((name,
						account) -> assertThat(
								context.getBean(name, AtprotoClient.class).createPost("from " + name).uri())
							.startsWith("at://" + account.did()));
				// The registry hands out the configured accounts as their beans.
				assertThat(context.getBean(AtprotoClients.class).get(accounts.get("news").handle()))
					.isSameAs(context.getBean("news"));
			});

			AtomicReference<Session> refreshed = new AtomicReference<>();
			withoutPasswords.run((context) -> {
				assertThat(context).hasNotFailed();
				Events events = context.getBean(Events.class);
				assertThat(events.seen).containsExactlyInAnyOrder("news IMPORT", "weather IMPORT", "sports IMPORT");
				AtprotoClient news = context.getBean("news", AtprotoClient.class);
				Session before = news.session().orElseThrow();
				Session weather = context.getBean("weather", AtprotoClient.class).session().orElseThrow();
				Session sports = context.getBean("sports", AtprotoClient.class).session().orElseThrow();
				// A refresh goes to the account's PDS from its DID document, not through
				// the
				// proxy: the events and the tokens tell what happened.
				refreshed.set(news.refreshSession());
				assertThat(refreshed.get().did()).isEqualTo(accounts.get("news").did());
				assertThat(refreshed.get().sameTokensAs(before)).isFalse();
				assertThat(events.seen).containsOnlyOnce("news REFRESH")
					.doesNotContain("weather REFRESH", "sports REFRESH");
				assertThat(context.getBean("weather", AtprotoClient.class).getSession().did()).isEqualTo(weather.did());
				assertThat(
						context.getBean("weather", AtprotoClient.class).session().orElseThrow().sameTokensAs(weather))
					.isTrue();
				assertThat(context.getBean("sports", AtprotoClient.class).session().orElseThrow().sameTokensAs(sports))
					.isTrue();
			});
			withoutPasswords.run((context) -> {
				assertThat(context.getBean(Events.class).seen).containsExactlyInAnyOrder("news IMPORT",
						"weather IMPORT", "sports IMPORT");
				assertThat(context.getBean("news", AtprotoClient.class)
					.session()
					.orElseThrow()
					.sameTokensAs(refreshed.get())).isTrue();
			});
			assertThat(proxy.count(CREATE)).isEqualTo(3);
		}
	}

	static class Events {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@EventListener
		void on(SessionChangedEvent event) {
			this.seen.add(event.getAccount() + " " + event.getType());
		}

	}

}
