package io.github.atprotospring.nodeharness;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The npm packages of a harness (a folder with a {@code package.json} and its committed
 * {@code package-lock.json}: {@code atproto-e2e/pds-harness} for the reference PDS,
 * {@code atproto-e2e/ts-sdk-harness} and {@code atproto-benchmarks/sdk-harness} for the
 * TypeScript SDK), installed once into a user cache and reused; the end-to-end tests and
 * the benchmarks share one install of the PDS.
 * <p>
 * The cache is {@code $XDG_CACHE_HOME/atproto-spring-boot/<harness>/<key>} (else
 * {@code ~/.cache/...}), or the folder named by the system property
 * {@code atproto.e2e.cache} or the environment variable {@code ATPROTO_E2E_CACHE}. It
 * lives outside the work tree so that it survives {@code mvn clean} and fresh clones on
 * the same machine (CI runs in a fresh clone), and so that no {@code node_modules} ever
 * lands in the repository. The key is a hash of the lockfile, package.json, the Node
 * version and the platform: a new lockfile or a new Node (better-sqlite3 is a native
 * module built for one Node ABI) installs afresh beside the old one.
 * <p>
 * An install runs {@code npm ci} with {@code npm_config_nodedir} set to the Node's own
 * headers, under a file lock so that concurrent builds wait for each other, and marks the
 * folder complete last: a folder without the mark (an install that died) is wiped and
 * installed again.
 */
public final class HarnessInstall {

	private static final Logger logger = LoggerFactory.getLogger(HarnessInstall.class);

	private static final String COMPLETE = ".installed";

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

	private HarnessInstall() {
	}

	/**
	 * The folder whose {@code node_modules} holds a harness's pinned packages, installing
	 * them first if needed.
	 * @param node the Node to install for
	 * @param harness the harness folder of the source tree; its name names the cache
	 * @param work a folder for the install log
	 * @param requiredPackage a package the install must hold, such as
	 * {@code @atproto/pds}
	 * @return the install folder
	 */
	public static Path ensureInstalled(NodeRuntime node, Path harness, Path work, String requiredPackage) {
		String name = harness.getFileName().toString();
		try {
			Path root = cacheRoot(name);
			Path target = root.resolve(key(node, harness));
			if (Files.isRegularFile(target.resolve(COMPLETE))) {
				logger.info("{} packages: using the cached install in {}", name, target);
				return target;
			}
			Files.createDirectories(root);
			try (FileChannel channel = FileChannel.open(root.resolve(target.getFileName() + ".lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
				FileLock lock = channel.lock();
				try {
					if (!Files.isRegularFile(target.resolve(COMPLETE))) {
						install(node, harness, target, work, requiredPackage);
					}
				}
				finally {
					lock.release();
				}
			}
			return target;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not install the " + name + " packages: " + ex.getMessage(), ex);
		}
	}

	private static void install(NodeRuntime node, Path harness, Path target, Path work, String requiredPackage)
			throws IOException {
		String name = harness.getFileName().toString();
		deleteRecursively(target);
		Files.createDirectories(target);
		for (String file : List.of("package.json", "package-lock.json")) {
			Files.copy(harness.resolve(file), target.resolve(file));
		}
		Files.createDirectories(work);
		Path log = work.resolve("npm-ci-" + name + ".log");
		logger.info("{} packages: npm ci into {} (once per lockfile and Node; native modules such as the PDS's "
				+ "better-sqlite3 compile for a minute or two); log in {}", name, target, log);
		ProcessBuilder builder = new ProcessBuilder(node.npm().toString(), "ci", "--no-audit", "--no-fund")
			.directory(target.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		// npm runs under the node that comes first on the PATH: the same one that runs
		// the PDS.
		env.put("PATH", node.node().getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
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
		if (process.exitValue() != 0) {
			throw new IllegalStateException(
					"npm ci failed with exit code " + process.exitValue() + " (see " + log + "):\n" + tail(log, 40));
		}
		if (!Files.isDirectory(target.resolve("node_modules").resolve(requiredPackage))) {
			throw new IllegalStateException(
					"npm ci left no node_modules/" + requiredPackage + " in " + target + "; see " + log);
		}
		Files.writeString(target.resolve(COMPLETE), "node " + node.version() + ", installed " + Instant.now() + " in "
				+ Duration.between(start, Instant.now()).toSeconds() + " s\n");
		logger.info("{} packages installed in {} s", name, Duration.between(start, Instant.now()).toSeconds());
	}

	static Path cacheRoot(String harness) {
		String configured = System.getProperty("atproto.e2e.cache", System.getenv("ATPROTO_E2E_CACHE"));
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured).toAbsolutePath();
		}
		String xdg = System.getenv("XDG_CACHE_HOME");
		Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
		return base.resolve("atproto-spring-boot").resolve(harness).toAbsolutePath();
	}

	static String key(NodeRuntime node, Path harness) throws IOException {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(Files.readAllBytes(harness.resolve("package-lock.json")));
			digest.update(Files.readAllBytes(harness.resolve("package.json")));
			digest.update(node.platform().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String tail(Path log, int lines) {
		try {
			List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no log: " + ex.getMessage() + ")";
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
