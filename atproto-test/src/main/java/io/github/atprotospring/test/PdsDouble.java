package io.github.atprotospring.test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process stand-in for an atproto PDS (Personal Data Server) that answers XRPC calls the way
 * the reference PDS does: same statuses, error names, messages and headers. It lets client tests
 * exercise login, token refresh and rotation, expiry, revocation, rate limits and transport faults
 * without a network or a real server.
 *
 * <p>Served methods: {@code com.atproto.server.createAccount}, {@code createSession},
 * {@code refreshSession}, {@code getSession}, {@code deleteSession},
 * {@code com.atproto.repo.createRecord}, {@code getRecord}, {@code app.bsky.actor.getProfile} and
 * {@code /xrpc/_health}. Time comes from the injected {@link Clock}, so a {@link MutableClock}
 * drives token expiry, refresh grace periods and rate-limit windows.
 *
 * <p>The server binds {@code 127.0.0.1} on a free port and serves requests on a pool of daemon
 * threads, so concurrent clients are not serialised. It never logs tokens or passwords, and the
 * call log keeps no credentials.
 */
public final class PdsDouble implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PdsDouble.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String XRPC = "/xrpc/";

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
        /** 500 {@code {"error":"InternalServerError","message":"Internal Server Error"}}. */
        INTERNAL_SERVER_ERROR(500, "InternalServerError", "Internal Server Error"),
        /** 502 {@code {"error":"UpstreamFailure","message":"Upstream Failure"}}. */
        BAD_GATEWAY(502, "UpstreamFailure", "Upstream Failure"),
        /** 503 {@code {"error":"NotEnoughResources","message":"Not Enough Resources"}}. */
        SERVICE_UNAVAILABLE(503, "NotEnoughResources", "Not Enough Resources"),
        /**
         * The connection breaks mid-answer: the request is read, the status line and headers of a
         * chunked 200 are sent, and the connection is closed before the body ends. Any client
         * reading the answer gets an {@link IOException}, with no silent retry (JDK clients retry
         * a request whose connection closed before any response byte, so that is not used).
         * Recorded with status {@code 0}.
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

    /** Pending injected faults; {@code nsid == null} matches every method. Guarded by {@code faults}. */
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
    private final Endpoints endpoints;
    private final String url;
    private final List<PendingFault> faults = new ArrayList<>();
    private final Map<String, AtomicInteger> callCounts = new ConcurrentHashMap<>();
    private final AtomicInteger totalCalls = new AtomicInteger();
    private final List<RecordedCall> calls = new ArrayList<>();

    private PdsDouble(Builder builder) throws IOException {
        SecureRandom random = new SecureRandom();
        this.clock = builder.clock;
        this.jwtSecret = builder.jwtSecret != null ? builder.jwtSecret : randomSecret(random);
        this.accounts = new Accounts(random);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        AtomicInteger threads = new AtomicInteger();
        // The default HttpServer executor is the dispatcher thread itself, which would serialise
        // concurrent clients; daemon threads keep a forgotten double from holding the JVM open.
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "pds-double-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.url = "http://127.0.0.1:" + server.getAddress().getPort();
        Jwt jwt = new Jwt(JSON, jwtSecret, "did:web:" + builder.hostname);
        this.endpoints = new Endpoints(builder, builder.didDocPdsEndpoint != null ? builder.didDocPdsEndpoint : url,
                JSON, accounts, jwt, random);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts configuring a double.
     *
     * @return a builder with the reference PDS's defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URL of the double, without a trailing slash.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public String url() {
        return url;
    }

    /**
     * The port the double listens on.
     *
     * @return the bound port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Changes the PDS endpoint that later session answers name in their DID document, for example to
     * {@code http://localhost:<port>} so that a test can tell calls sent to the DID document's endpoint
     * from calls sent to {@link #url()}, although both reach this double.
     *
     * @param endpoint the {@code serviceEndpoint} of the {@code #atproto_pds} service
     */
    public void setDidDocPdsEndpoint(String endpoint) {
        endpoints.pdsEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * Creates an account directly, without an HTTP call (and without counting one).
     *
     * @param handle a handle ending in {@code .test}, matched case-insensitively
     * @param email the account's email
     * @param password the account's password
     * @return the new account
     * @throws IllegalArgumentException if the handle is not a {@code .test} handle or the handle or
     *     email is taken
     */
    public Account createAccount(String handle, String email, String password) {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(password, "password");
        try {
            return accounts.create(handle, email, password).toAccount();
        } catch (XrpcException e) {
            throw new IllegalArgumentException(e.error() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes an account down: createSession then answers 401 {@code AccountTakedown} (unless called
     * with {@code allowTakendown}) and refreshSession answers 401 {@code AccountTakedown}.
     *
     * @param did the account's DID
     * @throws IllegalArgumentException if there is no such account
     */
    public void takedown(String did) {
        accounts.require(did).takenDown = true;
    }

    /**
     * Deactivates an account: createSession then answers 401 {@code AccountDeactivated}.
     *
     * @param did the account's DID
     * @throws IllegalArgumentException if there is no such account
     */
    public void deactivate(String did) {
        accounts.require(did).deactivated = true;
    }

    /**
     * Turns on email two-factor login for an account, as bsky.social does: createSession without
     * {@code authFactorToken} answers 401 {@code AuthFactorTokenRequired}, with a wrong one 401
     * {@code InvalidToken "Token is invalid"}.
     *
     * @param did the account's DID
     * @param code the code the "mailed" message would contain
     * @throws IllegalArgumentException if there is no such account
     */
    public void requireAuthFactor(String did, String code) {
        accounts.require(did).authFactorCode = Objects.requireNonNull(code, "code");
    }

    /**
     * How many requests for one method were received since start or the last
     * {@link #resetCounters()}, including those answered with an injected fault.
     *
     * @param nsid the method, e.g. {@code com.atproto.server.refreshSession}
     * @return the count
     */
    public int callCount(String nsid) {
        AtomicInteger count = callCounts.get(nsid);
        return count == null ? 0 : count.get();
    }

    /**
     * How many XRPC requests were received in all (health checks excluded).
     *
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
     * The calls received so far, oldest first. Each is recorded before its answer is sent, so a
     * client that has its answer will find its call here.
     *
     * @return an immutable snapshot
     */
    public List<RecordedCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /**
     * Answers the next {@code n} XRPC requests, whatever their method, with a fault instead of
     * their real answer.
     *
     * @param n how many requests to fail
     * @param fault what to answer
     */
    public void failNext(int n, Fault fault) {
        addFault(null, n, fault);
    }

    /**
     * Answers the next {@code n} requests for one method with a fault instead of their real answer.
     * Faults are consumed in the order they were injected.
     *
     * @param nsid the method to fail
     * @param n how many requests to fail
     * @param fault what to answer
     */
    public void failNext(String nsid, int n, Fault fault) {
        addFault(Objects.requireNonNull(nsid, "nsid"), n, fault);
    }

    /**
     * Mints an access token the double accepts until {@code expiresAt}, without creating a session;
     * for tests of expiry handling.
     *
     * @param did the account the token is for
     * @param expiresAt its {@code exp} (truncated to seconds)
     * @return a signed access JWT
     */
    public String mintAccessToken(String did, Instant expiresAt) {
        return endpoints.mintAccessToken(Objects.requireNonNull(did, "did"), Objects.requireNonNull(expiresAt, "expiresAt"));
    }

    /**
     * The HS256 secret the double signs tokens with.
     *
     * @return the secret
     */
    public String jwtSecret() {
        return jwtSecret;
    }

    /** Stops the server at once and its threads. */
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
            Endpoints.Response response;
            if (nsid == null) {
                response = endpoints.error(new XrpcException(404, "NotFound", "Not Found"));
            } else if (!counted) {
                response = new Endpoints.Response(200, JSON.createObjectNode().put("version", "double"), Map.of());
            } else {
                response = fault != null
                        ? endpoints.error(new XrpcException(fault.status, fault.error, fault.message))
                        : serve(exchange, nsid, exchange.getRequestMethod(), body);
                record(exchange, nsid, response.status(), received);
            }
            send(exchange, response);
        }
    }

    /**
     * Sends the head of a chunked 200 and then fails the exchange without closing it, which makes
     * the server close the socket before the body's terminating chunk: every JDK client reading
     * the answer gets an {@link IOException}. A close before any response byte is not used because
     * JDK clients silently retry such a request once (HttpClient for GET, HttpURLConnection even
     * for POST), so the fault would often not reach the code under test.
     */
    private static void breakConnection(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        throw new IOException("Connection dropped by an injected PdsDouble fault");
    }

    private Endpoints.Response serve(HttpExchange exchange, String nsid, String method, byte[] body) {
        try {
            return endpoints.dispatch(new Endpoints.Request(nsid, method, exchange.getRequestHeaders(),
                    params(exchange.getRequestURI().getRawQuery()), body, clientIp(exchange)));
        } catch (RuntimeException e) {
            log.warn("PDS double failed on {}", nsid, e);
            return endpoints.error(new XrpcException(500, "InternalServerError", "Internal Server Error"));
        }
    }

    private void record(HttpExchange exchange, String nsid, int status, Instant received) {
        log.debug("{} {} -> {}", exchange.getRequestMethod(), nsid, status);
        RecordedCall call = new RecordedCall(nsid, exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Host"), status, received);
        synchronized (calls) {
            callCounts.computeIfAbsent(nsid, key -> new AtomicInteger()).incrementAndGet();
            totalCalls.incrementAndGet();
            calls.add(call);
        }
    }

    private static void send(HttpExchange exchange, Endpoints.Response response) throws IOException {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client address used for rate limiting: the first X-Forwarded-For hop, as behind a proxy. */
    private static String clientIp(HttpExchange exchange) {
        String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",", 2)[0].trim();
        }
        return exchange.getRemoteAddress().getAddress().getHostAddress();
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
            for (Iterator<PendingFault> it = faults.iterator(); it.hasNext(); ) {
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

    private static String randomSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Configures a {@link PdsDouble}. Defaults follow the reference PDS: 2 h access tokens,
     * 90-day refresh tokens, a 2 h refresh grace period, didDoc in session answers, no rate limits.
     */
    public static final class Builder {
        Clock clock = Clock.systemUTC();
        String jwtSecret;
        boolean didDocWithSession = true;
        String didDocPdsEndpoint;
        boolean rateLimits;
        int createSessionPerFiveMinutes = 30;
        int createSessionPerDay = 300;
        boolean appView = true;
        Duration accessTokenLifetime = Duration.ofHours(2);
        Duration refreshTokenLifetime = Duration.ofDays(90);
        Duration refreshGracePeriod = Duration.ofHours(2);
        String hostname = "localhost";

        private Builder() {
        }

        /**
         * The clock for token times, grace periods, rate-limit windows and call records.
         *
         * @param clock usually a {@link MutableClock}; default {@link Clock#systemUTC()}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The HS256 signing secret.
         *
         * @param jwtSecret the secret; default a random one
         * @return this builder
         */
        public Builder jwtSecret(String jwtSecret) {
            this.jwtSecret = Objects.requireNonNull(jwtSecret, "jwtSecret");
            return this;
        }

        /**
         * Whether session answers carry a didDoc, like bsky.social (and the reference PDS with
         * {@code PDS_ENABLE_DID_DOC_WITH_SESSION=true}).
         *
         * @param enabled default {@code true}
         * @return this builder
         */
        public Builder didDocWithSession(boolean enabled) {
            this.didDocWithSession = enabled;
            return this;
        }

        /**
         * The {@code serviceEndpoint} of the {@code #atproto_pds} service in the didDoc, to test
         * clients that must switch to the user's own PDS.
         *
         * @param endpoint default the double's own {@link #url()}
         * @return this builder
         */
        public Builder didDocPdsEndpoint(String endpoint) {
            this.didDocPdsEndpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Whether createSession is rate limited (the reference PDS with {@code PDS_RATE_LIMITS_ENABLED}).
         *
         * @param enabled default {@code false}
         * @return this builder
         */
        public Builder rateLimits(boolean enabled) {
            this.rateLimits = enabled;
            return this;
        }

        /**
         * The createSession limits per identifier and client IP (only used with
         * {@link #rateLimits(boolean) rateLimits(true)}).
         *
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
         * Whether {@code app.bsky.*} methods are served. Without an AppView a lone PDS answers them
         * 400 {@code InvalidRequest "No service configured for <nsid>"}.
         *
         * @param enabled default {@code true}
         * @return this builder
         */
        public Builder appView(boolean enabled) {
            this.appView = enabled;
            return this;
        }

        /**
         * Lifetime of access tokens; {@link Duration#ZERO} makes every access token expired on
         * arrival.
         *
         * @param lifetime default 2 hours
         * @return this builder
         */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = notNegative(lifetime);
            return this;
        }

        /**
         * Lifetime of refresh tokens.
         *
         * @param lifetime default 90 days
         * @return this builder
         */
        public Builder refreshTokenLifetime(Duration lifetime) {
            this.refreshTokenLifetime = notNegative(lifetime);
            return this;
        }

        /**
         * How long a used refresh token stays usable after its first use. {@link Duration#ZERO}
         * emulates servers that revoke a used refresh token at once.
         *
         * @param grace default 2 hours
         * @return this builder
         */
        public Builder refreshGracePeriod(Duration grace) {
            this.refreshGracePeriod = notNegative(grace);
            return this;
        }

        /**
         * The server's hostname; the tokens' audience is {@code did:web:<hostname>}. Handles must
         * end in {@code .test} whatever the hostname.
         *
         * @param hostname default {@code localhost}
         * @return this builder
         */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /**
         * Binds {@code 127.0.0.1} on a free port and starts serving.
         *
         * @return the running double; close it when done
         * @throws UncheckedIOException if the port cannot be bound
         */
        public PdsDouble start() {
            try {
                return new PdsDouble(this);
            } catch (IOException e) {
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
