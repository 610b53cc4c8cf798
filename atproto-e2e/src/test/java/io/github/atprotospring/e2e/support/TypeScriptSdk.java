package io.github.atprotospring.e2e.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.atprotospring.nodeharness.HarnessInstall;
import io.github.atprotospring.nodeharness.NodeRuntime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official TypeScript SDK ({@code @atproto/api}, pinned in
 * {@code ts-sdk-harness/package.json}) in a Node process of its own, driven by
 * {@code ts-sdk-harness/agent.js} with one JSON request a line: tests hand sessions to it
 * and take sessions from it as a Node service would.
 * <p>
 * Its packages are installed and cached by {@link HarnessInstall}, as the reference PDS's
 * are. Every answer is awaited for a bounded time; the process ends when this is closed
 * (its standard input closes), and is killed if it does not.
 */
public final class TypeScriptSdk implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

	private static final String EOF = "";

	private final Process process;

	private final OutputStream requests;

	private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

	private final Path stderr;

	/**
	 * What the SDK persisted after a login.
	 *
	 * @param sessionJson {@code JSON.stringify} of the {@code AtpSessionData} the SDK
	 * handed to {@code persistSession}: what a Node application stores
	 * @param events the {@code persistSession} events, such as {@code create}
	 * @param pdsUrl the PDS the SDK sends data calls to, or {@code null} for the service
	 */
	public record LoggedIn(String sessionJson, List<String> events, String pdsUrl) {
	}

	/**
	 * What the SDK did with a session given to {@code resumeSession}.
	 *
	 * @param did the DID {@code getSession} answered
	 * @param handle the handle {@code getSession} answered
	 * @param pdsUrl the PDS the SDK sends data calls to after the resume
	 * @param uri the URI of the post it made with the session
	 * @param sessionJson the session it persisted afterwards
	 * @param events the {@code persistSession} events, such as {@code update}
	 */
	public record Resumed(String did, String handle, String pdsUrl, String uri, String sessionJson,
			List<String> events) {
	}

	/**
	 * What the SDK's own DID document helpers ({@code isValidDidDoc},
	 * {@code getPdsEndpoint} of {@code @atproto/common-web}) make of a session JSON's
	 * {@code didDoc}.
	 *
	 * @param hasDidDoc whether it has one
	 * @param validDidDoc whether the SDK accepts it as a DID document
	 * @param pdsEndpoint the PDS endpoint the SDK reads from it, or {@code null}
	 */
	public record Inspected(boolean hasDidDoc, boolean validDidDoc, String pdsEndpoint) {
	}

	/**
	 * A request the SDK failed.
	 */
	public static final class SdkException extends RuntimeException {

		private final String error;

		SdkException(JsonNode answer) {
			super("@atproto/api failed: " + answer.path("error").asString("?") + " (status "
					+ answer.path("status").asString("none") + "): " + answer.path("message").asString(""));
			this.error = answer.path("error").asString("?");
		}

		/**
		 * The error name, such as {@code ExpiredToken}.
		 * @return the name
		 */
		public String error() {
			return this.error;
		}

	}

	private TypeScriptSdk(Process process, Path stderr) {
		this.process = process;
		this.requests = process.getOutputStream();
		this.stderr = stderr;
		Thread reader = new Thread(this::readAnswers, "typescript-sdk");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Installs the SDK's packages if needed and starts the harness on the Node of the
	 * {@code PATH} (skipping the test where there is none, as the PDS tests do).
	 * @return the running harness
	 */
	public static TypeScriptSdk start() {
		NodeRuntime node = NodeRequirement.require();
		Path harness = Path.of(System.getProperty("atproto.e2e.ts-sdk-harness", "ts-sdk-harness")).toAbsolutePath();
		Path work = Path.of(System.getProperty("atproto.e2e.work", "target/e2e")).toAbsolutePath();
		Path installed = HarnessInstall.ensureInstalled(node, harness, work, "@atproto/api");
		try {
			Path logs = Files.createDirectories(work.resolve("logs"));
			Path stderr = logs.resolve("ts-sdk-" + Instant.now().toEpochMilli() + ".stderr.log");
			Process process = new ProcessBuilder(node.node().toString(), harness.resolve("agent.js").toString(),
					"--install-dir", installed.toString())
				.redirectError(stderr.toFile())
				.start();
			return new TypeScriptSdk(process, stderr);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + node.node() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Logs in with {@code AtpAgent.login}.
	 * @param service the service URL
	 * @param identifier a handle, email or DID
	 * @param password the password
	 * @param clientIp the {@code X-Forwarded-For} its requests carry
	 * @return what it persisted
	 */
	public LoggedIn login(String service, String identifier, String password, String clientIp) {
		ObjectNode request = JSON.createObjectNode()
			.put("op", "login")
			.put("service", service)
			.put("identifier", identifier)
			.put("password", password)
			.put("clientIp", clientIp);
		JsonNode answer = call(request);
		return new LoggedIn(answer.path("sessionJson").asString(null), strings(answer.path("events")),
				answer.path("pdsUrl").asString(null));
	}

	/**
	 * Gives a session JSON to a new {@code AtpAgent}'s {@code resumeSession}, then calls
	 * {@code getSession} and posts with it.
	 * @param service the service URL
	 * @param sessionJson the session JSON
	 * @param clientIp the {@code X-Forwarded-For} its requests carry
	 * @param post the text to post
	 * @return what the SDK did
	 */
	public Resumed resume(String service, String sessionJson, String clientIp, String post) {
		ObjectNode request = JSON.createObjectNode()
			.put("op", "resume")
			.put("service", service)
			.put("sessionJson", sessionJson)
			.put("clientIp", clientIp)
			.put("post", post);
		JsonNode answer = call(request);
		return new Resumed(answer.path("did").asString(null), answer.path("handle").asString(null),
				answer.path("pdsUrl").asString(null), answer.path("uri").asString(null),
				answer.path("sessionJson").asString(null), strings(answer.path("events")));
	}

	/**
	 * Reads a session JSON's {@code didDoc} with the SDK's own helpers.
	 * @param sessionJson the session JSON
	 * @return what the SDK makes of it
	 */
	public Inspected inspect(String sessionJson) {
		JsonNode answer = call(JSON.createObjectNode().put("op", "inspect").put("sessionJson", sessionJson));
		return new Inspected(answer.path("hasDidDoc").asBoolean(), answer.path("validDidDoc").asBoolean(),
				answer.path("pdsEndpoint").asString(null));
	}

	private JsonNode call(ObjectNode request) {
		String answer;
		try {
			this.requests.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
			this.requests.flush();
			answer = this.answers.poll(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					"The TypeScript SDK harness is gone: " + ex.getMessage() + "; see " + this.stderr, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the TypeScript SDK", ex);
		}
		if (answer == null) {
			throw new IllegalStateException(
					"The TypeScript SDK did not answer within " + ANSWER_TIMEOUT + "; see " + this.stderr);
		}
		if (answer.equals(EOF)) {
			this.answers.add(EOF);
			throw new IllegalStateException("The TypeScript SDK harness exited; see " + this.stderr);
		}
		JsonNode node = JSON.readTree(answer);
		if (!node.path("ok").asBoolean()) {
			throw new SdkException(node);
		}
		return node;
	}

	private void readAnswers() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isBlank()) {
					this.answers.add(line);
				}
			}
		}
		catch (IOException ex) {
			// The process is gone; the waiting call learns it from the end mark.
		}
		this.answers.add(EOF);
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.forEach((value) -> values.add(value.asString()));
		return values;
	}

	@Override
	public void close() {
		try {
			this.requests.close();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (IOException ex) {
			this.process.destroyForcibly();
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
