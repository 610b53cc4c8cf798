package io.github.atprotospring.autoconfigure;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A new user's configuration mistakes, caught before the database starts and before a
 * login is spent on them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AtprotoPropertiesValidatorTests {

	static final String CREATE = "com.atproto.server.createSession";

	static final AtomicInteger databaseStarts = new AtomicInteger();

	PdsDouble pds;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		databaseStarts.set(0);
		this.pds = PdsDouble.builder().start();
		this.pds.createAccount("alice.test", "alice@example.com", "abcd-efgh-ijkl-mnop");
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
			.withBean(DatabaseWatcher.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:validator-" + System.nanoTime(),
					"atproto.service=" + this.pds.url());
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void anUnfilledPlaceholderInThePasswordIsReportedAndCostsNoLogin() {
		this.runner.withPropertyValues("atproto.handle=alice.test", "atproto.password=${BLUESKY_APP_PASSWORD}")
			.run((context) -> {
				assertThat(context).getFailure()
					.isInstanceOf(AtprotoConfigurationException.class)
					.hasMessageContaining("atproto.password")
					.hasMessageContaining("${BLUESKY_APP_PASSWORD}");
				assertThat(databaseStarts).hasValue(0);
			});
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aHandleOfBlanksIsReported() {
		this.runner.withPropertyValues("atproto.password=abcd-efgh-ijkl-mnop")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("blanks", Map.of("atproto.handle", "   "))))
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(AtprotoConfigurationException.class)
				.hasMessageContaining("atproto.handle is set but holds only blanks"));
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aMalformedServiceIsReportedBeforeTheDatabaseStarts() {
		this.runner.withPropertyValues("atproto.service=bsky.social", "atproto.handle=alice.test").run((context) -> {
			assertThat(context).getFailure()
				.isInstanceOf(AtprotoConfigurationException.class)
				.hasMessageContaining("atproto.service is not an http or https URL: 'bsky.social'");
			assertThat(databaseStarts).hasValue(0);
		});
	}

	@Test
	void aServiceWithCredentialsInItIsRefusedWithoutShowingThem() {
		this.runner.withPropertyValues("atproto.service=https://alice:secret-pw@bsky.social")
			.run((context) -> assertThat(context).getFailure()
				.isInstanceOf(AtprotoConfigurationException.class)
				.hasMessageContaining("contains user information")
				.hasMessageNotContaining("secret-pw"));
	}

	@Test
	void aTypoInAPropertyNameIsReportedWithTheClosestKnownName(CapturedOutput output) {
		this.runner.withPropertyValues("atproto.hanlde=alice.test", "atproto.session.refresh-margn=10m")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Unknown property 'atproto.hanlde'", "did you mean 'atproto.handle'?",
				"Unknown property 'atproto.session.refresh-margn'", "did you mean 'atproto.session.refresh-margin'?");
	}

	@Test
	void aPasswordThatIsNoAppPasswordIsWarnedOfForARealService(CapturedOutput output) {
		this.runner
			.withPropertyValues("atproto.service=https://pds.example.com", "atproto.handle=alice.test",
					"atproto.password=my-main-password", "atproto.session.resume-on-startup=false")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("atproto.password does not have the form of an app password")
			.doesNotContain("my-main-password");
	}

	@Test
	void theStartupFailureReportNamesThePropertyAndThePlaceholder(CapturedOutput output) {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.properties("atproto.service=" + this.pds.url(), "atproto.handle=alice.test",
						"atproto.password=${BLUESKY_APP_PASSWORD}",
						"spring.datasource.url=jdbc:h2:mem:validator-report-" + System.nanoTime())
				.run());
		assertThat(output).contains("APPLICATION FAILED TO START", "atproto.password", "${BLUESKY_APP_PASSWORD}",
				"Set the environment variable BLUESKY_APP_PASSWORD");
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	/**
	 * Stands for the database: a singleton that a configuration check must come before.
	 */
	static class DatabaseWatcher {

		DatabaseWatcher() {
			databaseStarts.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
