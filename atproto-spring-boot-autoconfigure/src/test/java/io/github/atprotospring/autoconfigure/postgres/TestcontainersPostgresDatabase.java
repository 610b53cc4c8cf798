package io.github.atprotospring.autoconfigure.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One PostgreSQL container per JVM for tests, started with Testcontainers on first use
 * and stopped when the JVM exits: the same API as {@link EmbeddedPostgresDatabase}, for
 * tests that want PostgreSQL as it runs in production ({@value #IMAGE}).
 * <p>
 * It needs a Docker engine, which machines without one (such as this project's CI) lack:
 * guard such tests with
 * {@code @EnabledIf("io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable")}.
 * <p>
 * Each call to {@link #newDatabaseJdbcUrl()} creates a new, empty database in the
 * container; connect with {@link #username()} and {@link #password()}.
 */
public final class TestcontainersPostgresDatabase {

	/**
	 * The image the container runs.
	 */
	public static final String IMAGE = "postgres:17-alpine";

	private static final String USERNAME = "test";

	private static final String PASSWORD = "test";

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Object monitor = new Object();

	private static volatile PostgreSQLContainer container;

	private static volatile Boolean dockerAvailable;

	private TestcontainersPostgresDatabase() {
	}

	/**
	 * Whether a Docker engine can be reached, so that the container can start. Asked once
	 * per JVM; never throws.
	 * @return {@code true} if Docker is available
	 */
	public static boolean dockerAvailable() {
		Boolean available = dockerAvailable;
		if (available == null) {
			synchronized (monitor) {
				available = dockerAvailable;
				if (available == null) {
					available = detectDocker();
					dockerAvailable = available;
				}
			}
		}
		return available;
	}

	/**
	 * Create a new, empty database in the shared container (starting it if needed) and
	 * return its JDBC URL. The URL carries no credentials: use {@link #username()} and
	 * {@link #password()}.
	 * @return the JDBC URL of a database no other caller has been given
	 */
	public static String newDatabaseJdbcUrl() {
		PostgreSQLContainer postgres = container();
		String name = "test_" + counter.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(), USERNAME, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' in the PostgreSQL container", ex);
		}
		return "jdbc:postgresql://" + postgres.getHost() + ":"
				+ postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + name;
	}

	/**
	 * Return the user name to connect with: the container's superuser.
	 * @return the user name
	 */
	public static String username() {
		return USERNAME;
	}

	/**
	 * Return the password to connect with.
	 * @return the password
	 */
	public static String password() {
		return PASSWORD;
	}

	private static PostgreSQLContainer container() {
		PostgreSQLContainer postgres = container;
		if (postgres == null) {
			synchronized (monitor) {
				postgres = container;
				if (postgres == null) {
					postgres = start();
					container = postgres;
				}
			}
		}
		return postgres;
	}

	@SuppressWarnings("resource")
	private static PostgreSQLContainer start() {
		if (!dockerAvailable()) {
			throw new IllegalStateException("Cannot start a PostgreSQL container: no Docker engine is available. "
					+ "Guard the test with @EnabledIf(\"" + TestcontainersPostgresDatabase.class.getName()
					+ "#dockerAvailable\") or use EmbeddedPostgresDatabase.");
		}
		PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse(IMAGE)).withUsername(USERNAME)
			.withPassword(PASSWORD);
		postgres.start();
		// Testcontainers' Ryuk removes it too; stopping here is quicker and works without
		// Ryuk
		Runtime.getRuntime().addShutdownHook(new Thread(postgres::stop, "postgres-container-shutdown"));
		return postgres;
	}

	private static boolean detectDocker() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

}
