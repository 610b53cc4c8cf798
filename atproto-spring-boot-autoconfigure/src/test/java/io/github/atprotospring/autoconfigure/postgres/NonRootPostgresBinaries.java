package io.github.atprotospring.autoconfigure.postgres;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * zonky's PostgreSQL binaries, repackaged so that they drop root themselves: the fallback
 * {@link EmbeddedPostgresDatabase} uses when the JVM runs as root and zonky's own remedy,
 * {@code unshare -U}, does not work (user namespaces disabled).
 * <p>
 * {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres} become
 * {@code <name>.real}, and in their place goes a shell script that, when started as root,
 * runs the real binary as {@value #UID}:{@value #UID} ({@code nobody}) through
 * {@code setpriv} (util-linux, on every Debian machine), and otherwise runs it as it is.
 * The data directory must then belong to that user.
 */
final class NonRootPostgresBinaries implements PgBinaryResolver {

	/**
	 * The user and group the binaries run as: {@code nobody}.
	 */
	static final int UID = 65534;

	static final NonRootPostgresBinaries INSTANCE = new NonRootPostgresBinaries();

	private static final Set<String> WRAPPED = Set.of("bin/initdb", "bin/pg_ctl", "bin/postgres");

	private static final String WRAPPER = """
			#!/bin/sh
			# PostgreSQL refuses to run as root: run the real binary beside this script as nobody.
			if [ "$(id -u)" = 0 ]; then
				exec setpriv --reuid=%1$d --regid=%1$d --clear-groups -- "$0.real" "$@"
			fi
			exec "$0.real" "$@"
			""".formatted(UID);

	private NonRootPostgresBinaries() {
	}

	@Override
	public InputStream getPgBinary(String system, String machineHardware) throws IOException {
		try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
			if (original == null) {
				return null;
			}
			return repackage(original);
		}
	}

	private static InputStream repackage(InputStream original) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024 * 1024);
		try (TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(original));
				TarArchiveOutputStream out = new TarArchiveOutputStream(
						new XZOutputStream(bytes, new LZMA2Options(1)))) {
			out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
			TarArchiveEntry entry;
			while ((entry = in.getNextEntry()) != null) {
				String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
				if (entry.isFile() && WRAPPED.contains(name)) {
					TarArchiveEntry real = new TarArchiveEntry(name + ".real");
					real.setMode(entry.getMode());
					real.setModTime(entry.getModTime());
					real.setSize(entry.getSize());
					out.putArchiveEntry(real);
					in.transferTo(out);
					out.closeArchiveEntry();
					byte[] script = WRAPPER.getBytes(StandardCharsets.US_ASCII);
					TarArchiveEntry wrapper = new TarArchiveEntry(name);
					wrapper.setMode(0755);
					wrapper.setModTime(entry.getModTime());
					wrapper.setSize(script.length);
					out.putArchiveEntry(wrapper);
					out.write(script);
					out.closeArchiveEntry();
				}
				else {
					out.putArchiveEntry(entry);
					if (entry.isFile()) {
						in.transferTo(out);
					}
					out.closeArchiveEntry();
				}
			}
		}
		return new ByteArrayInputStream(bytes.toByteArray());
	}

}
