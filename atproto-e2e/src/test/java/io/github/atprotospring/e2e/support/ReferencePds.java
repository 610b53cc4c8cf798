package io.github.atprotospring.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.nodeharness.HarnessInstall;
import io.github.atprotospring.nodeharness.NodeRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * One running reference PDS ({@code @atproto/pds}) with its in-memory PLC directory,
 * started by {@code pds-harness/launch.js} on free loopback ports with a fresh data
 * directory, and stopped by its process id with SIGTERM.
 * <p>
 * Every client made here sends its own {@code X-Forwarded-For}, which the PDS trusts from
 * loopback: each gets its own rate-limit bucket, so tests do not spend each other's
 * limits.
 */
public final class ReferencePds implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReferencePds.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final AtomicInteger clientIps = new AtomicInteger();

	private static final AtomicInteger handles = new AtomicInteger();

	private static final SecureRandom random = new SecureRandom();

	/** The password of every account the tests create. */
	public static final String PASSWORD = "e2e-password-1234";

	private final Options options;

	private final Process process;

	private final JsonNode info;

	private final Xrpc xrpc;

	/**
	 * What a PDS is started with.
	 *
	 * @param didDocWithSession {@code PDS_ENABLE_DID_DOC_WITH_SESSION}
	 * @param rateLimits {@code PDS_RATE_LIMITS_ENABLED}
	 */
	public record Options(boolean didDocWithSession, boolean rateLimits) {

		String name() {
			return (this.didDocWithSession ? "diddoc" : "nodiddoc") + "-"
					+ (this.rateLimits ? "ratelimits" : "nolimits");
		}

	}

	/**
	 * An account created on the PDS.
	 *
	 * @param handle the handle ({@code *.test})
	 * @param email the email
	 * @param password the password
	 * @param did the DID
	 * @param clientIp the {@code X-Forwarded-For} it was created with
	 */
	public record Account(String handle, String email, String password, String did, String clientIp) {
	}

	private ReferencePds(Options options, Process process, JsonNode info) {
		this.options = options;
		this.process = process;
		this.info = info;
		this.xrpc = new Xrpc(url());
	}

	/**
	 * Installs the packages if needed and starts a PDS.
	 * @param options what to start it with
	 * @param node the Node to run it on
	 * @return the running PDS
	 */
	static ReferencePds start(Options options, NodeRuntime node) {
		Path harness = Path.of(System.getProperty("atproto.e2e.harness", "pds-harness")).toAbsolutePath();
		Path work = Path.of(System.getProperty("atproto.e2e.work", "target/e2e")).toAbsolutePath();
		Path installed = HarnessInstall.ensureInstalled(node, harness, work, "@atproto/pds");
		try {
			return launch(options, node, harness, work, installed);
		}
		catch (IllegalStateException ex) {
			// The launcher probes for free ports before binding them; another process may
			// win one.
			logger.warn("The reference PDS did not start ({}); trying once more", ex.getMessage());
			return launch(options, node, harness, work, installed);
		}
	}

	private static ReferencePds launch(Options options, NodeRuntime node, Path harness, Path work, Path installed) {
		Instant started = Instant.now();
		Path logs = work.resolve("logs");
		String name = options.name() + "-" + started.toEpochMilli();
		Process process;
		try {
			Files.createDirectories(logs);
			ProcessBuilder builder = new ProcessBuilder(node.node().toString(), harness.resolve("launch.js").toString(),
					"--install-dir", installed.toString(), "--data-parent", work.resolve("pds-data").toString(),
					"--log", logs.resolve("pds-" + name + ".log").toString())
				.redirectError(logs.resolve("pds-" + name + ".stderr.log").toFile());
			Map<String, String> env = builder.environment();
			// Only what the test asks for: no PDS_ or LOG_ setting leaks in from the
			// developer's shell.
			env.keySet().removeIf((key) -> key.startsWith("PDS_") || key.startsWith("LOG_"));
			env.put("PDS_ENABLE_DID_DOC_WITH_SESSION", Boolean.toString(options.didDocWithSession()));
			env.put("PDS_RATE_LIMITS_ENABLED", Boolean.toString(options.rateLimits()));
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + node.node() + ": " + ex.getMessage(), ex);
		}
		// Our end of its standard input stays open: the launcher stops itself when this
		// JVM dies.
		CompletableFuture<String> firstLine = new CompletableFuture<>();
		Thread reader = new Thread(() -> readStdout(process, firstLine), "reference-pds-" + options.name());
		reader.setDaemon(true);
		reader.start();
		String line;
		try {
			line = firstLine.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			stop(process);
			throw new IllegalStateException("The reference PDS did not report its start within " + STARTUP_TIMEOUT
					+ " (exit " + exitCode(process) + "); see " + logs.resolve("pds-" + name + ".stderr.log"), ex);
		}
		catch (InterruptedException ex) {
			stop(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the reference PDS", ex);
		}
		if (line == null) {
			String stderr = readQuietly(logs.resolve("pds-" + name + ".stderr.log"));
			throw new IllegalStateException(
					"The reference PDS exited before it started (exit " + exitCode(process) + "):\n" + stderr);
		}
		JsonNode info = JSON.readTree(line);
		ReferencePds pds = new ReferencePds(options, process, info);
		logger.info("Reference PDS {} {} ({}) started in {} ms at {} (public URL {}), pid {}",
				info.path("pdsVersion").asString(), options.name(), info.path("nodeVersion").asString(),
				Duration.between(started, Instant.now()).toMillis(), pds.url(), pds.publicUrl(), process.pid());
		return pds;
	}

	private static void readStdout(Process process, CompletableFuture<String> firstLine) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			firstLine.complete(reader.readLine());
			while (reader.readLine() != null) {
				// The servers log to a file; anything else on stdout is drained and
				// dropped.
			}
		}
		catch (IOException ex) {
			firstLine.complete(null);
		}
	}

	/**
	 * The base URL clients log in to: {@code http://127.0.0.1:<port>}.
	 * @return the URL
	 */
	public String url() {
		return this.info.path("url").asString();
	}

	/**
	 * The PDS's public URL, which its DID documents name as the account's PDS:
	 * {@code http://localhost:<port>}, the same server under another name.
	 * @return the URL
	 */
	public String publicUrl() {
		return this.info.path("publicUrl").asString();
	}

	/**
	 * The DID the PDS puts in its tokens' {@code aud}.
	 * @return {@code did:web:localhost}
	 */
	public String serviceDid() {
		return this.info.path("serviceDid").asString();
	}

	/**
	 * The HS256 secret the PDS signs its session tokens with.
	 * @return the secret
	 */
	public String jwtSecret() {
		return this.info.path("jwtSecret").asString();
	}

	/**
	 * Moves the PDS's clock (and its PLC directory's) the given time ahead of the real
	 * one, as {@code faketime} would: token times, the refresh grace window and
	 * rate-limit windows all follow it. Tests share the PDS, so a test that moves it sets
	 * it back to {@link Duration#ZERO} when done.
	 * @param offset how far ahead of the real time; zero for the real time
	 */
	public void setClockOffset(Duration offset) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.info.path("controlUrl").asString() + "/clock?offsetMs=" + offset.toMillis()))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			if (answer.statusCode() != 200) {
				throw new IllegalStateException(
						"The PDS launcher refused to move its clock: " + answer.statusCode() + " " + answer.body());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not reach the PDS launcher to move its clock", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while moving the PDS's clock", ex);
		}
	}

	/**
	 * What the PDS was started with.
	 * @return the options
	 */
	public Options options() {
		return this.options;
	}

	/**
	 * The server's pino log (one JSON line per event).
	 * @return the log file
	 */
	public Path logFile() {
		return Path.of(this.info.path("logFile").asString());
	}

	/**
	 * Raw XRPC calls to this PDS.
	 * @return the caller
	 */
	public Xrpc xrpc() {
		return this.xrpc;
	}

	/**
	 * A new rate-limit bucket: an {@code X-Forwarded-For} address no other client of this
	 * JVM uses.
	 * @return an address in 10.0.0.0/8 (sent as a header only; nothing connects to it)
	 */
	public static String newClientIp() {
		int n = clientIps.incrementAndGet();
		return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
	}

	/**
	 * Creates an account with a new handle ({@code com.atproto.server.createAccount}, a
	 * plain XRPC call), from a new client address.
	 * @return the account
	 */
	public Account createAccount() {
		return createAccount(newClientIp());
	}

	/**
	 * Creates an account with a new handle from the given client address.
	 * @param clientIp the {@code X-Forwarded-For} to send
	 * @return the account
	 */
	public Account createAccount(String clientIp) {
		// The PDS wants 3 to 18 characters before the service domain.
		String name = "e" + Integer.toString(handles.incrementAndGet(), 36) + "x"
				+ Long.toString(random.nextLong() & 0xffffffffL, 36);
		String handle = name + ".test";
		String email = name + "@example.com";
		Xrpc.Response answer = this.xrpc.post("com.atproto.server.createAccount",
				Map.of("handle", handle, "email", email, "password", PASSWORD), null,
				Map.of("X-Forwarded-For", clientIp));
		if (answer.status() != 200) {
			throw new IllegalStateException(
					"createAccount " + handle + " answered " + answer.status() + " " + answer.body());
		}
		return new Account(handle, email, PASSWORD, answer.body().path("did").asString(), clientIp);
	}

	/**
	 * A client builder for this PDS, with its own {@code X-Forwarded-For}.
	 * @return the builder
	 */
	public AtprotoClient.Builder clientBuilder() {
		return clientBuilder(newClientIp());
	}

	/**
	 * A client builder for this PDS that sends the given {@code X-Forwarded-For}.
	 * @param clientIp the address
	 * @return the builder
	 */
	public AtprotoClient.Builder clientBuilder(String clientIp) {
		return AtprotoClient.builder().service(url()).restClientBuilder(restClientBuilder(clientIp));
	}

	/**
	 * A {@link RestClient.Builder} that sends the given {@code X-Forwarded-For} on every
	 * request, over HTTP/1.1.
	 * <p>
	 * HTTP/1.1 because the JDK's HTTP client, at its default version HTTP/2, asks a
	 * plain-http server to upgrade ({@code Upgrade: h2c}) on every new connection, and
	 * the reference PDS destroys the socket of any request with an {@code Upgrade} header
	 * that is not a subscription (xrpc-server's websocket hook): the call fails with "EOF
	 * reached while reading" or "Connection reset". {@code PlainHttpIT} holds the
	 * client's own default stack and the starter's to that.
	 * @param clientIp the address
	 * @return the builder
	 */
	public static RestClient.Builder restClientBuilder(String clientIp) {
		return RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory(
					HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()))
			.defaultHeader("X-Forwarded-For", clientIp);
	}

	/**
	 * An access token signed with the PDS's secret, as the PDS makes them.
	 * @param did the account
	 * @param issuedAt the {@code iat}
	 * @param expiresAt the {@code exp}
	 * @return the token
	 */
	public String mintAccessToken(String did, Instant issuedAt, Instant expiresAt) {
		return Jwts.hs256(jwtSecret(), "at+jwt",
				List.of(Map.entry("scope", "com.atproto.access"), Map.entry("aud", serviceDid()), Map.entry("sub", did),
						Map.entry("iat", issuedAt.getEpochSecond()), Map.entry("exp", expiresAt.getEpochSecond())));
	}

	/**
	 * Whether the PDS closes, without an answer, a connection whose request asks to
	 * upgrade to h2c, as the JDK's HTTP client does at its default version.
	 * @return {@code true} if no HTTP answer came back
	 */
	public boolean upgradeRequestIsDropped() {
		URI uri = URI.create(url());
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /xrpc/com.atproto.server.describeServer HTTP/1.1\r\nHost: " + uri.getAuthority()
						+ "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			byte[] answer = socket.getInputStream().readNBytes(12);
			return answer.length == 0;
		}
		catch (IOException ex) {
			return true; // reset by the server
		}
	}

	@Override
	public void close() {
		stop(this.process);
		logger.info("Reference PDS {} stopped (exit {})", this.options.name(), exitCode(this.process));
	}

	private static void stop(Process process) {
		if (!process.isAlive()) {
			return;
		}
		process.destroy(); // SIGTERM to its pid: the launcher closes both servers and
							// deletes its data
		try {
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				logger.warn("The reference PDS (pid {}) ignored SIGTERM for 15 s; killing it", process.pid());
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String exitCode(Process process) {
		return process.isAlive() ? "still running" : Integer.toString(process.exitValue());
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

}
