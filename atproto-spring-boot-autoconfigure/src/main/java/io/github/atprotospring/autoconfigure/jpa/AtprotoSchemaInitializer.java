package io.github.atprotospring.autoconfigure.jpa;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.util.ClassUtils;

/**
 * Creates and migrates the session table with a Flyway of its own: its own history table
 * and migration location, so it never collides with the application's migrations, and no
 * bean of type {@link Flyway}, so Spring Boot's Flyway auto-configuration still runs the
 * application's own. It runs after the application's Flyway and before JPA starts (see
 * {@link AtprotoSchemaInitializerDetector}).
 * <p>
 * The migrations are in one folder per database under {@value #LOCATION}: {@code h2},
 * {@code postgresql}, {@code mysql} (MySQL and MariaDB), {@code sqlserver} and
 * {@code oracle}. The folder is chosen by the database's product name; any other database
 * fails the start with a message that says how to create the tables by hand.
 */
public class AtprotoSchemaInitializer implements InitializingBean {

	/** Where the migrations are, one folder per database vendor. */
	public static final String LOCATION = "classpath:db/atproto/migration/";

	/**
	 * The property that turns this initializer off, for teams that manage the schema
	 * themselves.
	 */
	static final String ENABLED_PROPERTY = "atproto.session.flyway.enabled";

	private static final List<Vendor> VENDORS = List.of(new Vendor("h2", "H2", "h2", null, null),
			new Vendor("postgresql", "PostgreSQL", "postgres",
					"org.flywaydb.database.postgresql.PostgreSQLDatabaseType",
					"org.flywaydb:flyway-database-postgresql"),
			// One folder for both: MySQL's driver reports a MariaDB server as MySQL,
			// and the MariaDB the build runs then tests the very script MySQL gets.
			new Vendor("mysql", "MySQL or MariaDB", "mysql", "org.flywaydb.database.mysql.MySQLDatabaseType",
					"org.flywaydb:flyway-mysql"),
			new Vendor("mysql", "MySQL or MariaDB", "mariadb", "org.flywaydb.database.mysql.MySQLDatabaseType",
					"org.flywaydb:flyway-mysql"),
			new Vendor("sqlserver", "SQL Server", "microsoft sql server",
					"org.flywaydb.database.sqlserver.SQLServerDatabaseType", "org.flywaydb:flyway-sqlserver"),
			new Vendor("oracle", "Oracle", "oracle", "org.flywaydb.database.oracle.OracleDatabaseType",
					"org.flywaydb:flyway-database-oracle"));

	private final DataSource dataSource;

	private final String table;

	/** The folder forced by the application, or null to pick it by the product name. */
	private final String folder;

	private final ClassLoader classLoader;

	/**
	 * An initializer that picks the migrations by the database's product name.
	 * @param dataSource the database
	 * @param table the name of the Flyway history table
	 */
	public AtprotoSchemaInitializer(DataSource dataSource, String table) {
		this(dataSource, table, null);
	}

	/**
	 * An initializer that runs the migrations of the given folder whatever the database
	 * says it is: for a database that speaks another's dialect, such as H2 in a
	 * compatibility mode.
	 * @param dataSource the database
	 * @param table the name of the Flyway history table
	 * @param folder the folder of migrations under {@value #LOCATION} ({@code h2},
	 * {@code postgresql}, {@code mysql}, {@code sqlserver} or {@code oracle}), or
	 * {@code null} to pick it by the database's product name
	 */
	public AtprotoSchemaInitializer(DataSource dataSource, String table, String folder) {
		this(dataSource, table, folder, AtprotoSchemaInitializer.class.getClassLoader());
	}

	AtprotoSchemaInitializer(DataSource dataSource, String table, String folder, ClassLoader classLoader) {
		if (folder != null && VENDORS.stream().noneMatch((vendor) -> vendor.folder().equals(folder))) {
			throw new IllegalArgumentException("No atproto session migrations for '" + folder + "': choose one of "
					+ VENDORS.stream().map(Vendor::folder).distinct().toList());
		}
		this.dataSource = dataSource;
		this.table = table;
		this.folder = folder;
		this.classLoader = classLoader;
	}

	@Override
	public void afterPropertiesSet() {
		Vendor database = database();
		Flyway.configure(this.classLoader)
			.dataSource(this.dataSource)
			.table(this.table)
			.locations(LOCATION + ((this.folder != null) ? this.folder : database.folder()))
			.failOnMissingLocations(true)
			// The application's tables may be there already: start our own history from
			// an empty baseline.
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.load()
			.migrate();
	}

	/**
	 * The vendor of the database, checked for migrations of ours and for the Flyway
	 * module that Flyway needs to talk to it.
	 */
	private Vendor database() {
		String product;
		String version;
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			product = metaData.getDatabaseProductName();
			version = metaData.getDatabaseProductVersion();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not connect to the database to create the atproto session table",
					ex);
		}
		Vendor vendor = vendorOf(product).orElseThrow(() -> new UnsupportedDatabaseException(product, version));
		if (vendor.flywayModuleClass() != null && !ClassUtils.isPresent(vendor.flywayModuleClass(), this.classLoader)) {
			throw new UnsupportedDatabaseException(product, vendor.name(), vendor.flywayModule());
		}
		return vendor;
	}

	/**
	 * The vendor whose migrations fit a database, by the product name its driver reports.
	 * @param productName the database product name
	 * @return the vendor, if the starter ships migrations for it
	 */
	static Optional<Vendor> vendorOf(String productName) {
		String name = productName.toLowerCase(Locale.ROOT);
		return VENDORS.stream().filter((vendor) -> name.contains(vendor.productNamePart())).findFirst();
	}

	/**
	 * A database the starter ships migrations for.
	 *
	 * @param folder the folder of its migrations
	 * @param name its name, for messages
	 * @param productNamePart what its driver's product name contains, in lower case
	 * @param flywayModuleClass a class of the Flyway module that supports it, or
	 * {@code null} if {@code flyway-core} does
	 * @param flywayModule the Maven coordinates of that module
	 */
	record Vendor(String folder, String name, String productNamePart, String flywayModuleClass, String flywayModule) {
	}

}
