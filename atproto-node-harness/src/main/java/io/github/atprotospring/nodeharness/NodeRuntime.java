package io.github.atprotospring.nodeharness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Node.js on the {@code PATH} ({@code node} and {@code npm}) that installs and runs
 * the repository's npm harnesses: the reference PDS of the end-to-end tests and the
 * benchmarks, the TypeScript SDK they compare with.
 *
 * @param node the {@code node} executable
 * @param npm the {@code npm} executable
 * @param version what {@code node --version} printed, such as {@code v20.20.2}
 * @param headers the folder holding {@code include/node/node.h} of this Node, for
 * node-gyp's {@code npm_config_nodedir} ({@code /usr} for a Debian Node), or {@code null}
 * if there is none
 */
public record NodeRuntime(Path node, Path npm, String version, Path headers) {

	/**
	 * The Node on the {@code PATH}, or why there is none.
	 * @return the runtime, or empty
	 */
	public static Optional<NodeRuntime> find() {
		return Found.RUNTIME;
	}

	/** Looked up once per JVM: every test asks. */
	private static final class Found {

		static final Optional<NodeRuntime> RUNTIME = lookUp();

	}

	private static Optional<NodeRuntime> lookUp() {
		Optional<Path> node = onPath("node");
		Optional<Path> npm = onPath("npm");
		if (node.isEmpty() || npm.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new NodeRuntime(node.get(), npm.get(), run(node.get(), "--version"), headersOf(node.get())));
	}

	/**
	 * What is missing where {@link #find()} finds nothing.
	 * @return such as "node and npm are not on the PATH (...)"
	 */
	public static String missingReason() {
		String missing = onPath("node").isEmpty() ? (onPath("npm").isEmpty() ? "node and npm are" : "node is")
				: "npm is";
		return missing + " not on the PATH (" + System.getenv("PATH") + ")";
	}

	private static Optional<Path> onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (dir.isBlank()) {
				continue;
			}
			Path candidate = Path.of(dir, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * node-gyp compiles better-sqlite3 against the headers of the Node that will load it;
	 * without {@code npm_config_nodedir} it downloads them, which fails where only the
	 * registries are reachable. A packaged or tarball Node keeps them at
	 * {@code <prefix>/include/node}, its binary at {@code <prefix>/bin/node}.
	 */
	private static Path headersOf(Path node) {
		try {
			Path prefix = node.toRealPath().getParent().getParent();
			return (prefix != null && Files.isRegularFile(prefix.resolve("include/node/node.h"))) ? prefix : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static String run(Path executable, String... args) {
		try {
			String[] command = new String[args.length + 1];
			command[0] = executable.toString();
			System.arraycopy(args, 0, command, 1, args.length);
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(executable + " " + String.join(" ", args) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + executable + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + executable, ex);
		}
	}

	/**
	 * The platform part of the install cache key: a native module built here loads only
	 * on the same OS, CPU and Node ABI.
	 * @return such as {@code linux-amd64-v20.20.2}
	 */
	public String platform() {
		return System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_') + "-"
				+ System.getProperty("os.arch") + "-" + this.version;
	}

}
