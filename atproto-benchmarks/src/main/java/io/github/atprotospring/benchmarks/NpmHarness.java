package io.github.atprotospring.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small npm package of the repository (a {@code package.json} with its committed
 * {@code package-lock.json}) installed with {@code npm ci} into a cache outside the work
 * tree, once per lockfile and Node, and reused: {@code $XDG_CACHE_HOME} (else
 * {@code ~/.cache}) {@code /atproto-spring-boot/<name>/<key>}.
 * <p>
 * For {@code pds-harness} (the end-to-end tests' reference PDS) the folder and key are
 * the ones the end-to-end tests use ({@code ATPROTO_E2E_CACHE} is honoured too), so the
 * benchmark and the tests share one install of the PDS. The key hashes the lockfile,
 * {@code package.json} and the Node version and platform; an install runs under a file
 * lock and marks its folder complete last.
 */
final class NpmHarness {

	private static final String COMPLETE = ".installed";

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

	private NpmHarness() {
	}

	/**
	 * The system's Node.js: {@code node} and {@code npm} on the {@code PATH}.
	 *
	 * @param node the {@code node} executable
	 * @param npm the {@code npm} executable
	 * @param version what {@code node --version} printed
	 * @param headers the prefix holding {@code include/node/node.h}, or {@code null}
	 */
	record Node(Path node, Path npm, String version, Path headers) {

		static Node fromPath() {
			Path node = onPath("node");
			Path npm = onPath("npm");
			if (node == null || npm == null) {
				throw new IllegalStateException("node and npm must be on the PATH (" + System.getenv("PATH")
						+ ") for this benchmark: it runs the reference PDS (@atproto/pds) on Node.js 20");
			}
			Path headers = null;
			try {
				Path prefix = node.toRealPath().getParent().getParent();
				if (prefix != null && Files.isRegularFile(prefix.resolve("include/node/node.h"))) {
					headers = prefix;
				}
			}
			catch (IOException ex) {
				// no headers: only a native module would need them
			}
			return new Node(node, npm, run(node, "--version"), headers);
		}

		String platform() {
			return System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '_') + "-"
					+ System.getProperty("os.arch") + "-" + this.version;
		}

	}

	/**
	 * The install folder of a harness, installing it first if needed.
	 * @param name the cache folder's name, such as {@code pds-harness}
	 * @param source the folder with {@code package.json} and {@code package-lock.json}
	 * @param node the Node whose npm installs it
	 * @param expected a path under the install folder that must exist afterwards
	 * @param work where the install log goes
	 * @return the install folder (its {@code node_modules} holds the packages)
	 */
	static Path ensureInstalled(String name, Path source, Node node, String expected, Path work) {
		try {
			Path root = cacheRoot(name);
			Path target = root.resolve(key(source, node));
			if (Files.isRegularFile(target.resolve(COMPLETE))) {
				return target;
			}
			Files.createDirectories(root);
			try (FileChannel channel = FileChannel.open(root.resolve(target.getFileName() + ".lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
				FileLock lock = channel.lock();
				try {
					if (!Files.isRegularFile(target.resolve(COMPLETE))) {
						install(source, node, target, expected, work);
					}
				}
				finally {
					lock.release();
				}
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not install " + source + ": " + ex.getMessage(), ex);
		}
	}

	private static void install(Path source, Node node, Path target, String expected, Path work) throws IOException {
		deleteRecursively(target);
		Files.createDirectories(target);
		for (String file : List.of("package.json", "package-lock.json")) {
			Files.copy(source.resolve(file), target.resolve(file));
		}
		Files.createDirectories(work);
		Path log = work.resolve("npm-ci-" + source.getFileName() + ".log");
		System.err.println("Installing " + source + " with npm ci into " + target + " (once; log in " + log + ")");
		ProcessBuilder builder = new ProcessBuilder(node.npm().toString(), "ci", "--no-audit", "--no-fund")
			.directory(target.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.put("PATH", node.node().getParent() + File.pathSeparator + env.getOrDefault("PATH", ""));
		if (node.headers() != null) {
			env.put("npm_config_nodedir", node.headers().toString());
		}
		env.put("npm_config_update_notifier", "false");
		Instant start = Instant.now();
		Process process = builder.start();
		process.getOutputStream().close();
		try {
			if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("npm ci did not finish within " + INSTALL_TIMEOUT + "; see " + log);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted during npm ci", ex);
		}
		if (process.exitValue() != 0 || !Files.exists(target.resolve(expected))) {
			throw new IllegalStateException(
					"npm ci of " + source + " failed (exit " + process.exitValue() + "); see " + log);
		}
		Files.writeString(target.resolve(COMPLETE), "node " + node.version() + ", installed " + Instant.now() + " in "
				+ Duration.between(start, Instant.now()).toSeconds() + " s\n");
	}

	private static Path cacheRoot(String name) {
		if (name.equals("pds-harness")) {
			String configured = System.getProperty("atproto.e2e.cache", System.getenv("ATPROTO_E2E_CACHE"));
			if (configured != null && !configured.isBlank()) {
				return Path.of(configured).toAbsolutePath();
			}
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return base.resolve("atproto-spring-boot").resolve(name).toAbsolutePath();
	}

	private static String key(Path source, Node node) throws IOException {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(Files.readAllBytes(source.resolve("package-lock.json")));
			digest.update(Files.readAllBytes(source.resolve("package.json")));
			digest.update(node.platform().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (!dir.isBlank()) {
				Path candidate = Path.of(dir, name);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	private static String run(Path executable, String arg) {
		try {
			Process process = new ProcessBuilder(executable.toString(), arg).redirectErrorStream(true).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(executable + " " + arg + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + executable, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}
