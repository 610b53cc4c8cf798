package io.github.atprotospring.e2e;

import io.github.atprotospring.autoconfigure.AtprotoRequestFactories;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoHttpClients;
import io.github.atprotospring.client.AuthenticationRequiredException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionExpiredException;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The client's default request factory ({@link AtprotoHttpClients}: queries on
 * {@code HttpURLConnection}, procedures on the JDK {@code HttpClient}) and the starter's
 * ({@link AtprotoRequestFactories}), against the reference PDS: every kind of call the
 * session lifecycle makes, the procedures without input included, which the server
 * refuses when they come with a chunked empty body (the PDS double accepts those, so only
 * this test can tell), and a refused password, whose {@code 401} body must arrive for it
 * to be told apart.
 */
@ExtendWith(ReferencePdsExtension.class)
class DefaultTransportIT {

	@Test
	void theClientsDefaultTransportCarriesTheWholeSessionLifecycle(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		lifecycle(pds, account, AtprotoHttpClients.requestFactory());
	}

	@Test
	void theStartersDefaultTransportCarriesTheWholeSessionLifecycle(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class))
			.run((context) -> {
				ConfigurableListableBeanFactory beans = context.getBeanFactory();
				assertThat(AtprotoRequestFactories.applicationChoseFactory(beans)).isFalse();
				lifecycle(pds, account,
						AtprotoRequestFactories.forAtprotoClient(beans.getBean(ClientHttpRequestFactoryBuilder.class),
								beans.getBean(HttpClientSettings.class), false));
			});
	}

	private static void lifecycle(ReferencePds pds, ReferencePds.Account account, ClientHttpRequestFactory factory) {
		AtprotoClient client = client(pds.url(), account, factory);

		assertThatExceptionOfType(AuthenticationRequiredException.class)
			.isThrownBy(() -> client.login(account.handle(), "not-the-password"));
		Session created = client.login(account.handle(), account.password());
		assertThat(client.getSession().did()).isEqualTo(account.did());
		assertThat(client.createPost("over the default transport").uri()).startsWith("at://" + account.did());
		Session refreshed = client.refreshSession();
		assertThat(refreshed.refreshJwt()).isNotEqualTo(created.refreshJwt());
		assertThat(client.getSession().did()).isEqualTo(account.did());
		// deleteSession: an answer other than success (or an already revoked token)
		// throws.
		client.logout();

		// and the server did revoke the refresh token it was sent
		AtprotoClient other = client(pds.url(), account, factory);
		other.importSession(refreshed.toSessionString());
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(other::refreshSession);
	}

	private static AtprotoClient client(String url, ReferencePds.Account account, ClientHttpRequestFactory factory) {
		return AtprotoClient.builder()
			.service(url)
			.restClientBuilder(
					RestClient.builder().requestFactory(factory).defaultHeader("X-Forwarded-For", account.clientIp()))
			.build();
	}

}
