package io.github.atprotospring.autoconfigure;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.XrpcException;
import io.github.atprotospring.client.XrpcTransportException;
import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The starter's HTTP client against a hostile service: no redirect is followed, whatever
 * Boot's settings say, and a stalled service delays the startup and a call by at most the
 * timeouts, which come from {@code spring.http.clients.*} when set and from
 * {@code atproto.http.*} otherwise.
 */
class AtprotoHttpClientConfigurationTests {

	static final String PASSWORD = "correct-horse-battery-staple";

	static final String DID = "did:plc:hostile1234";

	static final Duration WITHIN = Duration.ofSeconds(20);

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	HostilePds hostile;

	HostilePds elsewhere;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.hostile = HostilePds.start();
		this.elsewhere = HostilePds.start();
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
					AtprotoAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("atproto.service=" + this.hostile.url());
	}

	@AfterEach
	void stop() {
		this.hostile.close();
		this.elsewhere.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "jdk", "simple" })
	void aRedirectingServiceGetsNoPasswordOrTokenSentToAnotherPort(String factory) {
		this.hostile.otherwise(Answer.redirect(307, this.elsewhere.url() + "/xrpc/com.atproto.server.createSession"));
		this.runner.withPropertyValues("spring.http.clients.imperative.factory=" + factory,
				"spring.http.clients.redirects=follow", "atproto.handle=hostile.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AtprotoClient client = context.getBean(AtprotoClient.class);
				assertThat(client.session()).isEmpty();
				Session session = client.importSession(session());
				assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession).satisfies((ex) -> {
					assertThat(ex.status()).isEqualTo(307);
					assertThat(ex.getMessage()).contains(this.elsewhere.url()).doesNotContain(session.accessJwt());
				});
				assertThat(this.hostile.received(PASSWORD)).isTrue();
				assertThat(this.hostile.received(session.accessJwt())).isTrue();
			});
		assertThat(this.elsewhere.requestCount()).isZero();
	}

	@Test
	void aStalledServiceDelaysTheStartupAndACallByAtMostTheReadTimeout() {
		this.hostile.otherwise(Answer.stall());
		assertTimeoutPreemptively(WITHIN,
				() -> this.runner
					.withPropertyValues("atproto.http.read-timeout=500ms", "atproto.handle=hostile.test",
							"atproto.password=" + PASSWORD)
					.run((context) -> {
						assertThat(context).hasNotFailed();
						AtprotoClient client = context.getBean(AtprotoClient.class);
						assertThat(client.session()).isEmpty();
						assertThat(client.hasCredentials()).isTrue();
						client.importSession(session());
						assertThatExceptionOfType(XrpcTransportException.class).isThrownBy(client::getSession)
							.withMessageContaining("the answer timed out");
					}));
		assertThat(this.hostile.requestCount()).isEqualTo(2);
	}

	@Test
	void aStalledBodyIsBoundedByBootsReadTimeoutWhenTheApplicationSetsIt() {
		this.hostile.otherwise(Answer.stallBody(200));
		assertTimeoutPreemptively(WITHIN,
				() -> this.runner
					.withPropertyValues("spring.http.clients.read-timeout=500ms", "atproto.http.read-timeout=10m")
					.run((context) -> {
						AtprotoClient client = context.getBean(AtprotoClient.class);
						client.importSession(session());
						assertThatExceptionOfType(XrpcTransportException.class).isThrownBy(client::getSession)
							.withMessageContaining(this.hostile.url());
					}));
	}

	@Test
	void bootsTimeoutsWinWhenTheApplicationSetsThem() {
		this.runner
			.withPropertyValues("spring.http.clients.read-timeout=7s", "spring.http.clients.connect-timeout=3s",
					"spring.http.clients.redirects=follow", "atproto.http.read-timeout=1m",
					"atproto.http.connect-timeout=1m")
			.run((context) -> assertDefaultFactory(requestFactory(context), Duration.ofSeconds(3),
					Duration.ofSeconds(7)));
	}

	@Test
	void otherwiseTheAtprotoTimeoutsApply() {
		this.runner.withPropertyValues("atproto.http.read-timeout=500ms", "atproto.http.connect-timeout=2s")
			.run((context) -> assertDefaultFactory(requestFactory(context), Duration.ofSeconds(2),
					Duration.ofMillis(500)));
	}

	@Test
	void theDefaultTimeoutsAreTenAndThirtySeconds() {
		this.runner.run((context) -> assertDefaultFactory(requestFactory(context), Duration.ofSeconds(10),
				Duration.ofSeconds(30)));
	}

	@Test
	void withoutBootsHttpClientSupportTheClientsOwnStackGetsTheAtprotoTimeouts() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AtprotoAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ClientHttpRequestFactoryBuilder.class))
			.withPropertyValues("atproto.http.read-timeout=4s", "atproto.http.connect-timeout=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertDefaultFactory(requestFactory(context), Duration.ofSeconds(3), Duration.ofSeconds(4));
			});
	}

	@Test
	void anotherHttpLibraryOfBootKeepsItsKindAndItsTimeouts() {
		this.runner.withPropertyValues("spring.http.clients.imperative.factory=simple", "atproto.http.read-timeout=4s")
			.run((context) -> assertThat(requestFactory(context)).extracting("delegate")
				.isInstanceOf(SimpleClientHttpRequestFactory.class)
				.hasFieldOrPropertyWithValue("readTimeout", 4000));
	}

	@Test
	void theLargestAnswerReadFollowsItsProperty() {
		this.hostile.on("com.atproto.server.getSession", Answer.json(200,
				"{\"handle\":\"hostile.test\",\"did\":\"" + DID + "\",\"pad\":\"" + "x".repeat(2048) + "\"}"));
		this.runner.withPropertyValues("atproto.http.max-response-size=1KB").run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			client.importSession(session());
			assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
				.satisfies((ex) -> assertThat(ex.error()).isEqualTo("InvalidResponse"))
				.withMessageContaining("1024 bytes");
		});
	}

	@Test
	void timeoutsAndSizesThatCannotWorkNameTheirProperty() {
		this.runner.withPropertyValues("atproto.http.read-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("atproto.http.read-timeout"));
		this.runner.withPropertyValues("atproto.http.max-response-size=0B")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("atproto.http.max-response-size"));
	}

	private ClientHttpRequestFactory requestFactory(
			org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasSingleBean(AtprotoHttpClientConfiguration.Transport.class);
		return context.getBean(AtprotoHttpClientConfiguration.Transport.class).requestFactory();
	}

	/**
	 * The client's default: queries on HttpURLConnection, procedures on the JDK client,
	 * both with the timeouts.
	 */
	private static void assertDefaultFactory(ClientHttpRequestFactory factory, Duration connectTimeout,
			Duration readTimeout) {
		assertThat(factory.getClass().getSimpleName()).isEqualTo("UrlConnectionQueries");
		assertThat(factory).extracting("connectTimeoutMillis").isEqualTo((int) connectTimeout.toMillis());
		assertThat(factory).extracting("readTimeoutMillis").isEqualTo((int) readTimeout.toMillis());
		assertJdkFactory((ClientHttpRequestFactory) org.springframework.test.util.ReflectionTestUtils.getField(factory,
				"withBody"), connectTimeout, readTimeout);
	}

	private static void assertJdkFactory(ClientHttpRequestFactory factory, Duration connectTimeout,
			Duration readTimeout) {
		assertThat(factory).isInstanceOf(JdkClientHttpRequestFactory.class);
		assertThat(factory).extracting("httpClient").isInstanceOfSatisfying(HttpClient.class, (http) -> {
			assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
			assertThat(http.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
			assertThat(http.connectTimeout()).contains(connectTimeout);
		});
		assertThat(factory).extracting("readTimeout").isEqualTo(readTimeout);
	}

	private Session session() {
		long now = this.clock.instant().getEpochSecond();
		return new Session("hostile.test", DID, HostilePds.jwt(now, now + 7200), HostilePds.jwt(now, now + 7200),
				this.hostile.url());
	}

}
