package io.github.atprotospring.autoconfigure.jpa;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.StarterAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The choice of migrations by database, and what an application is told when there are
 * none for its database or Flyway cannot talk to it.
 */
class AtprotoSchemaInitializerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class))
		.withConfiguration(StarterAutoConfigurations.all());

	@ParameterizedTest
	@CsvSource({ "H2, h2", "PostgreSQL, postgresql", "MySQL, mysql", "MariaDB, mysql",
			"Microsoft SQL Server, sqlserver", "Oracle, oracle" })
	void eachSupportedDatabaseGetsTheMigrationsOfItsVendor(String productName, String folder) {
		assertThat(AtprotoSchemaInitializer.vendorOf(productName))
			.hasValueSatisfying((vendor) -> assertThat(vendor.folder()).isEqualTo(folder));
	}

	@ParameterizedTest
	@CsvSource({ "HSQL Database Engine", "Apache Derby", "SQLite", "DB2/LINUXX8664" })
	void otherDatabasesGetNone(String productName) {
		assertThat(AtprotoSchemaInitializer.vendorOf(productName)).isEmpty();
	}

	@Test
	void everyVendorFolderHoldsTheSameVersions() throws IOException {
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		List<String> h2 = versions(resolver.getResources(AtprotoSchemaInitializer.LOCATION + "h2/*.sql"));
		assertThat(h2).startsWith("V1__atproto_session.sql", "V2__atproto_login_budget.sql");
		for (String folder : List.of("postgresql", "mysql", "sqlserver", "oracle")) {
			assertThat(versions(resolver.getResources(AtprotoSchemaInitializer.LOCATION + folder + "/*.sql")))
				.as(folder)
				.isEqualTo(h2);
		}
	}

	@Test
	void everyVendorsSessionColumnHoldsWhatTheEntityAllows() throws IOException {
		// The entity allows 8192 characters for both tokens, the handle, the DID and the
		// PDS URL: VARCHAR of that length, or a type without a limit where VARCHAR stops
		// short (SQL Server at 8000 bytes, Oracle at 4000).
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
		Pattern column = Pattern.compile("(?m)^\\s+session_string\\s+(\\S+)");
		for (String folder : List.of("h2", "postgresql", "mysql", "sqlserver", "oracle")) {
			String script = resolver
				.getResource(AtprotoSchemaInitializer.LOCATION + folder + "/V1__atproto_session.sql")
				.getContentAsString(StandardCharsets.UTF_8);
			Matcher type = column.matcher(script);
			assertThat(type.find()).as(folder).isTrue();
			assertThat(type.group(1)).as(folder).isIn("VARCHAR(8192)", "VARCHAR(MAX)", "CLOB");
		}
	}

	@Test
	void aDatabaseWithoutMigrationsFailsTheStartNamingThePropertyAndTheScripts() {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:hsqldb:mem:" + UUID.randomUUID()).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(UnsupportedDatabaseException.class)
				.hasMessageContaining("not for HSQL Database Engine")
				.hasMessageContaining("atproto.session.flyway.enabled=false")
				.hasMessageContaining("atproto-spring-boot-autoconfigure jar, under db/atproto/migration/");
			FailureAnalysis analysis = new UnsupportedDatabaseFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getAction()).contains("atproto.session.flyway.enabled=false", "db/atproto/migration/",
					"atproto_session", "atproto_login_budget", "atproto_login_attempt");
		});
	}

	@Test
	void theSchemaCanBeLeftToTheApplicationOnADatabaseWithoutMigrations() {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:hsqldb:mem:" + UUID.randomUUID(),
					"atproto.session.flyway.enabled=false", "spring.jpa.hibernate.ddl-auto=create")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AtprotoSchemaInitializer.class));
	}

	@Test
	void aMissingFlywayModuleIsNamedWithItsCoordinates() {
		AtprotoSchemaInitializer initializer = new AtprotoSchemaInitializer(database("MariaDB", "11.4.5-MariaDB"),
				"atproto_schema_history", null, new FilteredClassLoader("org.flywaydb.database.mysql"));
		assertThatExceptionOfType(UnsupportedDatabaseException.class).isThrownBy(initializer::afterPropertiesSet)
			.withMessageContaining("org.flywaydb:flyway-mysql")
			.satisfies((ex) -> assertThat(ex.action()).contains("<artifactId>flyway-mysql</artifactId>",
					"atproto.session.flyway.enabled=false"));
	}

	@Test
	void aForcedFolderMustExist() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AtprotoSchemaInitializer(new DriverManagerDataSource(), "history", "db2"))
			.withMessageContaining("db2")
			.withMessageContaining("sqlserver");
	}

	/** A database that says what it is, and no more. */
	private static DataSource database(String product, String version) {
		DatabaseMetaData metaData = proxy(DatabaseMetaData.class, (method) -> switch (method.getName()) {
			case "getDatabaseProductName" -> product;
			case "getDatabaseProductVersion" -> version;
			default -> throw new UnsupportedOperationException(method.getName());
		});
		Connection connection = proxy(Connection.class, (method) -> switch (method.getName()) {
			case "getMetaData" -> metaData;
			case "close" -> null;
			default -> throw new UnsupportedOperationException(method.getName());
		});
		return proxy(DataSource.class, (method) -> {
			if (method.getName().equals("getConnection")) {
				return connection;
			}
			throw new UnsupportedOperationException(method.getName());
		});
	}

	private static <T> T proxy(Class<T> type, Function<Method, Object> answer) {
		return type.cast(Proxy.newProxyInstance(AtprotoSchemaInitializerTests.class.getClassLoader(),
				new Class<?>[] { type }, (proxy, method, arguments) -> answer.apply(method)));
	}

	private static List<String> versions(Resource[] scripts) {
		return java.util.Arrays.stream(scripts).map(Resource::getFilename).sorted().toList();
	}

}
