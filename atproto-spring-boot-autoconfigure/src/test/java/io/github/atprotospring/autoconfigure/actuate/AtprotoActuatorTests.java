package io.github.atprotospring.autoconfigure.actuate;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.atprotospring.autoconfigure.AtprotoAccountsAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.XrpcException;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code atproto} health contributor and endpoint: a detail per client bean, DOWN for
 * a client that can make no call, no token anywhere, and no call to the server.
 */
class AtprotoActuatorTests {

	static final String PASSWORD = "app-password-1234";

	static final Duration REFRESH_LIFETIME = Duration.ofDays(30);

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).refreshTokenLifetime(REFRESH_LIFETIME).start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AtprotoAutoConfiguration.class,
					AtprotoHealthContributorAutoConfiguration.class, AtprotoEndpointAutoConfiguration.class,
					HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("atproto.service=" + this.pds.url());
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void aClientWithASessionIsUpWithItsDetailsAndNoToken() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD).run((context) -> {
			Session session = context.getBean(AtprotoClient.class).session().orElseThrow();
			int calls = this.pds.totalCalls();
			Health health = context.getBean(AtprotoHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			Map<String, Object> account = detail(health, "atprotoClient");
			assertThat(account).containsEntry("status", "UP")
				.containsEntry("service", this.pds.url())
				.containsEntry("sessionPresent", true)
				.containsEntry("handle", "alice.test")
				.containsEntry("did", session.did())
				.containsEntry("accessExpiresAt", "2026-11-23T14:00:00Z")
				.containsEntry("refreshExpiresAt", "2026-12-23T12:00:00Z")
				.containsEntry("passwordConfigured", true)
				.containsEntry("lastEvent", "CREATE")
				.containsEntry("store", "InMemorySessionStore")
				.containsEntry("storeSurvivesRestart", false)
				.doesNotContainKey("reason");
			assertThat(account.get("warnings").toString()).contains("a restart loses them");
			assertThat(health.toString()).doesNotContain(session.accessJwt()).doesNotContain(session.refreshJwt());
			assertThat(this.pds.totalCalls()).isEqualTo(calls);
		});
	}

	@Test
	void aClientWithNoSessionAndNoPasswordIsDown() {
		this.runner.withPropertyValues("atproto.handle=alice.test").run((context) -> {
			Health health = context.getBean(AtprotoHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(detail(health, "atprotoClient")).containsEntry("status", "DOWN")
				.containsEntry("sessionPresent", false)
				.containsEntry("passwordConfigured", false)
				.hasEntrySatisfying("reason", (reason) -> assertThat(reason).asString().contains("no password"));
		});
	}

	@Test
	void aStoredSessionWithoutAPasswordIsWarnedOfBeforeItsRefreshTokenEndsAndDownAfter() {
		InMemorySessionStore store = storeWithASession();
		this.runner.withBean(SessionStore.class, () -> store)
			.withPropertyValues("atproto.handle=alice.test")
			.run((context) -> {
				AtprotoHealthIndicator indicator = context.getBean(AtprotoHealthIndicator.class);
				assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
				assertThat(detail(indicator.health(), "atprotoClient")).containsEntry("lastEvent", "IMPORT")
					.containsEntry("passwordConfigured", false)
					.doesNotContainKey("reason");

				this.clock.advance(REFRESH_LIFETIME.minusDays(3));
				Health nearTheEnd = indicator.health();
				assertThat(nearTheEnd.getStatus()).isEqualTo(Status.UP);
				assertThat(detail(nearTheEnd, "atprotoClient").get("warnings").toString())
					.contains("the refresh token ends at 2026-12-23T12:00:00Z and there is no password");

				this.clock.advance(Duration.ofDays(4));
				Health dead = indicator.health();
				assertThat(dead.getStatus()).isEqualTo(Status.DOWN);
				assertThat(detail(dead, "atprotoClient").get("reason").toString())
					.contains("the refresh token ended at 2026-12-23T12:00:00Z");
			});
	}

	@Test
	void aRefreshThatFailedForAPassingReasonIsShownAndStaysUp() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD).run((context) -> {
			this.pds.failNext("com.atproto.server.refreshSession", 1, PdsDouble.Fault.SERVICE_UNAVAILABLE);
			assertThatExceptionOfType(XrpcException.class)
				.isThrownBy(() -> context.getBean(AtprotoClient.class).refreshSession());
			Health health = context.getBean(AtprotoHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(detail(health, "atprotoClient")).containsEntry("lastEvent", "REFRESH_FAILED")
				.containsEntry("lastRefreshFailureAt", this.clock.instant().toString());
		});
	}

	/**
	 * The clients of a registry of many accounts come and go ({@code max-resident}); the
	 * monitor sees their events but must not keep them, their sessions or their tokens in
	 * memory once the registry has let them go.
	 */
	@Test
	void aClientThatIsNotABeanIsNotKeptInMemoryByTheMonitor() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD).run((context) -> {
			WeakReference<AtprotoClient> released = changeOnceAndRelease(context);
			for (int attempt = 0; attempt < 20 && released.get() != null; attempt++) {
				System.gc();
			}
			assertThat(released.get()).isNull();
			assertThat(context.getBean(AtprotoHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	/** A client outside the context whose session change the context is told of. */
	private WeakReference<AtprotoClient> changeOnceAndRelease(ApplicationContext context) {
		AtprotoClient client = AtprotoClient.builder()
			.service(this.pds.url())
			.clock(this.clock)
			.credentials("alice.test", PASSWORD)
			.build();
		Session session = client.ensureSession();
		context.publishEvent(new SessionChangedEvent(client, session.did(), SessionEvent.CREATE, session));
		return new WeakReference<>(client);
	}

	@Test
	void everyClientBeanHasADetailUnderItsNameAndOneDeadClientMakesTheWholeDown() {
		this.runner.withUserConfiguration(TwoClients.class)
			.withPropertyValues("management.endpoints.web.exposure.include=atproto")
			.run((context) -> {
				Health health = context.getBean(AtprotoHealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsOnlyKeys("aliceClient", "nobodyClient");
				assertThat(detail(health, "aliceClient")).containsEntry("status", "UP");
				assertThat(detail(health, "nobodyClient")).containsEntry("status", "DOWN");
				assertThat(context.getBean(AtprotoEndpoint.class).accounts().accounts()).containsOnlyKeys("aliceClient",
						"nobodyClient");
			});
	}

	@Test
	void theContributorIsNamedAtproto() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class).getContributor("atproto"))
				.isInstanceOf(AtprotoHealthIndicator.class));
	}

	@Test
	void theContributorCanBeTurnedOff() {
		this.runner.withPropertyValues("management.health.atproto.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AtprotoHealthIndicator.class));
	}

	@Test
	void aDurabilityBeanTellsWhetherTheStoreSurvivesRestarts() {
		this.runner.withBean(SessionStoreDurability.class, () -> (store) -> Boolean.TRUE)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				Map<String, Object> account = detail(context.getBean(AtprotoHealthIndicator.class).health(),
						"atprotoClient");
				assertThat(account).containsEntry("storeSurvivesRestart", true).doesNotContainKey("warnings");
			});
	}

	@Test
	void theEndpointTellsHowManyAccountsOfTheRegistryAreInMemory() {
		this.pds.createAccount("bob.test", "bob@example.com", PASSWORD);
		this.runner.withConfiguration(AutoConfigurations.of(AtprotoAccountsAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=atproto", "atproto.handle=alice.test",
					"atproto.password=" + PASSWORD, "atproto.registry.max-resident=5")
			.run((context) -> {
				AtprotoEndpoint endpoint = context.getBean(AtprotoEndpoint.class);
				assertThat(endpoint.accounts().registry().resident()).isZero();
				AtprotoClient bob = context.getBean(AtprotoClients.class).login("bob.test", PASSWORD);
				AtprotoEndpoint.RegistryDescriptor registry = endpoint.accounts().registry();
				assertThat(registry.resident()).isEqualTo(1);
				assertThat(registry.maxResident()).isEqualTo(5);
				assertThat(registry.service()).isEqualTo(this.pds.url());
				assertThat(endpoint.accounts().accounts()).containsOnlyKeys("atprotoClient");
				assertThat(endpoint.accounts().toString()).doesNotContain(bob.session().orElseThrow().accessJwt());
			});
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=atproto", "atproto.handle=alice.test",
					"atproto.password=" + PASSWORD)
			.run((context) -> assertThat(context.getBean(AtprotoEndpoint.class).accounts().registry()).isNull());
	}

	@Test
	void theEndpointListsTheAccountsWhenExposedAndShowsNoToken() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> assertThat(context).doesNotHaveBean(AtprotoEndpoint.class));
		this.runner
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD,
					"management.endpoints.web.exposure.include=atproto")
			.run((context) -> {
				AtprotoEndpoint endpoint = context.getBean(AtprotoEndpoint.class);
				Session session = context.getBean(AtprotoClient.class).session().orElseThrow();
				assertThat(endpoint.accounts().accounts()).containsOnlyKeys("atprotoClient");
				assertThat(endpoint.account("atprotoClient")).containsEntry("handle", "alice.test")
					.containsEntry("status", "UP");
				assertThat(endpoint.account("nobody")).isNull();
				assertThat(endpoint.accounts().toString()).doesNotContain(session.accessJwt())
					.doesNotContain(session.refreshJwt());
			});
	}

	private InMemorySessionStore storeWithASession() {
		AtprotoClient other = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		InMemorySessionStore store = new InMemorySessionStore();
		store.save(this.pds.url(), other.login("alice.test", PASSWORD));
		return store;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> detail(Health health, String name) {
		return (Map<String, Object>) health.getDetails().get(name);
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoClients {

		@Bean
		AtprotoClient aliceClient(Clock clock, org.springframework.core.env.Environment environment) {
			AtprotoClient client = AtprotoClient.builder()
				.service(environment.getProperty("atproto.service"))
				.clock(clock)
				.build();
			client.login("alice.test", PASSWORD);
			return client;
		}

		@Bean
		AtprotoClient nobodyClient(Clock clock, org.springframework.core.env.Environment environment) {
			return AtprotoClient.builder().service(environment.getProperty("atproto.service")).clock(clock).build();
		}

	}

}
