package io.github.atprotospring.autoconfigure.containers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mssqlserver.MSSQLServerContainer;
import org.testcontainers.mysql.MySQLContainer;
import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * MySQL, SQL Server and Oracle for tests, each in one container per JVM, started with
 * Testcontainers on first use and stopped when the JVM exits. Each call to
 * {@link #newDatabase(Engine)} gives a new, empty database (a schema and its user on
 * Oracle) as {@code spring.datasource} properties.
 * <p>
 * They need a Docker engine, which machines without one (such as this project's CI) lack:
 * guard such tests with
 * {@code @EnabledIf("io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable")}.
 */
public final class TestcontainersDatabases {

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Map<Engine, JdbcDatabaseContainer<?>> containers = new ConcurrentHashMap<>();

	private TestcontainersDatabases() {
	}

	/**
	 * Create a new, empty database in the engine's container, starting it if needed.
	 * @param engine the database engine
	 * @return its JDBC URL, user name and password as {@code spring.datasource}
	 * properties
	 */
	public static List<String> newDatabase(Engine engine) {
		if (!TestcontainersPostgresDatabase.dockerAvailable()) {
			throw new IllegalStateException("Cannot start a " + engine + " container: no Docker engine is available. "
					+ "Guard the test with @EnabledIf(\"" + TestcontainersPostgresDatabase.class.getName()
					+ "#dockerAvailable\").");
		}
		JdbcDatabaseContainer<?> container = containers.computeIfAbsent(engine, TestcontainersDatabases::start);
		String name = "test_" + counter.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		try (Connection connection = DriverManager.getConnection(engine.adminUrl(container), engine.admin(container),
				container.getPassword()); Statement statement = connection.createStatement()) {
			for (String sql : engine.create(name, container.getPassword())) {
				statement.execute(sql);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' in the " + engine + " container",
					ex);
		}
		return engine.properties(container, name);
	}

	private static JdbcDatabaseContainer<?> start(Engine engine) {
		JdbcDatabaseContainer<?> container = engine.container.get();
		container.start();
		// Ryuk removes it too; stopping here is quicker and works without Ryuk.
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop, engine + "-container-shutdown"));
		return container;
	}

	/**
	 * The database engines, with their images and the SQL that gives a test a database of
	 * its own.
	 */
	public enum Engine {

		/** MySQL 8.4, the current long-term release. */
		MYSQL(() -> new MySQLContainer(DockerImageName.parse("mysql:8.4"))) {

			@Override
			List<String> create(String name, String password) {
				return List.of("CREATE DATABASE `" + name + "`");
			}

			@Override
			String admin(JdbcDatabaseContainer<?> container) {
				return "root";
			}

			@Override
			List<String> properties(JdbcDatabaseContainer<?> container, String name) {
				return List.of(
						"spring.datasource.url=jdbc:mysql://" + container.getHost() + ":"
								+ container.getMappedPort(MySQLContainer.MYSQL_PORT) + "/" + name,
						"spring.datasource.username=root", "spring.datasource.password=" + container.getPassword());
			}

		},

		/** SQL Server 2022. */
		SQLSERVER(() -> new MSSQLServerContainer(DockerImageName.parse("mcr.microsoft.com/mssql/server:2022-latest"))
			.acceptLicense()) {

			@Override
			List<String> create(String name, String password) {
				return List.of("CREATE DATABASE " + name);
			}

			@Override
			List<String> properties(JdbcDatabaseContainer<?> container, String name) {
				return List.of("spring.datasource.url=" + container.getJdbcUrl() + ";databaseName=" + name,
						"spring.datasource.username=" + container.getUsername(),
						"spring.datasource.password=" + container.getPassword());
			}

		},

		/** Oracle Database 23ai Free: a database of a test's own is a user (a schema). */
		ORACLE(() -> new OracleContainer(DockerImageName.parse("gvenzl/oracle-free:23-slim-faststart"))) {

			@Override
			List<String> create(String name, String password) {
				return List.of("CREATE USER " + name + " IDENTIFIED BY \"" + password + "\" QUOTA UNLIMITED ON USERS",
						"GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE TO " + name);
			}

			@Override
			String admin(JdbcDatabaseContainer<?> container) {
				return "system";
			}

			@Override
			List<String> properties(JdbcDatabaseContainer<?> container, String name) {
				return List.of("spring.datasource.url=" + container.getJdbcUrl(), "spring.datasource.username=" + name,
						"spring.datasource.password=" + container.getPassword());
			}

		};

		private final Supplier<JdbcDatabaseContainer<?>> container;

		Engine(Supplier<JdbcDatabaseContainer<?>> container) {
			this.container = container;
		}

		abstract List<String> create(String name, String password);

		abstract List<String> properties(JdbcDatabaseContainer<?> container, String name);

		String admin(JdbcDatabaseContainer<?> container) {
			return container.getUsername();
		}

		String adminUrl(JdbcDatabaseContainer<?> container) {
			return container.getJdbcUrl();
		}

	}

}
