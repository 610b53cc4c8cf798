package io.github.atprotospring.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;

/**
 * Creates and migrates the session table with a Flyway of its own: its own history table
 * and migration location, so it never collides with the application's migrations, and no
 * bean of type {@link Flyway}, so Spring Boot's Flyway auto-configuration still runs the
 * application's own. It runs after the application's Flyway and before JPA starts (see
 * {@link AtprotoSchemaInitializerDetector}).
 */
public class AtprotoSchemaInitializer implements InitializingBean {

	/** Where the migrations are, one folder per database vendor. */
	public static final String LOCATION = "classpath:db/atproto/migration/";

	private final DataSource dataSource;

	private final String table;

	/**
	 * @param dataSource the database
	 * @param table the name of the Flyway history table
	 */
	public AtprotoSchemaInitializer(DataSource dataSource, String table) {
		this.dataSource = dataSource;
		this.table = table;
	}

	@Override
	public void afterPropertiesSet() {
		Flyway.configure(getClass().getClassLoader())
			.dataSource(this.dataSource)
			.table(this.table)
			.locations(LOCATION + vendor())
			.failOnMissingLocations(true)
			// The application's tables may be there already: start our own history from
			// an empty baseline.
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

	private String vendor() {
		String product;
		try (Connection connection = this.dataSource.getConnection()) {
			product = connection.getMetaData().getDatabaseProductName();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not connect to the database to create the atproto session table",
					ex);
		}
		String name = product.toLowerCase(Locale.ROOT);
		if (name.contains("h2")) {
			return "h2";
		}
		if (name.contains("postgres")) {
			return "postgresql";
		}
		throw new IllegalStateException("The atproto session table is shipped for H2 and PostgreSQL, not for " + product
				+ ": create it yourself (adapt db/atproto/migration/postgresql/V1__atproto_session.sql from the "
				+ "atproto-spring-boot-autoconfigure jar) and set atproto.session.flyway.enabled=false");
	}

}
