package io.github.atprotospring.autoconfigure;

import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoSchemaInitializer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The session persistence suite on H2 in the compatibility mode of another database, with
 * the starter's migrations for that database forced (H2 reports itself as H2 in every
 * mode): the scripts of databases that need Docker to run for real, run in CI as closely
 * as H2 can. Hibernate still speaks H2's dialect here.
 */
abstract class H2CompatibilityModeSuite extends SessionPersistenceSuite {

	private static final String FOLDER_PROPERTY = "test.atproto.migrations";

	/**
	 * The settings of H2's compatibility mode, appended to the URL.
	 */
	abstract String mode();

	/**
	 * The folder of the starter's migrations for the database H2 plays.
	 */
	abstract String folder();

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;" + mode());
	}

	@Override
	ApplicationContextRunner customize(ApplicationContextRunner runner) {
		return runner.withUserConfiguration(ForcedMigrations.class)
			.withPropertyValues(FOLDER_PROPERTY + "=" + folder());
	}

	@Configuration(proxyBeanMethods = false)
	static class ForcedMigrations {

		@Bean
		AtprotoSchemaInitializer atprotoSchemaInitializer(DataSource dataSource, Environment environment) {
			return new AtprotoSchemaInitializer(dataSource, "atproto_schema_history",
					environment.getRequiredProperty(FOLDER_PROPERTY));
		}

	}

	@Override
	String vendorFolder(JdbcTemplate jdbc) {
		return folder();
	}

}
