package io.github.atprotospring.autoconfigure.observation;

import java.time.Clock;
import java.time.Instant;

import io.github.atprotospring.autoconfigure.AtprotoAccountsAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoClientBuilderCustomizer;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.RateLimitExceededException;
import io.github.atprotospring.client.observation.DefaultXrpcObservationConvention;
import io.github.atprotospring.client.observation.XrpcObservationConvention;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The auto-configured client in an application with Actuator's observations and metrics:
 * timers per XRPC method and session change, counters of 429s and of logins the budget
 * refused, and {@code http.client.requests} under the method's URI template.
 */
class AtprotoObservationAutoConfigurationTests {

	static final String PASSWORD = "app-password-1234";

	static final String CREATE = "com.atproto.server.createSession";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		// One login a day at the server: a second login is its 429.
		this.pds = PdsDouble.builder().clock(this.clock).rateLimits(true).createSessionLimit(30, 1).start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
					RestClientAutoConfiguration.class, RestClientObservationAutoConfiguration.class,
					AtprotoAutoConfiguration.class, AtprotoObservationAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("atproto.service=" + this.pds.url(), "atproto.handle=alice.test",
					"atproto.password=" + PASSWORD);
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void theRegistryTellsHowManyOfItsAccountsAreInMemory() {
		this.pds.createAccount("bob.test", "bob@example.com", PASSWORD);
		this.runner
			.withConfiguration(AutoConfigurations.of(AtprotoAccountsAutoConfiguration.class,
					AtprotoRegistryMetricsAutoConfiguration.class))
			.withPropertyValues("atproto.registry.max-resident=7")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("atproto.registry.resident").gauge().value()).isZero();
				assertThat(meters.get("atproto.registry.resident.max").gauge().value()).isEqualTo(7);
				context.getBean(AtprotoClients.class).login("bob.test", PASSWORD);
				assertThat(meters.get("atproto.registry.resident").gauge().value()).isOne();
			});
	}

	@Test
	void callsAndSessionChangesAreTimedAndRefusalsCounted() {
		this.runner.run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// The login at startup, made because the client had no session.
			assertThat(count(meters.find("atproto.session.changes")
				.tags("type", "CREATE", "trigger", "NO_SESSION", "event", "CREATE", "outcome", "SUCCESS"))).isOne();
			assertThat(count(meters.find("atproto.xrpc.requests")
				.tags("nsid", CREATE, "status", "200", "outcome", "SUCCESS", "error", "none"))).isOne();
			assertThat(count(meters.find("http.client.requests").tags("uri", "/xrpc/" + CREATE, "status", "200")))
				.isOne();

			client.getSession();
			assertThat(count(meters.find("atproto.xrpc.requests").tag("nsid", "com.atproto.server.getSession")))
				.isOne();

			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> client.login("alice.test", PASSWORD));
			assertThat(meters.get("atproto.xrpc.requests.rate.limited").tag("nsid", CREATE).counter().count()).isOne();
			assertThatExceptionOfType(RateLimitExceededException.class)
				.isThrownBy(() -> client.login("alice.test", PASSWORD));
			assertThat(meters.get("atproto.session.changes.login.refused").tag("outcome", "REFUSED").counter().count())
				.isOne();
			assertThat(this.pds.callCount(CREATE)).isEqualTo(2);

			assertThat(meters.getMeters()).flatExtracting((meter) -> meter.getId().getTags())
				.noneMatch((tag) -> tag.getValue().contains("alice.test")
						|| tag.getValue().contains(client.session().orElseThrow().did()));
		});
	}

	@Test
	void theApplicationsConventionReplacesTheDefault() {
		this.runner
			.withBean(XrpcObservationConvention.class, () -> new DefaultXrpcObservationConvention("bot.xrpc.calls"))
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(count(meters.find("bot.xrpc.calls").tag("nsid", CREATE))).isOne();
				assertThat(meters.find("atproto.xrpc.requests").timer()).isNull();
			});
	}

	@Test
	void observationsCanBeTurnedOffByName() {
		this.runner.withPropertyValues("management.observations.enable.atproto=false").run((context) -> {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("atproto.session.changes").timer()).isNull();
			assertThat(meters.find("atproto.xrpc.requests").timer()).isNull();
			assertThat(count(meters.find("http.client.requests").tag("uri", "/xrpc/" + CREATE))).isOne();
		});
	}

	@Test
	void withoutAnObservationRegistryNothingIsConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(AtprotoAutoConfiguration.class, AtprotoObservationAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(AtprotoClient.class)
				.doesNotHaveBean(AtprotoClientBuilderCustomizer.class));
	}

	private static long count(Search search) {
		return (search.timer() != null) ? search.timer().count() : 0;
	}

}
