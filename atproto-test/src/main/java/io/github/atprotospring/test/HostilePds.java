package io.github.atprotospring.test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small HTTP/1.1 server that answers XRPC calls the way a hostile or broken server
 * would, to test that a client keeps its secrets, bounds its waits and refuses bad
 * answers. Each method ({@code /xrpc/<nsid>}) gets an {@link Answer}: a redirect to
 * another host, a stall (the request is read and never answered, or the head of an answer
 * is sent and its body never comes), an answer cut off by a closed connection, a huge
 * body (declared or chunked, streamed from a small buffer, never held in memory),
 * rate-limit headers of any value, malformed JSON, session answers with malformed tokens
 * or a foreign DID document, or an error that repeats the request's credentials back.
 * Everything received is recorded ({@link #requests()}), with headers and body, so that a
 * test can show that a password or a token reached, or did not reach, this server.
 * <p>
 * The server binds {@code 127.0.0.1} on a free port and serves each connection on a
 * daemon thread of its own, at most {@value #MAX_CONNECTIONS} at a time. Every loop is
 * bounded: a request head is read up to 64 KiB and a body up to 1 MiB, a connection
 * serves at most 100 requests and is closed after 30 s of silence from the client, a
 * stall lasts until {@link #close()} or the {@link Builder#maxStall(Duration) maximum
 * stall} (one minute by default), and a huge body ends when the client stops reading.
 * {@link #close()} closes every connection and ends every thread.
 * <p>
 * Only for tests: it trusts nothing it receives but implements only as much HTTP as JDK
 * and Spring clients speak.
 */
public final class HostilePds implements AutoCloseable {

	/** How many connections are served at once; more are closed at once. */
	public static final int MAX_CONNECTIONS = 64;

	/** How much of each request body {@link ReceivedRequest#body()} keeps. */
	public static final int RECORDED_BODY_LIMIT = 64 * 1024;

	private static final int HEAD_LIMIT = 64 * 1024;

	private static final int BODY_LIMIT = 1024 * 1024;

	private static final int REQUESTS_PER_CONNECTION = 100;

	private static final int RECORDED_REQUESTS_LIMIT = 1000;

	private static final Duration CLIENT_SILENCE = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final ServerSocket server;

	private final ExecutorService threads;

	private final Duration maxStall;

	private final String url;

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private volatile Answer otherwise = Answer.json(404,
			"{\"error\":\"MethodNotImplemented\",\"message\":\"Method Not Implemented\"}");

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final ArrayDeque<ReceivedRequest> received = new ArrayDeque<>();

	private final AtomicInteger requestCount = new AtomicInteger();

	private final AtomicLong bodyBytesSent = new AtomicLong();

	private final CountDownLatch closed = new CountDownLatch(1);

	private HostilePds(Builder builder) throws IOException {
		this.maxStall = builder.maxStall;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		this.url = "http://127.0.0.1:" + this.server.getLocalPort();
		AtomicInteger count = new AtomicInteger();
		this.threads = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, threadNamePrefix() + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.threads.execute(this::acceptConnections);
	}

	/**
	 * Starts a hostile server with the defaults: every method answered 404 until told
	 * otherwise with {@link #on(String, Answer)}.
	 * @return the running server; close it when done
	 */
	public static HostilePds start() {
		return builder().start();
	}

	/**
	 * Starts configuring a hostile server.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The base URL of the server.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return this.url;
	}

	/**
	 * The port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Sets the answer to every later request for one method.
	 * @param nsid the method, such as {@code com.atproto.server.createSession}
	 * @param answer what to answer
	 * @return this server
	 */
	public HostilePds on(String nsid, Answer answer) {
		this.answers.put(Objects.requireNonNull(nsid, "nsid"), Objects.requireNonNull(answer, "answer"));
		return this;
	}

	/**
	 * Sets the answer to every later request for a method without an answer of its own
	 * (and for paths outside {@code /xrpc/}). By default 404
	 * {@code MethodNotImplemented}.
	 * @param answer what to answer
	 * @return this server
	 */
	public HostilePds otherwise(Answer answer) {
		this.otherwise = Objects.requireNonNull(answer, "answer");
		return this;
	}

	/**
	 * The requests received so far, oldest first (the most recent 1000).
	 * @return an immutable snapshot
	 */
	public List<ReceivedRequest> requests() {
		synchronized (this.received) {
			return List.copyOf(this.received);
		}
	}

	/**
	 * How many requests were received in all.
	 * @return the count
	 */
	public int requestCount() {
		return this.requestCount.get();
	}

	/**
	 * How many body bytes the server has written in all: shows, for a
	 * {@link Answer#hugeBody(int, long) huge body}, how much a client read before it hung
	 * up.
	 * @return the byte count
	 */
	public long bodyBytesSent() {
		return this.bodyBytesSent.get();
	}

	/**
	 * Whether any request received so far carries a text in its headers or body; for
	 * tests that a password or token reached, or did not reach, this server.
	 * @param text the text to look for
	 * @return {@code true} if a request carried it
	 */
	public boolean received(String text) {
		return requests().stream().anyMatch((request) -> request.contains(text));
	}

	/**
	 * Stops the server: closes the listening socket and every connection, ends every
	 * stall and every thread. Idempotent.
	 */
	@Override
	public void close() {
		this.closed.countDown();
		closeQuietly(this.server);
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "HostilePds[" + this.url + "]";
	}

	/**
	 * The start of the names of this server's threads, so that a test can see that they
	 * have ended.
	 * @return {@code hostile-pds-<port>-}
	 */
	public String threadNamePrefix() {
		return "hostile-pds-" + port() + "-";
	}

	/**
	 * An unsigned token in the shape of a JWT ({@code header.payload.signature}, each
	 * base64url), with any payload: for session answers whose claims are odd.
	 * @param payloadJson the payload, usually a JSON object; it is encoded as it is
	 * @return the token
	 */
	public static String jwt(String payloadJson) {
		Objects.requireNonNull(payloadJson, "payloadJson");
		return BASE64URL.encodeToString("{\"typ\":\"at+jwt\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ BASE64URL.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + "."
				+ BASE64URL.encodeToString("not-a-signature".getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * An unsigned JWT-shaped token with the given {@code exp} and {@code iat} claims and
	 * a random {@code jti}, so that two calls never give the same token.
	 * @param issuedAt the {@code iat}, in Unix seconds
	 * @param expiresAt the {@code exp}, in Unix seconds
	 * @return the token
	 */
	public static String jwt(long issuedAt, long expiresAt) {
		return jwt("{\"scope\":\"com.atproto.access\",\"sub\":\"did:plc:hostile\",\"iat\":" + issuedAt + ",\"exp\":"
				+ expiresAt + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\"}");
	}

	/**
	 * A DID document with one service, as a session answer carries it.
	 * @param id the document's {@code id}
	 * @param serviceId the service's {@code id}, such as {@code #atproto_pds}
	 * @param type the service's {@code type}, such as {@code AtprotoPersonalDataServer}
	 * @param endpoint the service's {@code serviceEndpoint}
	 * @return the document, as JSON
	 */
	public static String didDoc(String id, String serviceId, String type, String endpoint) {
		ObjectNode doc = JSON.createObjectNode();
		doc.putArray("@context").add("https://www.w3.org/ns/did/v1");
		doc.put("id", id);
		doc.putArray("alsoKnownAs").add("at://hostile.test");
		ObjectNode service = doc.putArray("service").addObject();
		service.put("id", serviceId).put("type", type).put("serviceEndpoint", endpoint);
		return JSON.writeValueAsString(doc);
	}

	/**
	 * The answer of {@code createSession} or {@code refreshSession}, as JSON.
	 * @param did the {@code did}
	 * @param handle the {@code handle}
	 * @param accessJwt the {@code accessJwt}
	 * @param refreshJwt the {@code refreshJwt}
	 * @param didDocJson the {@code didDoc} as JSON, or {@code null} for none
	 * @return the answer's body
	 */
	public static String sessionJson(String did, String handle, String accessJwt, String refreshJwt,
			String didDocJson) {
		ObjectNode body = JSON.createObjectNode();
		body.put("accessJwt", accessJwt).put("refreshJwt", refreshJwt).put("handle", handle).put("did", did);
		if (didDocJson != null) {
			body.set("didDoc", JSON.readTree(didDocJson));
		}
		body.put("active", true);
		return JSON.writeValueAsString(body);
	}

	// ---- serving ----

	private void acceptConnections() {
		while (!this.server.isClosed()) {
			Socket socket;
			try {
				socket = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			if (this.open.size() >= MAX_CONNECTIONS || this.closed.getCount() == 0) {
				closeQuietly(socket);
				continue;
			}
			this.open.add(socket);
			try {
				this.threads.execute(() -> serve(socket));
			}
			catch (RuntimeException ex) {
				this.open.remove(socket);
				closeQuietly(socket);
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setSoTimeout((int) CLIENT_SILENCE.toMillis());
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			for (int i = 0; i < REQUESTS_PER_CONNECTION && this.closed.getCount() > 0; i++) {
				ReceivedRequest request = readRequest(in);
				if (request == null) {
					return;
				}
				record(request);
				Answer answer = this.answers.getOrDefault(request.nsid(), this.otherwise);
				if (!answer.write(this, request, out)) {
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// The client hung up, was silent too long, or sent something this server does
			// not read: the connection ends, nothing else does.
		}
		finally {
			this.open.remove(socket);
		}
	}

	private void record(ReceivedRequest request) {
		this.requestCount.incrementAndGet();
		synchronized (this.received) {
			if (this.received.size() == RECORDED_REQUESTS_LIMIT) {
				this.received.removeFirst();
			}
			this.received.addLast(request);
		}
	}

	/** Waits until the server closes or the maximum stall has passed. */
	private void stall() {
		try {
			this.closed.await(this.maxStall.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ReceivedRequest readRequest(InputStream in) throws IOException {
		String head = readHead(in);
		if (head == null) {
			return null;
		}
		String[] lines = head.split("\r\n");
		String[] requestLine = lines[0].split(" ");
		if (requestLine.length != 3) {
			throw new IOException("Not an HTTP request line");
		}
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon > 0) {
				headers
					.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
							(name) -> new ArrayList<>())
					.add(lines[i].substring(colon + 1).strip());
			}
		}
		byte[] body = readBody(in, headers);
		String target = requestLine[1];
		String path = (target.indexOf('?') >= 0) ? target.substring(0, target.indexOf('?')) : target;
		String nsid = path.startsWith("/xrpc/") ? path.substring("/xrpc/".length()) : null;
		return new ReceivedRequest(requestLine[0], target, nsid, headers, body, Instant.now());
	}

	/**
	 * The request head up to the empty line, or {@code null} at the end of the stream.
	 */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (head.size() < HEAD_LIMIT) {
			int b = in.read();
			if (b < 0) {
				if (head.size() == 0) {
					return null;
				}
				throw new IOException("The request head ended early");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				byte[] bytes = head.toByteArray();
				return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
			}
		}
		throw new IOException("The request head is longer than " + HEAD_LIMIT + " bytes");
	}

	private static byte[] readBody(InputStream in, Map<String, List<String>> headers) throws IOException {
		List<String> length = headers.get("content-length");
		if (length != null) {
			long size = Long.parseLong(length.get(0));
			if (size < 0 || size > BODY_LIMIT) {
				throw new IOException("The request body is larger than " + BODY_LIMIT + " bytes");
			}
			return in.readNBytes((int) size);
		}
		List<String> encoding = headers.get("transfer-encoding");
		if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				String sizeLine = readLine(in);
				int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
				if (size == 0) {
					readLine(in);
					return body.toByteArray();
				}
				if (size < 0 || body.size() + size > BODY_LIMIT) {
					throw new IOException("The request body is larger than " + BODY_LIMIT + " bytes");
				}
				body.write(in.readNBytes(size));
				readLine(in);
			}
		}
		return new byte[0];
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < 1024; i++) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("The stream ended in a chunk");
			}
			if (b == '\n') {
				return line.toString().strip();
			}
			line.append((char) b);
		}
		throw new IOException("A chunk line is too long");
	}

	private static void writeHead(OutputStream out, int status, Map<String, String> headers, long contentLength)
			throws IOException {
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status)
			.append(' ')
			.append(reason(status))
			.append("\r\n");
		headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		if (contentLength >= 0) {
			head.append("Content-Length: ").append(contentLength).append("\r\n");
		}
		head.append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	private static String reason(int status) {
		return switch (status / 100) {
			case 2 -> "OK";
			case 3 -> "Redirect";
			case 4 -> "Client Error";
			case 5 -> "Server Error";
			default -> "Unknown";
		};
	}

	private static String jsonString(String value) {
		return JSON.writeValueAsString(value);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing on the way out: nothing to do
		}
	}

	/**
	 * One request the server received, with its headers and (the first
	 * {@value HostilePds#RECORDED_BODY_LIMIT} bytes of) its body: unlike the
	 * {@link PdsDouble}'s records, these keep credentials, since showing where they went
	 * is what this server is for.
	 *
	 * @param method the HTTP method
	 * @param target the request target (path and query)
	 * @param nsid the XRPC method of a {@code /xrpc/<nsid>} path, or {@code null}
	 * @param headers the headers, names in lower case
	 * @param body the body
	 * @param at when it was received, by the system clock
	 */
	public record ReceivedRequest(String method, String target, String nsid, Map<String, List<String>> headers,
			byte[] body, Instant at) {

		/**
		 * Copies the headers and cuts the body to the recorded size.
		 */
		public ReceivedRequest {
			Map<String, List<String>> copy = new LinkedHashMap<>();
			headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
			headers = Collections.unmodifiableMap(copy);
			body = Arrays.copyOf(body, Math.min(body.length, RECORDED_BODY_LIMIT));
		}

		/**
		 * The first value of a header.
		 * @param name the header's name, in any case
		 * @return the value, if the request had the header
		 */
		public Optional<String> header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? Optional.of(values.get(0)) : Optional.empty();
		}

		/**
		 * The body as UTF-8 text.
		 * @return the text
		 */
		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		/**
		 * Whether the request carried a text in its target, a header or its body.
		 * @param text the text
		 * @return {@code true} if it did
		 */
		public boolean contains(String text) {
			return this.target.contains(text) || bodyText().contains(text)
					|| this.headers.values().stream().flatMap(List::stream).anyMatch((value) -> value.contains(text));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ReceivedRequest that && this.method.equals(that.method)
					&& this.target.equals(that.target) && this.headers.equals(that.headers)
					&& Arrays.equals(this.body, that.body) && this.at.equals(that.at);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.method, this.target, this.headers, Arrays.hashCode(this.body), this.at);
		}

		@Override
		public String toString() {
			return "ReceivedRequest[" + this.method + " " + this.nsid + ", " + this.body.length + " body bytes]";
		}

	}

	/**
	 * What the server answers a request. Immutable; made by the static methods.
	 */
	public static final class Answer {

		private enum Kind {

			FIXED, STALL, STALL_BODY, CUT_OFF, HUGE_BODY, HUGE_CHUNKED_BODY, ECHO

		}

		private final Kind kind;

		private final int status;

		private final Map<String, String> headers;

		private final byte[] body;

		private final long size;

		private Answer(Kind kind, int status, Map<String, String> headers, byte[] body, long size) {
			if (status < 100 || status > 999) {
				throw new IllegalArgumentException("An HTTP status has three digits, not " + status);
			}
			for (Map.Entry<String, String> header : headers.entrySet()) {
				if ((header.getKey() + header.getValue()).chars().anyMatch((c) -> c == '\r' || c == '\n')) {
					throw new IllegalArgumentException("A header must not contain CR or LF: " + header.getKey());
				}
			}
			this.kind = kind;
			this.status = status;
			this.headers = Map.copyOf(headers);
			this.body = body;
			this.size = size;
		}

		/**
		 * An answer with a JSON body, which need not be valid JSON.
		 * @param status the status
		 * @param body the body, sent as it is
		 * @return the answer
		 */
		public static Answer json(int status, String body) {
			return json(status, body, Map.of());
		}

		/**
		 * An answer with a JSON body and headers of any value, such as
		 * {@code RateLimit-Reset: 32503680000}.
		 * @param status the status
		 * @param body the body, sent as it is
		 * @param headers the headers, sent as they are (without CR or LF)
		 * @return the answer
		 */
		public static Answer json(int status, String body, Map<String, String> headers) {
			Map<String, String> all = new LinkedHashMap<>(headers);
			all.putIfAbsent("Content-Type", "application/json; charset=utf-8");
			return new Answer(Kind.FIXED, status, all, body.getBytes(StandardCharsets.UTF_8), -1);
		}

		/**
		 * An answer with no body at all ({@code Content-Length: 0}).
		 * @param status the status, such as 200
		 * @return the answer
		 */
		public static Answer empty(int status) {
			return new Answer(Kind.FIXED, status, Map.of("Content-Type", "application/json"), new byte[0], -1);
		}

		/**
		 * A redirect.
		 * @param status the status, such as 307 (which asks the client to send the same
		 * body again) or 302
		 * @param location the {@code Location}, such as another server's URL
		 * @return the answer
		 */
		public static Answer redirect(int status, String location) {
			return new Answer(Kind.FIXED, status, Map.of("Location", location), new byte[0], -1);
		}

		/**
		 * 429 {@code RateLimitExceeded} with the given headers, such as
		 * {@code RateLimit-Reset: 9223372036854775807}.
		 * @param headers the headers, sent as they are
		 * @return the answer
		 */
		public static Answer rateLimited(Map<String, String> headers) {
			return json(429, "{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}", headers);
		}

		/**
		 * The request is read and never answered: the connection stays open and silent
		 * until the client gives up, the server closes or the maximum stall passes.
		 * @return the answer
		 */
		public static Answer stall() {
			return new Answer(Kind.STALL, 200, Map.of(), new byte[0], -1);
		}

		/**
		 * The head of an answer is sent, announcing a 1 MiB JSON body, and then two bytes
		 * of it, and the rest never comes.
		 * @param status the status of the head
		 * @return the answer
		 */
		public static Answer stallBody(int status) {
			return new Answer(Kind.STALL_BODY, status, Map.of("Content-Type", "application/json"), new byte[0],
					1024 * 1024);
		}

		/**
		 * The head of an answer is sent, announcing a 1 MiB JSON body, then two bytes of
		 * it, and then the connection is closed.
		 * @param status the status of the head
		 * @return the answer
		 */
		public static Answer cutOff(int status) {
			return new Answer(Kind.CUT_OFF, status, Map.of("Content-Type", "application/json"), new byte[0],
					1024 * 1024);
		}

		/**
		 * An answer with a body of the given size, streamed from a small buffer: a JSON
		 * object whose array of empty objects never closes (<code>{"items":[{},{},</code>
		 * and so on). Ends when the client stops reading.
		 * @param status the status, such as 200 or 500
		 * @param size the body's size in bytes, such as 2 GiB; sent as
		 * {@code Content-Length}
		 * @return the answer
		 */
		public static Answer hugeBody(int status, long size) {
			if (size < 16) {
				throw new IllegalArgumentException("A huge body has at least 16 bytes, not " + size);
			}
			return new Answer(Kind.HUGE_BODY, status, Map.of("Content-Type", "application/json"), new byte[0], size);
		}

		/**
		 * Like {@link #hugeBody(int, long)}, but sent in chunks
		 * ({@code Transfer-Encoding: chunked}) without a {@code Content-Length}, so that
		 * a client learns the size only by reading.
		 * @param status the status, such as 200 or 500
		 * @param size the body's size in bytes, such as 2 GiB
		 * @return the answer
		 */
		public static Answer hugeChunkedBody(int status, long size) {
			if (size < 16) {
				throw new IllegalArgumentException("A huge body has at least 16 bytes, not " + size);
			}
			return new Answer(Kind.HUGE_CHUNKED_BODY, status,
					Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"), new byte[0], size);
		}

		/**
		 * An answer that repeats what the client sent, as a server that wants the client
		 * to leak it would: its {@code Authorization} header and its body go into the
		 * error message (a 4xx or 5xx), the {@code Location} (a 3xx) and the
		 * {@code RateLimit-Policy} header (a 429).
		 * @param status the status
		 * @return the answer
		 */
		public static Answer echo(int status) {
			return new Answer(Kind.ECHO, status, Map.of(), new byte[0], -1);
		}

		/**
		 * Writes this answer.
		 * @return whether the connection may serve another request
		 */
		boolean write(HostilePds pds, ReceivedRequest request, OutputStream out) throws IOException {
			switch (this.kind) {
				case FIXED -> {
					writeHead(out, this.status, this.headers, this.body.length);
					out.write(this.body);
					out.flush();
					pds.bodyBytesSent.addAndGet(this.body.length);
					return true;
				}
				case STALL -> {
					pds.stall();
					return false;
				}
				case STALL_BODY -> {
					writeHead(out, this.status, this.headers, this.size);
					out.write("{\"".getBytes(StandardCharsets.US_ASCII));
					out.flush();
					pds.stall();
					return false;
				}
				case CUT_OFF -> {
					writeHead(out, this.status, this.headers, this.size);
					out.write("{\"".getBytes(StandardCharsets.US_ASCII));
					out.flush();
					return false;
				}
				case HUGE_BODY -> {
					writeHead(out, this.status, this.headers, this.size);
					streamHugeBody(pds, out);
					return false;
				}
				case HUGE_CHUNKED_BODY -> {
					writeHead(out, this.status, this.headers, -1);
					streamHugeBody(pds, new ChunkedOutputStream(out));
					return false;
				}
				case ECHO -> {
					writeEcho(request, out);
					return true;
				}
				default -> throw new IllegalStateException("Unknown answer " + this.kind);
			}
		}

		private void streamHugeBody(HostilePds pds, OutputStream out) throws IOException {
			byte[] start = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
			byte[] chunk = "{},".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
			out.write(start);
			pds.bodyBytesSent.addAndGet(start.length);
			long left = this.size - start.length;
			while (left > 0 && pds.closed.getCount() > 0) {
				int n = (int) Math.min(chunk.length, left);
				out.write(chunk, 0, n);
				pds.bodyBytesSent.addAndGet(n);
				left -= n;
			}
			out.flush();
		}

		private void writeEcho(ReceivedRequest request, OutputStream out) throws IOException {
			String authorization = request.header("Authorization").orElse("");
			String said = "Authorization was '" + authorization + "', body was '" + request.bodyText() + "'";
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("Content-Type", "application/json");
			if (this.status / 100 == 3) {
				headers.put("Location",
						"http://127.0.0.1:1/echo?said=" + java.net.URLEncoder.encode(said, StandardCharsets.UTF_8));
			}
			if (this.status == 429) {
				headers.put("RateLimit-Policy", authorization.replaceAll("[\\r\\n]", ""));
				headers.put("RateLimit-Reset", authorization.replaceAll("[\\r\\n]", ""));
			}
			byte[] body = ("{\"error\":" + jsonString("Echo " + authorization) + ",\"message\":" + jsonString(said)
					+ "}")
				.getBytes(StandardCharsets.UTF_8);
			writeHead(out, this.status, headers, body.length);
			out.write(body);
			out.flush();
		}

		@Override
		public String toString() {
			return "Answer[" + this.kind + " " + this.status + "]";
		}

	}

	/**
	 * Writes each write as one HTTP/1.1 chunk; never writes the last chunk, since the
	 * bodies it carries end only when the client hangs up or the size is reached.
	 */
	private static final class ChunkedOutputStream extends java.io.FilterOutputStream {

		ChunkedOutputStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			if (length > 0) {
				this.out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
				this.out.write(bytes, offset, length);
				this.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			}
		}

		@Override
		public void write(byte[] bytes) throws IOException {
			write(bytes, 0, bytes.length);
		}

		@Override
		public void flush() throws IOException {
			this.out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
		}

	}

	/**
	 * Configures a {@link HostilePds}.
	 */
	public static final class Builder {

		private Duration maxStall = Duration.ofMinutes(1);

		private Builder() {
		}

		/**
		 * The longest a stalled answer keeps its connection open before the server closes
		 * it, so that a test that forgets to close the server does not leave a thread
		 * waiting for ever.
		 * @param maxStall a positive duration; one minute by default
		 * @return this builder
		 */
		public Builder maxStall(Duration maxStall) {
			if (maxStall == null || maxStall.isNegative() || maxStall.isZero()) {
				throw new IllegalArgumentException("maxStall must be positive, not " + maxStall);
			}
			this.maxStall = maxStall;
			return this;
		}

		/**
		 * Binds {@code 127.0.0.1} on a free port and starts serving.
		 * @return the running server; close it when done
		 * @throws UncheckedIOException if the server cannot bind
		 */
		public HostilePds start() {
			try {
				return new HostilePds(this);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the hostile PDS", ex);
			}
		}

	}

}
