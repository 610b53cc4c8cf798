package io.github.atprotospring.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * A real PostgreSQL for the cluster benchmark, from zonky's embedded binaries (a Maven
 * Central jar: no Docker, nothing installed). PostgreSQL refuses to run as root; as root
 * zonky starts its binaries in a user namespace ({@code unshare -U}) by itself. Where
 * that is not possible, the binaries are repackaged with a wrapper that drops to
 * {@code nobody} through {@code setpriv}, and the data directory is given to that user.
 * The binaries are unpacked once under {@code <java.io.tmpdir>/embedded-pg}; the data
 * directory is deleted when the server stops.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

	private static final String USER = "postgres";

	private static final int NOBODY = 65534;

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static EmbeddedPostgresServer start() throws IOException {
		boolean root = "root".equals(System.getProperty("user.name"));
		boolean setpriv = root && !LinuxUtils.isUnshareAvailable();
		Path work = Path.of(System.getProperty("ot.epg.working-dir",
				Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
		Files.createDirectories(work);
		Path data = Files.createTempDirectory(work, "atproto-bench-");
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(data)
			.setCleanDataDirectory(true)
			.setPGStartupWait(Duration.ofSeconds(60))
			// a benchmark database: durability is not what is measured
			.setServerConfig("fsync", "off")
			.setServerConfig("synchronous_commit", "off")
			.setServerConfig("full_page_writes", "off")
			.setServerConfig("max_connections", "200");
		if (setpriv) {
			Files.setAttribute(data, "unix:uid", NOBODY);
			Files.setAttribute(data, "unix:gid", NOBODY);
			builder.setPgBinaryResolver(EmbeddedPostgresServer::setprivBinaries);
		}
		try {
			return new EmbeddedPostgresServer(builder.start());
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("Could not start embedded PostgreSQL" + (root
					? (setpriv ? " (as root, through setpriv as nobody)" : " (as root, in a user namespace)") : "")
					+ ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Creates an empty database.
	 * @param name its name
	 * @return its JDBC URL
	 */
	String createDatabase(String name) {
		try (Connection connection = this.postgres.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the database " + name + ": " + ex.getMessage(), ex);
		}
		return "jdbc:postgresql://localhost:" + this.postgres.getPort() + "/" + name;
	}

	String username() {
		return USER;
	}

	/** Any password does: the server trusts local connections. */
	String password() {
		return USER;
	}

	@Override
	public void close() throws IOException {
		this.postgres.close();
	}

	/**
	 * zonky's binaries with {@code initdb}, {@code pg_ctl} and {@code postgres} behind a
	 * script that runs them as {@code nobody} when started as root.
	 */
	private static InputStream setprivBinaries(String system, String machine) throws IOException {
		Set<String> wrapped = Set.of("bin/initdb", "bin/pg_ctl", "bin/postgres");
		byte[] script = ("#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then\n  exec setpriv --reuid=" + NOBODY + " --regid="
				+ NOBODY + " --clear-groups -- \"$0.real\" \"$@\"\nfi\nexec \"$0.real\" \"$@\"\n")
			.getBytes(StandardCharsets.US_ASCII);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 << 20);
		try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
				TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
				TarArchiveOutputStream out = new TarArchiveOutputStream(
						new XZOutputStream(bytes, new LZMA2Options(1)))) {
			out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
			TarArchiveEntry entry;
			while ((entry = in.getNextEntry()) != null) {
				String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
				if (entry.isFile() && wrapped.contains(name)) {
					TarArchiveEntry real = new TarArchiveEntry(name + ".real");
					real.setMode(entry.getMode());
					real.setSize(entry.getSize());
					out.putArchiveEntry(real);
					in.transferTo(out);
					out.closeArchiveEntry();
					TarArchiveEntry wrapper = new TarArchiveEntry(name);
					wrapper.setMode(0755);
					wrapper.setSize(script.length);
					out.putArchiveEntry(wrapper);
					out.write(script);
				}
				else {
					out.putArchiveEntry(entry);
					if (entry.isFile()) {
						in.transferTo(out);
					}
				}
				out.closeArchiveEntry();
			}
		}
		return new ByteArrayInputStream(bytes.toByteArray());
	}

}
