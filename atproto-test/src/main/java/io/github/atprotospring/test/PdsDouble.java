package io.github.atprotospring.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process stand-in for an atproto PDS (Personal Data Server) that answers XRPC
 * calls the way the reference PDS does: same statuses, error names, messages and headers.
 * It lets client tests exercise login, token refresh and rotation, expiry, revocation,
 * rate limits and transport faults without a network or a real server.
 *
 * <p>
 * Served methods: {@code com.atproto.server.createAccount}, {@code createSession},
 * {@code refreshSession}, {@code getSession}, {@code deleteSession},
 * {@code com.atproto.repo.createRecord}, {@code getRecord}, {@code deleteRecord},
 * {@code listRecords}, {@code uploadBlob}, {@code com.atproto.identity.resolveHandle},
 * {@code app.bsky.actor.getProfile} and {@code /xrpc/_health}. Time comes from the
 * injected {@link Clock}, so a {@link MutableClock} drives token expiry, refresh grace
 * periods and rate-limit windows.
 *
 * <p>
 * The server binds {@code 127.0.0.1} on a free port (or the one given to
 * {@link Builder#port(int)}) and serves requests on a pool of daemon threads, so
 * concurrent clients are not serialised. It never logs tokens or passwords, and the call
 * log keeps no credentials.
 *
 * <p>
 * Loading this class sets the system property {@code sun.net.httpserver.nodelay} to
 * {@code true} unless it is already set, so that the JDK server answers without the ~40
 * ms that Nagle's algorithm and the client's delayed ACK add to every request (a round
 * trip takes well under a millisecond instead of ~45 ms). It takes effect only if no JDK
 * {@code HttpServer} was created in the JVM before, and applies to the JDK
 * {@code HttpServer}s created after it too.
 *
 * <p>
 * With a {@link Builder#stateFile(Path) state file} the double survives a restart of the
 * JVM, for a sample application that runs it as a local demo server: accounts, the JWT
 * secret, the refresh-token table and the records are saved after every change and loaded
 * again at start, so tokens issued before the restart stay valid. Without one, everything
 * lives in memory only.
 */
public final class PdsDouble implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PdsDouble.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String XRPC = "/xrpc/";

	/**
	 * The JDK server's switch for {@code TCP_NODELAY} on the sockets it accepts; read
	 * once, when the JVM creates its first {@link HttpServer}.
	 */
	/**
	 * How many of the most recent calls {@link #calls()} keeps unless the builder says
	 * otherwise.
	 */
	public static final int RECORDED_CALLS_LIMIT = 10_000;

	/**
	 * The CID the double gives a blob it is sent ({@code com.atproto.repo.uploadBlob}): a
	 * CIDv1 of the raw codec over the bytes' SHA-256, in base32 ({@code bafkrei…}), as
	 * the reference PDS gives it.
	 * @param bytes the blob's bytes
	 * @return the CID
	 */
	public static String blobCid(byte[] bytes) {
		return DoubleMethods.blobCid(bytes);
	}

	private final int recordedCallsLimit;

	static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

	static {
		// The JDK HttpServer writes an answer's head and body in two writes. With Nagle's
		// algorithm on
		// (the JDK default) the body waits for the ACK of the head, which the client
		// delays by ~40 ms on
		// Linux, so every request took ~45 ms instead of well under one. Set before the
		// first server is
		// created, unless whoever runs the JVM chose a value
		// (-Dsun.net.httpserver.nodelay=false brings
		// the delay back). A JDK HttpServer created earlier in the same JVM has already
		// read the property,
		// and later ones in the JVM get TCP_NODELAY too.
		if (System.getProperty(NODELAY_PROPERTY) == null) {
			System.setProperty(NODELAY_PROPERTY, "true");
		}
	}

	/**
	 * An account of the double. Deliberately holds no password.
	 *
	 * @param did the account's DID ({@code did:plc:...})
	 * @param handle the account's handle, lower case, ending in {@code .test}
	 * @param email the account's email, lower case
	 */
	public record Account(String did, String handle, String email) {
	}

	/**
	 * One XRPC request the double received. Holds no token, body or password.
	 *
	 * @param nsid the method called, e.g. {@code com.atproto.server.createSession}
	 * @param method the HTTP method
	 * @param host the request's {@code Host} header, or {@code null}
	 * @param status the status answered, or {@code 0} for {@link Fault#DROP_CONNECTION}
	 * @param at when it was received, by the double's clock
	 */
	public record RecordedCall(String nsid, String method, String host, int status, Instant at) {
	}

	/** A transport failure to inject in place of the real answer. */
	public enum Fault {

		/**
		 * 500 {@code {"error":"InternalServerError","message":"Internal Server Error"}}.
		 */
		INTERNAL_SERVER_ERROR(500, "InternalServerError", "Internal Server Error"),
		/** 502 {@code {"error":"UpstreamFailure","message":"Upstream Failure"}}. */
		BAD_GATEWAY(502, "UpstreamFailure", "Upstream Failure"),
		/**
		 * 503 {@code {"error":"NotEnoughResources","message":"Not Enough Resources"}}.
		 */
		SERVICE_UNAVAILABLE(503, "NotEnoughResources", "Not Enough Resources"),
		/**
		 * The connection breaks mid-answer: the request is read, the status line and
		 * headers of a chunked 200 are sent, and the connection is closed before the body
		 * ends. Any client reading the answer gets an {@link IOException}, with no silent
		 * retry (JDK clients retry a request whose connection closed before any response
		 * byte, so that is not used). Recorded with status {@code 0}.
		 */
		DROP_CONNECTION(0, null, null);

		private final int status;

		private final String error;

		private final String message;

		Fault(int status, String error, String message) {
			this.status = status;
			this.error = error;
			this.message = message;
		}

	}

	/**
	 * Pending injected faults; {@code nsid == null} matches every method. Guarded by
	 * {@code faults}.
	 */
	private static final class PendingFault {

		final String nsid;

		final Fault fault;

		int remaining;

		PendingFault(String nsid, Fault fault, int remaining) {
			this.nsid = nsid;
			this.fault = fault;
			this.remaining = remaining;
		}

	}

	private final HttpServer server;

	private final ExecutorService executor;

	private final Clock clock;

	private final String jwtSecret;

	private final Accounts accounts;

	private final DoubleMethods endpoints;

	/** Where the state is saved, or {@code null} when it lives in memory only. */
	private final StateFile stateFile;

	private final String url;

	private final List<PendingFault> faults = new ArrayList<>();

	private final Map<String, AtomicInteger> callCounts = new ConcurrentHashMap<>();

	private final AtomicInteger totalCalls = new AtomicInteger();

	/**
	 * The most recent calls, at most {@link #recordedCallsLimit}; the counters count them
	 * all.
	 */
	private final ArrayDeque<RecordedCall> calls = new ArrayDeque<>();

	/** Told of every password and token that passes through; see {@link #onSecret}. */
	private final List<Consumer<String>> secretListeners = new CopyOnWriteArrayList<>();

	private PdsDouble(Builder builder) throws IOException {
		SecureRandom random = new SecureRandom();
		this.clock = builder.clock;
		this.recordedCallsLimit = builder.recordedCallsLimit;
		// Read before binding, so that a corrupt file fails start without taking the
		// port.
		StateFile.State saved = builder.stateFile != null ? StateFile.read(builder.stateFile, JSON) : null;
		this.jwtSecret = chooseSecret(builder, saved, random);
		this.accounts = new Accounts(random);
		if (saved != null) {
			accounts.restore(saved.accounts());
		}
		this.server = bind(builder.port);
		AtomicInteger threads = new AtomicInteger();
		// The default HttpServer executor is the dispatcher thread itself, which would
		// serialise
		// concurrent clients; daemon threads keep a forgotten double from holding the JVM
		// open.
		this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				task -> {
					Thread thread = new Thread(task, "pds-double-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.url = "http://127.0.0.1:" + server.getAddress().getPort();
		Jwt jwt = new Jwt(JSON, jwtSecret, "did:web:" + builder.hostname);
		this.endpoints = new DoubleMethods(builder, builder.didDocPdsEndpoint != null ? builder.didDocPdsEndpoint : url,
				JSON, accounts, jwt, random, this::stateChanged);
		this.stateFile = builder.stateFile != null ? new StateFile(builder.stateFile, JSON, this::snapshot) : null;
		try {
			if (saved != null) {
				endpoints.restore(saved);
				log.info("PDS double loaded {} from {}", saved, builder.stateFile);
			}
			if (stateFile != null) {
				// At once, so the file exists and holds the secret in use even before the
				// first change.
				stateFile.saveNow();
			}
		}
		catch (RuntimeException e) {
			server.stop(0);
			throw e;
		}
		server.setExecutor(executor);
		server.createContext("/", this::handle);
		server.start();
	}

	private static HttpServer bind(int port) throws IOException {
		try {
			return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
		}
		catch (BindException e) {
			throw new IllegalStateException("PdsDouble could not bind 127.0.0.1:" + port
					+ ", the port is already in use (" + e.getMessage() + ")", e);
		}
	}

	/**
	 * An explicitly configured secret wins, so a builder that names one always signs with
	 * it (tokens saved under another secret then no longer verify); otherwise the saved
	 * one, so tokens issued before a restart stay valid; otherwise a random one.
	 */
	private static String chooseSecret(Builder builder, StateFile.State saved, SecureRandom random) {
		if (builder.jwtSecret != null) {
			if (saved != null && !saved.jwtSecret().equals(builder.jwtSecret)) {
				log.warn("PDS double uses the configured JWT secret instead of the one saved in {}; "
						+ "tokens issued before the restart will be refused", builder.stateFile);
			}
			return builder.jwtSecret;
		}
		return saved != null ? saved.jwtSecret() : randomSecret(random);
	}

	/**
	 * Starts configuring a double.
	 * @return a builder with the reference PDS's defaults
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The base URL of the double, without a trailing slash.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return url;
	}

	/**
	 * The port the double listens on.
	 * @return the bound port
	 */
	public int port() {
		return server.getAddress().getPort();
	}

	/**
	 * Changes the PDS endpoint that later session answers name in their DID document, for
	 * example to {@code http://localhost:<port>} so that a test can tell calls sent to
	 * the DID document's endpoint from calls sent to {@link #url()}, although both reach
	 * this double.
	 * @param endpoint the {@code serviceEndpoint} of the {@code #atproto_pds} service
	 */
	public void setDidDocPdsEndpoint(String endpoint) {
		endpoints.pdsEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
	}

	/**
	 * Creates an account directly, without an HTTP call (and without counting one).
	 * @param handle a handle ending in {@code .test}, matched case-insensitively
	 * @param email the account's email
	 * @param password the account's password
	 * @return the new account
	 * @throws IllegalArgumentException if the handle is not a {@code .test} handle or the
	 * handle or email is taken
	 */
	public Account createAccount(String handle, String email, String password) {
		Objects.requireNonNull(handle, "handle");
		Objects.requireNonNull(email, "email");
		Objects.requireNonNull(password, "password");
		Account account;
		secret(password);
		try {
			account = accounts.create(handle, email, password).toAccount();
		}
		catch (XrpcErrorAnswer e) {
			throw new IllegalArgumentException(e.error() + ": " + e.getMessage(), e);
		}
		stateChanged();
		return account;
	}

	/**
	 * Finds an account, e.g. so that a demo creates its account only on the first run.
	 * @param handleOrDid a handle (matched case-insensitively) or a DID
	 * @return the account, or empty if there is none
	 */
	public Optional<Account> findAccount(String handleOrDid) {
		Objects.requireNonNull(handleOrDid, "handleOrDid");
		return accounts.byDidOrHandle(handleOrDid).map(Accounts.State::toAccount);
	}

	/**
	 * Takes an account down: createSession then answers 401 {@code AccountTakedown}
	 * (unless called with {@code allowTakendown}) and refreshSession answers 401
	 * {@code AccountTakedown}.
	 * @param did the account's DID
	 * @throws IllegalArgumentException if there is no such account
	 */
	public void takedown(String did) {
		accounts.require(did).takenDown = true;
		stateChanged();
	}

	/**
	 * Deactivates an account: createSession then answers 401 {@code AccountDeactivated}.
	 * @param did the account's DID
	 * @throws IllegalArgumentException if there is no such account
	 */
	public void deactivate(String did) {
		accounts.require(did).deactivated = true;
		stateChanged();
	}

	/**
	 * Turns on email two-factor login for an account, as bsky.social does: createSession
	 * without {@code authFactorToken} answers 401 {@code AuthFactorTokenRequired}, with a
	 * wrong one 401 {@code InvalidToken "Token is invalid"}.
	 * @param did the account's DID
	 * @param code the code the "mailed" message would contain
	 * @throws IllegalArgumentException if there is no such account
	 */
	public void requireAuthFactor(String did, String code) {
		accounts.require(did).authFactorCode = Objects.requireNonNull(code, "code");
		stateChanged();
	}

	/**
	 * How many requests for one method were received since start or the last
	 * {@link #resetCounters()}, including those answered with an injected fault.
	 * @param nsid the method, e.g. {@code com.atproto.server.refreshSession}
	 * @return the count
	 */
	public int callCount(String nsid) {
		AtomicInteger count = callCounts.get(nsid);
		return count == null ? 0 : count.get();
	}

	/**
	 * How many XRPC requests were received in all (health checks excluded).
	 * @return the count
	 */
	public int totalCalls() {
		return totalCalls.get();
	}

	/** Forgets all counted and recorded calls. */
	public void resetCounters() {
		synchronized (calls) {
			callCounts.clear();
			totalCalls.set(0);
			calls.clear();
		}
	}

	/**
	 * The calls received so far, oldest first: the most recent
	 * {@link Builder#recordedCalls(int) few} (the counters of {@link #callCount(String)}
	 * and {@link #totalCalls()} count every call), so that a double that runs for long,
	 * as the sample's demo server does, keeps bounded memory. Each is recorded before its
	 * answer is sent, so a client that has its answer will find its call here.
	 * @return an immutable snapshot
	 */
	public List<RecordedCall> calls() {
		synchronized (calls) {
			return List.copyOf(calls);
		}
	}

	/**
	 * Answers the next {@code n} XRPC requests, whatever their method, with a fault
	 * instead of their real answer.
	 * @param n how many requests to fail
	 * @param fault what to answer
	 */
	public void failNext(int n, Fault fault) {
		addFault(null, n, fault);
	}

	/**
	 * Answers the next {@code n} requests for one method with a fault instead of their
	 * real answer. Faults are consumed in the order they were injected.
	 * @param nsid the method to fail
	 * @param n how many requests to fail
	 * @param fault what to answer
	 */
	public void failNext(String nsid, int n, Fault fault) {
		addFault(Objects.requireNonNull(nsid, "nsid"), n, fault);
	}

	/**
	 * Mints an access token the double accepts until {@code expiresAt}, without creating
	 * a session; for tests of expiry handling.
	 * @param did the account the token is for
	 * @param expiresAt its {@code exp} (truncated to seconds)
	 * @return a signed access JWT
	 */
	public String mintAccessToken(String did, Instant expiresAt) {
		String token = endpoints.mintAccessToken(Objects.requireNonNull(did, "did"),
				Objects.requireNonNull(expiresAt, "expiresAt"));
		secret(token);
		return token;
	}

	/**
	 * Tells a listener every secret that passes through the double from now on, before
	 * the answer that carries it is sent: each access and refresh token it hands out
	 * (createAccount, createSession, refreshSession, {@link #mintAccessToken}) and each
	 * password it is given (by {@link #createAccount} or in a createAccount or
	 * createSession call, right or wrong). A test that checks that no secret is logged
	 * learns them here, such as {@code SecretsCheckExtension}'s {@link Secrets#watch}.
	 * @param listener called with each secret, on the thread that serves the call
	 */
	public void onSecret(Consumer<String> listener) {
		secretListeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * The HS256 secret the double signs tokens with.
	 * @return the secret
	 */
	public String jwtSecret() {
		return jwtSecret;
	}

	/**
	 * The file the state is saved in.
	 * @return the file given to {@link Builder#stateFile(Path)}, or empty when the state
	 * lives in memory only
	 */
	public Optional<Path> stateFile() {
		return Optional.ofNullable(stateFile).map(StateFile::file);
	}

	/**
	 * Stops the server at once and its threads. With a state file nothing is lost: every
	 * change was saved when it was made.
	 */
	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}

	@Override
	public String toString() {
		return "PdsDouble[" + url + "]";
	}

	// ---- HTTP ----

	private void handle(HttpExchange exchange) throws IOException {
		Instant received = clock.instant();
		byte[] body = readBody(exchange.getRequestBody());
		String path = exchange.getRequestURI().getPath();
		String nsid = path.startsWith(XRPC) && path.length() > XRPC.length() ? path.substring(XRPC.length()) : null;
		boolean counted = nsid != null && !nsid.equals("_health");
		Fault fault = counted ? takeFault(nsid) : null;
		if (fault == Fault.DROP_CONNECTION) {
			record(exchange, nsid, 0, received);
			breakConnection(exchange);
		}
		try (exchange) {
			DoubleMethods.Response response;
			if (nsid == null) {
				response = endpoints.error(new XrpcErrorAnswer(404, "NotFound", "Not Found"));
			}
			else if (!counted) {
				response = new DoubleMethods.Response(200, JSON.createObjectNode().put("version", "double"), Map.of());
			}
			else {
				secretsIn(nsid, body);
				response = fault != null
						? endpoints.error(new XrpcErrorAnswer(fault.status, fault.error, fault.message))
						: serve(exchange, nsid, exchange.getRequestMethod(), body);
				if (response.body() != null) {
					secret(response.body().path("accessJwt").asString(null));
					secret(response.body().path("refreshJwt").asString(null));
				}
				record(exchange, nsid, response.status(), received);
			}
			send(exchange, response);
		}
	}

	/**
	 * Sends the head of a chunked 200 and then fails the exchange without closing it,
	 * which makes the server close the socket before the body's terminating chunk: every
	 * JDK client reading the answer gets an {@link IOException}. A close before any
	 * response byte is not used because JDK clients silently retry such a request once
	 * (HttpClient for GET, HttpURLConnection even for POST), so the fault would often not
	 * reach the code under test.
	 */
	private static void breakConnection(HttpExchange exchange) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		exchange.sendResponseHeaders(200, 0);
		throw new IOException("Connection dropped by an injected PdsDouble fault");
	}

	/** The password a createSession or createAccount request carries. */
	private void secretsIn(String nsid, byte[] body) {
		if (secretListeners.isEmpty() || !nsid.equals("com.atproto.server.createSession")
				&& !nsid.equals("com.atproto.server.createAccount")) {
			return;
		}
		try {
			JsonNode password = JSON.readTree(body).path("password");
			if (password.isString()) {
				secret(password.stringValue());
			}
		}
		catch (JacksonException e) {
			// not JSON: the method refuses it and holds no password
		}
	}

	private void secret(String value) {
		if (value != null && !value.isEmpty()) {
			for (Consumer<String> listener : secretListeners) {
				listener.accept(value);
			}
		}
	}

	private DoubleMethods.Response serve(HttpExchange exchange, String nsid, String method, byte[] body) {
		try {
			return endpoints.dispatch(new DoubleMethods.Request(nsid, method, exchange.getRequestHeaders(),
					params(exchange.getRequestURI().getRawQuery()), body, clientIp(exchange)));
		}
		catch (RuntimeException e) {
			log.warn("PDS double failed on {}", nsid, e);
			return endpoints.error(new XrpcErrorAnswer(500, "InternalServerError", "Internal Server Error"));
		}
	}

	private void record(HttpExchange exchange, String nsid, int status, Instant received) {
		log.debug("{} {} -> {}", exchange.getRequestMethod(), nsid, status);
		RecordedCall call = new RecordedCall(nsid, exchange.getRequestMethod(),
				exchange.getRequestHeaders().getFirst("Host"), status, received);
		synchronized (calls) {
			callCounts.computeIfAbsent(nsid, key -> new AtomicInteger()).incrementAndGet();
			totalCalls.incrementAndGet();
			if (calls.size() == recordedCallsLimit) {
				calls.removeFirst();
			}
			calls.addLast(call);
		}
	}

	private static void send(HttpExchange exchange, DoubleMethods.Response response) throws IOException {
		response.headers().forEach(exchange.getResponseHeaders()::set);
		if (response.body() == null) {
			exchange.sendResponseHeaders(response.status(), -1);
			return;
		}
		byte[] bytes = JSON.writeValueAsBytes(response.body());
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		exchange.sendResponseHeaders(response.status(), bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static byte[] readBody(InputStream in) {
		try (in) {
			return in.readAllBytes();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * The client address used for rate limiting, as the reference PDS (Express with
	 * {@code trust
	 * proxy} set to loopback, link-local and unique-local addresses) computes it: walking
	 * back from the connection through {@code X-Forwarded-For}, the first address that is
	 * not such a trusted proxy, or the furthest one if all are.
	 */
	private static String clientIp(HttpExchange exchange) {
		List<String> chain = new ArrayList<>();
		chain.add(exchange.getRemoteAddress().getAddress().getHostAddress());
		String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
		if (forwarded != null && !forwarded.isBlank()) {
			String[] hops = forwarded.split(",");
			for (int i = hops.length - 1; i >= 0; i--) {
				chain.add(hops[i].trim());
			}
		}
		for (int i = 0; i < chain.size() - 1; i++) {
			if (!trustedProxy(chain.get(i))) {
				return chain.get(i);
			}
		}
		return chain.get(chain.size() - 1);
	}

	private static boolean trustedProxy(String address) {
		String a = address.toLowerCase(java.util.Locale.ROOT);
		if (a.startsWith("::ffff:")) {
			a = a.substring("::ffff:".length());
		}
		return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.startsWith("169.254.")
				|| a.startsWith("fe80:") || a.startsWith("10.") || a.startsWith("192.168.")
				|| a.matches("172\\.(1[6-9]|2[0-9]|3[01])\\..*") || a.startsWith("fc") || a.startsWith("fd");
	}

	private static Map<String, String> params(String rawQuery) {
		Map<String, String> params = new HashMap<>();
		if (rawQuery == null || rawQuery.isEmpty()) {
			return params;
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			params.putIfAbsent(name, value);
		}
		return params;
	}

	// ---- faults ----

	private void addFault(String nsid, int n, Fault fault) {
		Objects.requireNonNull(fault, "fault");
		if (n < 0) {
			throw new IllegalArgumentException("n must not be negative: " + n);
		}
		if (n == 0) {
			return;
		}
		synchronized (faults) {
			faults.add(new PendingFault(nsid, fault, n));
		}
	}

	private Fault takeFault(String nsid) {
		synchronized (faults) {
			for (Iterator<PendingFault> it = faults.iterator(); it.hasNext();) {
				PendingFault pending = it.next();
				if (pending.nsid == null || pending.nsid.equals(nsid)) {
					if (--pending.remaining == 0) {
						it.remove();
					}
					return pending.fault;
				}
			}
			return null;
		}
	}

	// ---- state file ----

	/** Saves the state after a change; called outside the stores' locks. */
	private void stateChanged() {
		if (stateFile != null) {
			stateFile.changed();
		}
	}

	private StateFile.State snapshot() {
		// Accounts first: a token or record saved here belongs to an account that existed
		// before it.
		List<StateFile.SavedAccount> savedAccounts = accounts.snapshot();
		return new StateFile.State(jwtSecret, savedAccounts, endpoints.snapshotRefreshTokens(),
				endpoints.snapshotRecords(), endpoints.lastTidMicros());
	}

	private static String randomSecret(SecureRandom random) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * Configures a {@link PdsDouble}. Defaults follow the reference PDS: 2 h access
	 * tokens, 90-day refresh tokens, a 2 h refresh grace period, no rate limits. Two
	 * defaults follow bsky.social instead, where a client meets them: didDoc in session
	 * answers (the reference PDS only with {@code PDS_ENABLE_DID_DOC_WITH_SESSION=true})
	 * and {@code app.bsky.*} served as if an AppView stood behind (a lone reference PDS
	 * answers "No service configured").
	 */
	public static final class Builder {

		Clock clock = Clock.systemUTC();

		String jwtSecret;

		boolean didDocWithSession = true;

		String didDocPdsEndpoint;

		boolean rateLimits;

		int recordedCallsLimit = RECORDED_CALLS_LIMIT;

		boolean rateLimitRetryAfter;

		int createSessionPerFiveMinutes = 30;

		int createSessionPerDay = 300;

		boolean appView = true;

		Duration accessTokenLifetime = Duration.ofHours(2);

		Duration refreshTokenLifetime = Duration.ofDays(90);

		Duration refreshGracePeriod = Duration.ofHours(2);

		String hostname = "localhost";

		int port;

		Path stateFile;

		private Builder() {
		}

		/**
		 * The port to bind on {@code 127.0.0.1}, e.g. for a demo server whose URL must
		 * not change across restarts.
		 * @param port 1 to 65535, or 0 (the default) for a free port chosen by the system
		 * @return this builder
		 * @throws IllegalArgumentException if the port is out of range
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
			}
			this.port = port;
			return this;
		}

		/**
		 * Keeps the double's state in a JSON file so that it survives a restart of the
		 * JVM. At {@link #start()} the double loads the file if it exists (its directory
		 * is created if missing); after every change it saves it again, atomically (a
		 * temporary file in the same directory moved over it). Saved: the JWT secret, the
		 * accounts (DID, handle, email, the SHA-256 digest of the password, takedown,
		 * deactivation and sign-in code), the refresh-token table (id, account, expiry,
		 * successor) and the records. Not saved: call counts, recorded calls, pending
		 * faults and rate-limit windows.
		 *
		 * <p>
		 * A save that fails (say, a full disk) fails the call that made the change: an
		 * XRPC call then answers 500, an admin method such as
		 * {@link PdsDouble#createAccount} throws {@link UncheckedIOException}; the change
		 * stays in memory and the next save writes it.
		 *
		 * <p>
		 * The file holds the signing secret and password digests; it is created readable
		 * by its owner only. A secret set with {@link #jwtSecret(String)} wins over the
		 * saved one (and replaces it in the file), which makes tokens issued before the
		 * restart invalid; without it the saved secret is used. The tokens' audience
		 * comes from {@link #hostname(String)}, so keep it the same across restarts too.
		 * @param file the state file, e.g. {@code target/pds-double/state.json}
		 * @return this builder
		 */
		public Builder stateFile(Path file) {
			this.stateFile = Objects.requireNonNull(file, "file");
			return this;
		}

		/**
		 * The clock for token times, grace periods, rate-limit windows and call records.
		 * @param clock usually a {@link MutableClock}; default {@link Clock#systemUTC()}
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The HS256 signing secret.
		 * @param jwtSecret the secret; default a random one
		 * @return this builder
		 */
		public Builder jwtSecret(String jwtSecret) {
			this.jwtSecret = Objects.requireNonNull(jwtSecret, "jwtSecret");
			return this;
		}

		/**
		 * Whether session answers carry a didDoc, like bsky.social (and the reference PDS
		 * with {@code PDS_ENABLE_DID_DOC_WITH_SESSION=true}).
		 * @param enabled default {@code true}
		 * @return this builder
		 */
		public Builder didDocWithSession(boolean enabled) {
			this.didDocWithSession = enabled;
			return this;
		}

		/**
		 * The {@code serviceEndpoint} of the {@code #atproto_pds} service in the didDoc,
		 * to test clients that must switch to the user's own PDS.
		 * @param endpoint default the double's own {@link #url()}
		 * @return this builder
		 */
		public Builder didDocPdsEndpoint(String endpoint) {
			this.didDocPdsEndpoint = Objects.requireNonNull(endpoint, "endpoint");
			return this;
		}

		/**
		 * How many of the most recent calls {@link PdsDouble#calls()} keeps; the counters
		 * count every call whatever this says.
		 * @param limit at least 1; {@value PdsDouble#RECORDED_CALLS_LIMIT} by default
		 * @return this builder
		 */
		public Builder recordedCalls(int limit) {
			if (limit < 1) {
				throw new IllegalArgumentException("recordedCalls must be at least 1, not " + limit);
			}
			this.recordedCallsLimit = limit;
			return this;
		}

		/**
		 * Whether calls are rate limited, as on the reference PDS with
		 * {@code PDS_RATE_LIMITS_ENABLED}: every XRPC call 3000 per 5 minutes per client
		 * address; createSession also 30 per 5 minutes and 300 per day per identifier
		 * (exactly as sent) and address; createAccount 100 per 5 minutes per address;
		 * createRecord 5000 points an hour and 35000 a day per account (3 a record).
		 * Counted after the token and input checks; every counted answer carries the
		 * {@code RateLimit-*} headers of the tightest limit, and an exceeded one answers
		 * 429 {@code RateLimitExceeded} without {@code Retry-After} (see
		 * {@link #rateLimitRetryAfter}).
		 * @param enabled default {@code false}
		 * @return this builder
		 */
		public Builder rateLimits(boolean enabled) {
			this.rateLimits = enabled;
			return this;
		}

		/**
		 * Whether a 429 also carries {@code Retry-After} (seconds until the reset). The
		 * reference PDS (0.4) sends none, only the absolute {@code RateLimit-Reset}; a
		 * proxy or another server in front may add one.
		 * @param enabled default {@code false}
		 * @return this builder
		 */
		public Builder rateLimitRetryAfter(boolean enabled) {
			this.rateLimitRetryAfter = enabled;
			return this;
		}

		/**
		 * The createSession limits per identifier and client IP (only used with
		 * {@link #rateLimits(boolean) rateLimits(true)}).
		 * @param perFiveMinutes default 30
		 * @param perDay default 300 (bsky.social's entryway has been seen at 100)
		 * @return this builder
		 */
		public Builder createSessionLimit(int perFiveMinutes, int perDay) {
			if (perFiveMinutes < 1 || perDay < 1) {
				throw new IllegalArgumentException("limits must be positive");
			}
			this.createSessionPerFiveMinutes = perFiveMinutes;
			this.createSessionPerDay = perDay;
			return this;
		}

		/**
		 * Whether {@code app.bsky.*} methods are served. Without an AppView a lone PDS
		 * answers them 400 {@code InvalidRequest "No service configured for <nsid>"}.
		 * @param enabled default {@code true}
		 * @return this builder
		 */
		public Builder appView(boolean enabled) {
			this.appView = enabled;
			return this;
		}

		/**
		 * Lifetime of access tokens; {@link Duration#ZERO} makes every access token
		 * expired on arrival.
		 * @param lifetime default 2 hours
		 * @return this builder
		 */
		public Builder accessTokenLifetime(Duration lifetime) {
			this.accessTokenLifetime = notNegative(lifetime);
			return this;
		}

		/**
		 * Lifetime of refresh tokens.
		 * @param lifetime default 90 days
		 * @return this builder
		 */
		public Builder refreshTokenLifetime(Duration lifetime) {
			this.refreshTokenLifetime = notNegative(lifetime);
			return this;
		}

		/**
		 * How long a used refresh token stays usable after its first use.
		 * {@link Duration#ZERO} emulates servers that revoke a used refresh token at
		 * once.
		 * @param grace default 2 hours
		 * @return this builder
		 */
		public Builder refreshGracePeriod(Duration grace) {
			this.refreshGracePeriod = notNegative(grace);
			return this;
		}

		/**
		 * The server's hostname; the tokens' audience is {@code did:web:<hostname>}.
		 * Handles must end in {@code .test} whatever the hostname.
		 * @param hostname default {@code localhost}
		 * @return this builder
		 */
		public Builder hostname(String hostname) {
			this.hostname = Objects.requireNonNull(hostname, "hostname");
			return this;
		}

		/**
		 * Loads the {@link #stateFile(Path) state file} if there is one, binds
		 * {@code 127.0.0.1} on the {@link #port(int) port} (a free one by default) and
		 * starts serving.
		 * @return the running double; close it when done
		 * @throws IllegalStateException if the port is in use, or the state file is
		 * corrupt (the message names the file and says to delete it) or cannot be read
		 * @throws UncheckedIOException if the server cannot be created or the state file
		 * cannot be written
		 */
		public PdsDouble start() {
			try {
				return new PdsDouble(this);
			}
			catch (IOException e) {
				throw new UncheckedIOException("Could not start the PDS double", e);
			}
		}

		private static Duration notNegative(Duration duration) {
			Objects.requireNonNull(duration, "duration");
			if (duration.isNegative()) {
				throw new IllegalArgumentException("duration must not be negative: " + duration);
			}
			return duration;
		}

	}

}
