package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.JdbcLoginBudget;
import io.github.atprotospring.autoconfigure.jpa.JpaSessionCoordinator;
import io.github.atprotospring.autoconfigure.jpa.JpaSessionStore;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class AtprotoAutoConfigurationTests {

	static final String PASSWORD = "app-password-1234";

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
							HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconfig-" + System.nanoTime(),
					"atproto.service=" + this.pds.url());
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void withJpaTheClientLogsInAndTheSessionGoesToTheDatabase() {
		this.runner.withBean(RecordedEvents.class)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasSingleBean(AtprotoClient.class).hasSingleBean(JpaSessionStore.class);
				assertThat(context.getBean(AtprotoClient.class).session()).isPresent();
				assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE);
				assertThat(context.getBean(SessionStore.class).find(this.pds.url(), "alice.test")).isPresent();
			});
	}

	@Test
	void withoutSpringDataJpaTheStoreIsInMemory() {
		this.runner.withClassLoader(new FilteredClassLoader(JpaRepository.class))
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasSingleBean(InMemorySessionStore.class).doesNotHaveBean(JpaSessionStore.class);
				assertThat(context.getBean(AtprotoClient.class).session()).isPresent();
			});
	}

	@Test
	void withoutJpaTheStoreIsInMemory() {
		this.runner.withClassLoader(new FilteredClassLoader("jakarta.persistence"))
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasSingleBean(InMemorySessionStore.class).doesNotHaveBean(JpaSessionStore.class);
				assertThat(context.getBean(AtprotoClient.class).session()).isPresent();
			});
	}

	@Test
	void withoutADatabaseTheStoreIsInMemory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AtprotoJpaSessionStoreAutoConfiguration.class,
					AtprotoAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class)
				.hasSingleBean(AtprotoClient.class));
	}

	@Test
	void theMemoryStoreCanBeChosenWithJpaPresent() {
		this.runner.withPropertyValues("atproto.session.store=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class)
				.doesNotHaveBean(JpaSessionStore.class));
	}

	@Test
	void aStoreOfTheApplicationReplacesBoth() {
		SessionStore own = new InMemorySessionStore();
		this.runner.withBean("ownStore", SessionStore.class, () -> own)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).getBean(SessionStore.class).isSameAs(own);
				assertThat(context).doesNotHaveBean(JpaSessionStore.class);
				assertThat(own.find(this.pds.url(), "alice.test")).isPresent();
			});
	}

	@Test
	void theStoreTheCoordinatorAndTheBudgetAreSeparateBeans() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(JpaSessionStore.class)
			.hasSingleBean(JpaSessionCoordinator.class)
			.hasSingleBean(JdbcLoginBudget.class));
	}

	@Test
	void theLoginBudgetNeedsOnlyADataSource() {
		this.runner.withClassLoader(new FilteredClassLoader("jakarta.persistence"))
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class))
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcLoginBudget.class)
					.hasSingleBean(InMemorySessionStore.class)
					.doesNotHaveBean(JpaSessionCoordinator.class);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("select count(*) from atproto_login_attempt", Integer.class)).isEqualTo(1);
			});
	}

	@Test
	void aCustomizerChangesTheClientWithoutReplacingIt() {
		List<SessionEvent> seen = new CopyOnWriteArrayList<>();
		this.runner
			.withBean(AtprotoClientBuilderCustomizer.class,
					() -> (builder) -> builder.sessionChangeListener((event, session) -> seen.add(event)))
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasSingleBean(AtprotoClient.class);
				assertThat(seen).containsExactly(SessionEvent.CREATE);
			});
	}

	@Test
	void twoClientsOfTheApplicationsOwnDoNotFailTheStartup() {
		this.runner.withUserConfiguration(TwoClients.class)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBeansOfType(AtprotoClient.class)).containsOnlyKeys("first", "second");
			});
	}

	@Test
	void theClientHoldsTheStoredSessionAsSoonAsItsBeanExists() {
		this.runner
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD,
					"spring.datasource.url=jdbc:h2:mem:early-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
			.run((first) -> {
				assertThat(first).hasNotFailed();
				this.pds.resetCounters();
				this.runner
					.withPropertyValues("atproto.handle=alice.test", "atproto.session.resume-on-startup=false",
							"spring.jpa.hibernate.ddl-auto=validate",
							"spring.datasource.url=" + first.getEnvironment().getProperty("spring.datasource.url"))
					.run((second) -> {
						assertThat(second.getBean(AtprotoClient.class).session()).isPresent();
						assertThat(this.pds.totalCalls()).isZero();
					});
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class TwoClients {

		@Bean
		AtprotoClient first() {
			return AtprotoClient.builder().build();
		}

		@Bean
		AtprotoClient second() {
			return AtprotoClient.builder().build();
		}

	}

	@Test
	void canBeSwitchedOff() {
		this.runner.withPropertyValues("atproto.enabled=false", "atproto.handle=alice.test")
			.run((context) -> assertThat(context).doesNotHaveBean(AtprotoClient.class)
				.doesNotHaveBean(SessionStore.class));
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void backsOffFromAClientOfTheApplicationButStillPublishesItsEvents() {
		AtprotoClient own = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		this.runner.withBean(AtprotoClient.class, () -> own).withBean(RecordedEvents.class).run((context) -> {
			assertThat(context).getBean(AtprotoClient.class).isSameAs(own);
			own.login("alice.test", PASSWORD);
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE);
		});
	}

	@Test
	void withoutAHandleTheClientHasNoSessionAndCallsNothing() {
		this.runner.withBean(RecordedEvents.class).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.session()).isEmpty();
			assertThat(client.hasCredentials()).isFalse();
			assertThat(this.pds.totalCalls()).isZero();
			client.login("alice.test", PASSWORD);
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE);
		});
	}

	@Test
	void wrongCredentialsFailTheStartupWithAMessageNamingTheProperty() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=not-the-password")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new AtprotoStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("alice.test", "atproto.handle", "AuthenticationRequired")
					.doesNotContain("not-the-password");
				assertThat(analysis.getAction()).contains("atproto.password").doesNotContain("not-the-password");
			});
		assertThat(this.pds.callCount("com.atproto.server.createSession")).isEqualTo(1);
	}

	@Test
	void aSignInCodeRequirementNamesTheAuthFactorTokenProperty() {
		this.pds.requireAuthFactor(this.pds.createAccount("bob.test", "bob@example.com", PASSWORD).did(), "CODE-1");
		this.runner.withPropertyValues("atproto.handle=bob.test", "atproto.password=" + PASSWORD).run((context) -> {
			FailureAnalysis analysis = new AtprotoStartupFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("atproto.auth-factor-token");
		});
		this.runner
			.withPropertyValues("atproto.handle=bob.test", "atproto.password=" + PASSWORD,
					"atproto.auth-factor-token=CODE-1")
			.run((context) -> assertThat(context.getBean(AtprotoClient.class).session()).isPresent());
	}

	@Test
	void anUnreachableServerDoesNotStopTheApplication() {
		int port = this.pds.port();
		this.pds.close();
		this.runner
			.withPropertyValues("atproto.service=http://127.0.0.1:" + port, "atproto.handle=alice.test",
					"atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				AtprotoClient client = context.getBean(AtprotoClient.class);
				assertThat(client.session()).isEmpty();
				assertThat(client.hasCredentials()).isTrue();
			});
	}

	@Test
	void aStoredSessionThatCannotBeReadIsTreatedAsAbsent() {
		AtomicInteger finds = new AtomicInteger();
		SessionStore saved = new InMemorySessionStore();
		SessionStore failing = new SessionStore() {

			@Override
			public Optional<Session> find(String service, String identifier) {
				finds.incrementAndGet();
				throw new IllegalStateException("The stored session is corrupt");
			}

			@Override
			public void save(String service, Session session) {
				saved.save(service, session);
			}

			@Override
			public void delete(String service, String did) {
			}

		};
		this.runner.withBean(SessionStore.class, () -> failing)
			.withBean(RecordedEvents.class)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(finds).hasValue(1);
				assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.CREATE);
				assertThat(saved.find(this.pds.url(), "alice.test")).isPresent();
			});
	}

	@Test
	void aStoredSessionOfAnotherAccountIsIgnored() {
		this.pds.createAccount("bob.test", "bob@example.com", PASSWORD);
		Session bobs = AtprotoClient.builder()
			.service(this.pds.url())
			.clock(this.clock)
			.build()
			.login("bob.test", PASSWORD);
		SessionStore store = new InMemorySessionStore();
		SessionStore lying = new SessionStore() {

			@Override
			public Optional<Session> find(String service, String identifier) {
				return Optional.of(bobs);
			}

			@Override
			public void save(String service, Session session) {
				store.save(service, session);
			}

			@Override
			public void delete(String service, String did) {
			}

		};
		this.runner.withBean(SessionStore.class, () -> lying)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> assertThat(context.getBean(AtprotoClient.class).session().orElseThrow().handle())
				.isEqualTo("alice.test"));
	}

	@Test
	void theClientIsBuiltOnBootsRestClientBuilder() {
		AtomicInteger intercepted = new AtomicInteger();
		RestClientCustomizer customizer = (builder) -> builder.requestInterceptor((request, body, execution) -> {
			intercepted.incrementAndGet();
			return execution.execute(request, body);
		});
		this.runner.withBean(RestClientCustomizer.class, () -> customizer)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD)
			.run((context) -> assertThat(intercepted).hasValue(1));
	}

	@Test
	void theLoginBudgetFollowsItsProperties() {
		this.runner.withPropertyValues("atproto.login-budget.max-per-five-minutes=1").run((context) -> {
			LoginBudget budget = context.getBean(LoginBudget.class);
			budget.acquire("alice.test");
			org.assertj.core.api.Assertions
				.assertThatExceptionOfType(io.github.atprotospring.client.RateLimitExceededException.class)
				.isThrownBy(() -> budget.acquire("alice.test"));
		});
	}

	@Test
	void aServiceThatIsNotAUrlIsReportedWithItsPropertyName() {
		this.runner.withPropertyValues("atproto.service=bsky.social")
			.run((context) -> assertThat(context).getFailure().hasMessageContaining("atproto.service"));
	}

	@Test
	void theSessionStringsOfTheStoreCarryNoPasswordAndPropertiesHideIt() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD).run((context) -> {
			assertThat(context.getBean(AtprotoProperties.class).toString()).doesNotContain(PASSWORD);
			assertThat(List.of(context.getBean(AtprotoClient.class).exportSessionString()))
				.noneMatch((s) -> s.contains(PASSWORD));
		});
	}

}
