package io.github.atprotospring.autoconfigure.jpa;

/**
 * Thrown at startup when the starter cannot create its tables in the application's
 * database: either it ships no migrations for that database, or Flyway lacks the module
 * that talks to it. The message says what to add or how to create the tables by hand;
 * {@link UnsupportedDatabaseFailureAnalyzer} turns it into Boot's failure report.
 */
public class UnsupportedDatabaseException extends IllegalStateException {

	private static final String SCRIPTS = "the atproto-spring-boot-autoconfigure jar, under "
			+ AtprotoSchemaInitializer.LOCATION.substring("classpath:".length());

	private final String product;

	private final String flywayModule;

	/**
	 * A database the starter ships no migrations for.
	 * @param product the database's product name
	 * @param version the database's product version
	 */
	UnsupportedDatabaseException(String product, String version) {
		super("The atproto session tables are shipped for H2, PostgreSQL, MySQL, MariaDB, SQL Server and Oracle, "
				+ "not for " + product + " " + version + ". Create the tables yourself from the scripts in " + SCRIPTS
				+ "<database>/ and set " + AtprotoSchemaInitializer.ENABLED_PROPERTY + "=false.");
		this.product = product;
		this.flywayModule = null;
	}

	/**
	 * A database the starter ships migrations for, without the Flyway module for it.
	 * @param product the database's product name
	 * @param name the name the starter gives that database
	 * @param flywayModule the Maven coordinates of the missing Flyway module
	 */
	UnsupportedDatabaseException(String product, String name, String flywayModule) {
		super("Flyway needs " + flywayModule + " to create the atproto session tables in " + name + " (" + product
				+ "), and it is not on the class path.");
		this.product = product;
		this.flywayModule = flywayModule;
	}

	/**
	 * The database's product name, as its driver reports it.
	 * @return the product name
	 */
	public String getProduct() {
		return this.product;
	}

	/**
	 * The Flyway module to add, if that is what is missing.
	 * @return its Maven coordinates ({@code groupId:artifactId}), or {@code null} if the
	 * starter ships no migrations for the database
	 */
	public String getFlywayModule() {
		return this.flywayModule;
	}

	/**
	 * What to do about it.
	 * @return the action, for a failure report
	 */
	String action() {
		if (this.flywayModule != null) {
			String[] coordinates = this.flywayModule.split(":");
			return "Add the dependency " + this.flywayModule + " (its version comes from Spring Boot's dependency "
					+ "management): <dependency><groupId>" + coordinates[0] + "</groupId><artifactId>" + coordinates[1]
					+ "</artifactId></dependency>. Or create the tables yourself from the scripts in " + SCRIPTS
					+ " and set " + AtprotoSchemaInitializer.ENABLED_PROPERTY + "=false.";
		}
		return "Create the tables atproto_session, atproto_login_budget and atproto_login_attempt yourself, adapting "
				+ "the scripts in " + SCRIPTS + "<database>/ (postgresql/ is the closest to standard SQL), and set "
				+ AtprotoSchemaInitializer.ENABLED_PROPERTY + "=false so that the starter leaves the schema to you. "
				+ "Or keep sessions elsewhere: a SessionStore bean of your own replaces the JPA store.";
	}

}
