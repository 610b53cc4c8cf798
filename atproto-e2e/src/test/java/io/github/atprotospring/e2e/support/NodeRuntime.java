package io.github.atprotospring.e2e.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * The Node.js that runs the reference PDS: {@code node} and {@code npm} from the
 * {@code PATH}.
 * <p>
 * Without them the end-to-end tests are skipped, with a message that says so, unless the
 * environment variable {@code CI} is set (to anything but {@code false}): on CI a missing
 * Node is a failure, so that a CI machine without it cannot pass by running nothing.
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
	 * The environment variable that makes a missing Node a failure rather than a skip.
	 */
	static final String CI = "CI";

	/**
	 * The Node on the {@code PATH}, or why there is none.
	 * @return the runtime, or empty
	 */
	static Optional<NodeRuntime> find() {
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
	 * Why the end-to-end tests cannot run here.
	 * @return the reason, naming what is missing
	 */
	static String missingReason() {
		String missing = onPath("node").isEmpty() ? (onPath("npm").isEmpty() ? "node and npm are" : "node is")
				: "npm is";
		return missing + " not on the PATH (" + System.getenv("PATH") + "); the end-to-end tests run the reference "
				+ "PDS (@atproto/pds) on Node.js 20";
	}

	/**
	 * The Node on the {@code PATH}, for a test that is about to use it: where there is
	 * none, a failure on CI, and otherwise an abort (a skip) that says why.
	 * @return the runtime
	 */
	public static NodeRuntime require() {
		Optional<NodeRuntime> found = find();
		if (found.isPresent()) {
			return found.get();
		}
		if (onCi()) {
			throw new IllegalStateException(
					missingReason() + ". CI is set, so this is a failure: install Node.js 20 and npm.");
		}
		Assumptions.abort("Skipping the end-to-end tests: " + missingReason() + ".");
		throw new AssertionError("unreachable");
	}

	/**
	 * Whether the build runs on CI: the variable {@code CI} is set to anything but
	 * {@code false}.
	 * @return {@code true} on CI
	 */
	public static boolean onCi() {
		String ci = System.getenv(CI);
		return ci != null && !ci.isBlank() && !ci.strip().equalsIgnoreCase("false");
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
	String platform() {
		return System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_') + "-"
				+ System.getProperty("os.arch") + "-" + this.version;
	}

}
