package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.atprotospring.nodeharness.HarnessInstall;
import io.github.atprotospring.nodeharness.NodeRuntime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One reference PDS ({@code @atproto/pds}, the version the end-to-end tests pin in
 * {@code atproto-e2e/pds-harness}) started by that harness's {@code launch.js} on a free
 * loopback port, with a fresh data directory, rate limits and the didDoc in session
 * answers off, and request logging off (the server's own cost per call is the same for
 * every client, and a log line per call would fill the disk). Stopped with SIGTERM.
 */
final class ReferencePdsServer implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final JsonNode info;

	private ReferencePdsServer(Process process, JsonNode info) {
		this.process = process;
		this.info = info;
	}

	/** The folder of the e2e harness: a system property, else relative to the cwd. */
	static Path harness() {
		return harnessPath("atproto.bench.pds-harness", "atproto-e2e/pds-harness");
	}

	static Path harnessPath(String property, String relative) {
		String configured = System.getProperty(property);
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured).toAbsolutePath().normalize();
		}
		for (Path candidate : new Path[] { Path.of(relative), Path.of("..").resolve(relative) }) {
			if (Files.isDirectory(candidate)) {
				return candidate.toAbsolutePath().normalize();
			}
		}
		throw new IllegalStateException(
				"Cannot find " + relative + "; run from the repository's root or set -D" + property + "=<folder>");
	}

	static Path work() {
		return Path.of(System.getProperty("atproto.bench.work", "target/bench")).toAbsolutePath();
	}

	/**
	 * The Node.js on the {@code PATH}, which runs the reference PDS.
	 * @return it
	 * @throws IllegalStateException naming what is missing, if there is none
	 */
	static NodeRuntime node() {
		return NodeRuntime.find()
			.orElseThrow(() -> new IllegalStateException(NodeRuntime.missingReason()
					+ ": this benchmark runs the reference PDS (@atproto/pds) on Node.js 20"));
	}

	/**
	 * Installs the PDS if needed and starts it.
	 * @param node the Node to run it on (the system's Node 20)
	 * @return the running server
	 */
	static ReferencePdsServer start(NodeRuntime node) {
		Path harness = harness();
		Path work = work();
		Path installed = HarnessInstall.ensureInstalled(node, harness, work, "@atproto/pds");
		try {
			Files.createDirectories(work.resolve("logs"));
			ProcessBuilder builder = new ProcessBuilder(node.node().toString(), harness.resolve("launch.js").toString(),
					"--install-dir", installed.toString(), "--data-parent", work.resolve("pds-data").toString())
				.redirectError(work.resolve("logs/pds.stderr.log").toFile());
			Map<String, String> env = builder.environment();
			env.keySet().removeIf((key) -> key.startsWith("PDS_") || key.startsWith("LOG_"));
			env.put("PDS_ENABLE_DID_DOC_WITH_SESSION", "false");
			env.put("PDS_RATE_LIMITS_ENABLED", "false");
			env.put("LOG_ENABLED", "false");
			Process process = builder.start();
			CompletableFuture<String> firstLine = new CompletableFuture<>();
			Thread reader = new Thread(() -> {
				try (BufferedReader out = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					firstLine.complete(out.readLine());
					while (out.readLine() != null) {
						// drained
					}
				}
				catch (IOException ex) {
					firstLine.complete(null);
				}
			}, "reference-pds-stdout");
			reader.setDaemon(true);
			reader.start();
			String line;
			try {
				line = firstLine.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (TimeoutException | ExecutionException ex) {
				process.destroyForcibly();
				throw new IllegalStateException("The reference PDS did not start within " + STARTUP_TIMEOUT + "; see "
						+ work.resolve("logs/pds.stderr.log"), ex);
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (line == null) {
				throw new IllegalStateException(
						"The reference PDS exited at start; see " + work.resolve("logs/pds.stderr.log"));
			}
			return new ReferencePdsServer(process, JSON.readTree(line));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the reference PDS: " + ex.getMessage(), ex);
		}
	}

	/** {@code http://127.0.0.1:<port>}. */
	String url() {
		return this.info.path("url").asString();
	}

	int port() {
		return this.info.path("port").asInt();
	}

	String version() {
		return this.info.path("pdsVersion").asString() + " on Node " + this.info.path("nodeVersion").asString();
	}

	/**
	 * Creates an account (a plain {@code createAccount} call).
	 * @param name 3 to 18 letters and digits; the handle is {@code <name>.test}
	 * @param password its password
	 * @return the handle
	 */
	String createAccount(String name, String password) {
		String handle = name + ".test";
		String body = JSON
			.writeValueAsString(Map.of("handle", handle, "email", name + "@example.com", "password", password));
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		try {
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(URI.create(url() + "/xrpc/com.atproto.server.createAccount"))
					.timeout(Duration.ofSeconds(30))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() != 200) {
				throw new IllegalStateException("createAccount answered " + answer.statusCode() + " " + answer.body());
			}
			return handle;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * CPU time the server's processes (the launcher and what it started) have used so
	 * far, or zero where the platform does not tell.
	 */
	Duration cpu() {
		return ProcessCpu.of(this.process.toHandle());
	}

	@Override
	public void close() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
