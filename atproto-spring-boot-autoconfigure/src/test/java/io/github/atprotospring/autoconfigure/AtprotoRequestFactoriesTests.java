package io.github.atprotospring.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which request factory the starter's client gets, and what it does on the wire: the
 * client's default unless the application chose one through Boot, never a redirect,
 * HTTP/1.1.
 */
class AtprotoRequestFactoriesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class));

	private HttpServer server;

	private final List<String> seen = new CopyOnWriteArrayList<>();

	/**
	 * {@code Java/<version>} from HttpURLConnection, {@code Java-http-client/...} from
	 * the JDK client.
	 */
	private final List<String> agents = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		this.server.createContext("/", (exchange) -> {
			try (exchange) {
				String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
				this.seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
						+ exchange.getProtocol() + ((upgrade != null) ? " upgrade " + upgrade : ""));
				this.agents.add(String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent")));
				if (exchange.getRequestURI().getPath().startsWith("/xrpc/")) {
					exchange.getResponseHeaders().add("Location", "/elsewhere");
					exchange.sendResponseHeaders(302, -1);
				}
				else {
					byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
					exchange.sendResponseHeaders(200, body.length);
					try (OutputStream out = exchange.getResponseBody()) {
						out.write(body);
					}
				}
			}
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void withoutAChoiceOfTheApplicationTheClientsDefaultIsUsed() {
		this.runner.run((context) -> {
			assertThat(AtprotoRequestFactories.applicationChoseFactory(context.getBeanFactory())).isFalse();
			status(factory(context), "/");
			assertThat(this.agents).singleElement().asString().startsWith("Java/");
		});
	}

	@Test
	void theDefaultSendsQueriesOnHttpUrlConnectionAndProceduresOnTheJdkClient() {
		this.runner.run((context) -> {
			ClientHttpRequestFactory factory = factory(context);
			status(factory, "/");
			RestClient.builder()
				.requestFactory(factory)
				.build()
				.post()
				.uri("http://127.0.0.1:" + this.server.getAddress().getPort() + "/")
				.body("{}")
				.exchange((request, response) -> response.getStatusCode().value());
			assertThat(this.agents).hasSize(2);
			assertThat(this.agents.get(0)).startsWith("Java/");
			assertThat(this.agents.get(1)).startsWith("Java-http-client/");
		});
	}

	@Test
	void anSslBundleOfBootsSettingsIsAppliedThroughBootsBuilderOfTheJdkClient() {
		SslBundle bundle = SslBundle.of(SslStoreBundle.NONE);
		HttpClientSettings settings = HttpClientSettings.ofSslBundle(bundle);
		assertThat(AtprotoRequestFactories.onlyTimeouts(settings)).isFalse();
		assertThat(AtprotoRequestFactories.onlyTimeouts(HttpClientSettings.defaults())).isTrue();

		ClientHttpRequestFactory factory = AtprotoRequestFactories
			.forAtprotoClient(ClientHttpRequestFactoryBuilder.detect(), settings, false);

		assertThat(status(factory, "/xrpc/com.atproto.server.getSession")).isEqualTo(302);
		assertThat(this.seen).containsExactly("GET /xrpc/com.atproto.server.getSession HTTP/1.1");
		assertThat(this.agents).singleElement().asString().startsWith("Java-http-client/");
	}

	@Test
	void aFactoryChosenByPropertyIsKept() {
		this.runner.withPropertyValues("spring.http.clients.imperative.factory=jdk").run((context) -> {
			assertThat(AtprotoRequestFactories.applicationChoseFactory(context.getBeanFactory())).isTrue();
			status(factory(context), "/");
			assertThat(this.agents).singleElement().asString().startsWith("Java-http-client/");
		});
	}

	@Test
	void aFactoryBuilderBeanOfTheApplicationIsKept() {
		this.runner.withUserConfiguration(OwnBuilder.class).run((context) -> {
			assertThat(AtprotoRequestFactories.applicationChoseFactory(context.getBeanFactory())).isTrue();
			status(factory(context), "/");
			assertThat(this.agents).singleElement().asString().startsWith("Java-http-client/");
		});
	}

	@Test
	void aCustomizerOfBootsBuilderCountsAsAChoice() {
		this.runner.withUserConfiguration(Customized.class)
			.run((context) -> assertThat(AtprotoRequestFactories.applicationChoseFactory(context.getBeanFactory()))
				.isTrue());
	}

	@Test
	void theDefaultFollowsNoRedirectEvenWhenBootIsToldToFollowThem() {
		this.runner.withPropertyValues("spring.http.clients.redirects=follow").run((context) -> {
			assertThat(status(factory(context), "/xrpc/com.atproto.server.getSession")).isEqualTo(302);
			assertThat(this.seen).containsExactly("GET /xrpc/com.atproto.server.getSession HTTP/1.1");
		});
	}

	@Test
	void theJdkClientChosenByTheApplicationFollowsNoRedirectAndSpeaksHttp11() {
		this.runner
			.withPropertyValues("spring.http.clients.imperative.factory=jdk", "spring.http.clients.redirects=follow")
			.run((context) -> {
				assertThat(status(factory(context), "/xrpc/com.atproto.server.getSession")).isEqualTo(302);
				assertThat(this.seen).containsExactly("GET /xrpc/com.atproto.server.getSession HTTP/1.1");
			});
	}

	@Test
	void bootsTimeoutsApplyAndTheClientsDefaultsFillTheGaps() {
		HttpClientSettings none = AtprotoRequestFactories.settings(HttpClientSettings.defaults());
		assertThat(none.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(none.readTimeout()).isEqualTo(Duration.ofSeconds(30));
		HttpClientSettings given = AtprotoRequestFactories
			.settings(HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
		assertThat(given.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(given.readTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	private int status(ClientHttpRequestFactory factory, String path) {
		return RestClient.builder()
			.requestFactory(factory)
			.build()
			.get()
			.uri("http://127.0.0.1:" + this.server.getAddress().getPort() + path)
			.header("Authorization", "Bearer not-a-real-token")
			.exchange((request, response) -> response.getStatusCode().value());
	}

	private static ClientHttpRequestFactory factory(AssertableApplicationContext context) {
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		return AtprotoRequestFactories.forAtprotoClient(beans.getBean(ClientHttpRequestFactoryBuilder.class),
				beans.getBean(HttpClientSettings.class), AtprotoRequestFactories.applicationChoseFactory(beans));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBuilder {

		@Bean
		ClientHttpRequestFactoryBuilder<?> ownRequestFactoryBuilder() {
			return ClientHttpRequestFactoryBuilder.jdk();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customized {

		@Bean
		ClientHttpRequestFactoryBuilderCustomizer<ClientHttpRequestFactoryBuilder<?>> requestFactoryCustomizer() {
			return (builder) -> builder;
		}

	}

}
