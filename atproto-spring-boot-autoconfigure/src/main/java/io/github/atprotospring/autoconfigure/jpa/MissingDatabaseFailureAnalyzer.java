package io.github.atprotospring.autoconfigure.jpa;

import java.util.Arrays;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Says exactly what to add when an application with the starter has no database: the
 * starter brings JPA, and JPA makes Spring Boot set up a DataSource, which fails without
 * {@code spring.datasource.url} and without an embedded database on the class path. The
 * starter no longer brings H2, so that is what an application that adds only the starter
 * meets at its first start. Boot's own report of that failure speaks of DataSources in
 * general; this one comes first and names the dependencies and properties of each choice.
 */
class MissingDatabaseFailureAnalyzer implements FailureAnalyzer, Ordered {

	/** Package-private in Spring Boot: recognised by name. */
	private static final String DATA_SOURCE_FAILURE = "org.springframework.boot.jdbc.autoconfigure.DataSourceProperties$DataSourceBeanCreationException";

	private final Environment environment;

	MissingDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		Throwable cause = dataSourceFailure(failure);
		if (cause == null || StringUtils.hasText(this.environment.getProperty("spring.datasource.url"))
				|| !this.environment.getProperty("atproto.enabled", Boolean.class, true)) {
			return null;
		}
		return new FailureAnalysis(description(), action(), cause);
	}

	private static Throwable dataSourceFailure(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate.getClass().getName().equals(DATA_SOURCE_FAILURE)) {
				return candidate;
			}
			if (candidate.getCause() == candidate) {
				return null;
			}
		}
		return null;
	}

	private static String description() {
		return "The atproto starter keeps its sessions in your database, through JPA, and no database is "
				+ "configured: spring.datasource.url is not set and there is no embedded database (H2, HSQLDB, Derby) "
				+ "on the class path. The starter brings no database of its own.";
	}

	private String action() {
		String profiles = Arrays.toString(this.environment.getActiveProfiles());
		return String.join(System.lineSeparator(),
				"Add your database's JDBC driver and point spring.datasource.url (with spring.datasource.username and "
						+ "spring.datasource.password) at it:",
				"\tPostgreSQL: org.postgresql:postgresql, spring.datasource.url=jdbc:postgresql://localhost:5432/app",
				"\tMySQL: com.mysql:mysql-connector-j and org.flywaydb:flyway-mysql, "
						+ "spring.datasource.url=jdbc:mysql://localhost:3306/app",
				"\tMariaDB: org.mariadb.jdbc:mariadb-java-client and org.flywaydb:flyway-mysql, "
						+ "spring.datasource.url=jdbc:mariadb://localhost:3306/app",
				"\tSQL Server: com.microsoft.sqlserver:mssql-jdbc and org.flywaydb:flyway-sqlserver",
				"\tOracle: com.oracle.database.jdbc:ojdbc11 and org.flywaydb:flyway-database-oracle",
				"To try it out without a database server, add com.h2database:h2 and set "
						+ "spring.datasource.url=jdbc:h2:file:./data/atproto (a file, so that sessions survive restarts).",
				"To keep sessions in memory instead (every restart then logs in again), exclude "
						+ "org.springframework.boot:spring-boot-starter-data-jpa from atproto-spring-boot-starter.",
				"If your database settings are in a profile, activate it (active profiles: "
						+ (profiles.equals("[]") ? "none" : profiles) + ").");
	}

	@Override
	public int getOrder() {
		// Before Spring Boot's analyzer of the same failure, which is unordered.
		return 0;
	}

}
