package io.github.atprotospring.autoconfigure.jpa;

import io.github.atprotospring.autoconfigure.StarterAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The first start of an application that adds only the starter, which brings JPA but no
 * database: it fails, and the report says exactly what to add.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingDatabaseTests {

	/** The application's class path without any embedded database. */
	private static final FilteredClassLoader NO_EMBEDDED_DATABASE = new FilteredClassLoader("org.h2", "org.hsqldb",
			"org.apache.derby");

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withClassLoader(NO_EMBEDDED_DATABASE)
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class))
		.withConfiguration(StarterAutoConfigurations.all());

	@Test
	void anApplicationWithOnlyTheStarterIsToldWhichDriverAndPropertyToAdd(CapturedOutput output) {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
				.resourceLoader(new DefaultResourceLoader(NO_EMBEDDED_DATABASE))
				.properties("atproto.handle=alice.test")
				.run());
		assertThat(output).contains("APPLICATION FAILED TO START",
				"The atproto starter keeps its sessions in your database, through JPA, and no database is configured",
				"org.postgresql:postgresql", "spring.datasource.url=jdbc:postgresql://localhost:5432/app",
				"org.flywaydb:flyway-mysql", "com.h2database:h2", "spring.datasource.url=jdbc:h2:file:./data/atproto",
				"exclude org.springframework.boot:spring-boot-starter-data-jpa", "active profiles: none");
		// It replaces Spring Boot's report, which speaks of DataSources in general.
		assertThat(output).doesNotContain("If you want an embedded database (H2, HSQL or Derby)");
	}

	@Test
	void aConfiguredUrlWhoseDriverIsMissingIsLeftToSpringBootsReport() {
		String url = "spring.datasource.url=jdbc:unknown://localhost/app";
		this.runner.withPropertyValues(url).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyzer(url).analyze(context.getStartupFailure())).isNull();
		});
	}

	@Test
	void anApplicationThatTurnedTheClientOffIsLeftToSpringBootsReport() {
		this.runner.withPropertyValues("atproto.enabled=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analyzer("atproto.enabled=false").analyze(context.getStartupFailure())).isNull();
			assertThat(analyzer().analyze(context.getStartupFailure())).isNotNull();
		});
	}

	@Test
	void theReportNamesTheActiveProfilesWhereDatabaseSettingsMayBe() {
		this.runner.run((context) -> {
			assertThat(context).hasFailed();
			MockEnvironment staging = new MockEnvironment();
			staging.setActiveProfiles("staging");
			assertThat(new MissingDatabaseFailureAnalyzer(staging).analyze(context.getStartupFailure()).getAction())
				.contains("active profiles: [staging]");
		});
	}

	/** The analyzer of an application with these properties. */
	private static MissingDatabaseFailureAnalyzer analyzer(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		for (String property : properties) {
			String[] nameAndValue = property.split("=", 2);
			environment.setProperty(nameAndValue[0], nameAndValue[1]);
		}
		return new MissingDatabaseFailureAnalyzer(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
