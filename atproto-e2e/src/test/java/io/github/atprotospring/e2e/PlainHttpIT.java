package io.github.atprotospring.e2e;

import java.util.Map;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.Xrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own HTTP stack, and the one the starter gets from Spring Boot, against a
 * PDS served over plain http (a local or docker-compose PDS, as in the README).
 * <p>
 * The reference PDS destroys the connection of any request that carries an
 * {@code Upgrade} header and is not a websocket subscription (xrpc-server hooks the
 * server's {@code upgrade} event); the JDK's HTTP client at its default version, HTTP/2,
 * sends {@code Upgrade: h2c} with the first request of every plain-http connection. The
 * other end-to-end tests hand the client an HTTP/1.1 {@code RestClient.Builder} of their
 * own; these use what a user gets by default.
 */
@ExtendWith(ReferencePdsExtension.class)
class PlainHttpIT {

	@Test
	void theReferencePdsDropsARequestThatAsksToUpgrade(ReferencePds pds) {
		Xrpc.Response plain = pds.xrpc().get("com.atproto.server.describeServer", "", null, Map.of());
		assertThat(plain.status()).isEqualTo(200);
		// What the JDK client sends on a new plain-http connection at HTTP/2 (its
		// default).
		assertThat(pds.upgradeRequestIsDropped()).isTrue();
	}

	@Test
	void theClientWithItsDefaultHttpStackWorksAgainstAPlainHttpPds(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		AtprotoClient client = AtprotoClient.builder().service(pds.url()).build();

		client.login(account.handle(), account.password());

		assertThat(client.getSession().did()).isEqualTo(account.did());
		assertThat(client.createPost("over the client's own HTTP stack").uri()).startsWith("at://" + account.did());
	}

	@Test
	void theStartersClientWithBootsRestClientBuilderWorksAgainstAPlainHttpPds(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
					AtprotoAutoConfiguration.class))
			.withPropertyValues("atproto.service=" + pds.url(), "atproto.handle=" + account.handle(),
					"atproto.password=" + account.password())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AtprotoClient client = context.getBean(AtprotoClient.class);
				assertThat(client.getSession().did()).isEqualTo(account.did());
			});
	}

}
