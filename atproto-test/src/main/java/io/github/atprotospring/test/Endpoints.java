package io.github.atprotospring.test;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The XRPC methods the double serves, with the checks, error names and messages of the reference
 * PDS (see {@code protocol-notes.md}). Transport concerns (faults, counting, HTTP) stay in
 * {@link PdsDouble}; this class turns a parsed request into a status, a JSON body and headers.
 */
final class Endpoints {

    /** A request as the endpoints see it; the body is raw so the endpoint decides how to read it. */
    record Request(String nsid, String method, Headers headers, Map<String, String> params, byte[] body,
            String clientIp) {
    }

    /** An answer; a {@code null} body means an empty 200 such as deleteSession's. */
    record Response(int status, JsonNode body, Map<String, String> headers) {
    }

    private interface Handler {
        Response handle(Request request);
    }

    private record Route(String method, boolean hasInput, Handler handler) {
    }

    private record Tokens(String access, String refresh) {
        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    private record StoredRecord(String repo, String collection, String rkey, String cid, JsonNode value) {
        String uri() {
            return uri(repo, collection, rkey);
        }

        static String uri(String repo, String collection, String rkey) {
            return "at://" + repo + "/" + collection + "/" + rkey;
        }
    }

    private static final String TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
    private static final String POST = "app.bsky.feed.post";
    private static final String PROFILE = "app.bsky.actor.profile";

    private final JsonMapper json;
    private final Clock clock;
    private final Accounts accounts;
    private final Jwt jwt;
    private final RefreshTokenStore refreshTokens = new RefreshTokenStore();
    private final RateLimiter loginLimiter;
    private final SecureRandom random;
    private final boolean didDocWithSession;
    /** Changeable while running, so a test can name the double by another host than the one it logs in to. */
    private volatile String pdsEndpoint;
    private final boolean appView;
    private final Duration accessLifetime;
    private final Duration refreshLifetime;
    private final Duration refreshGrace;
    private final Map<String, StoredRecord> records = new ConcurrentHashMap<>();
    private final AtomicLong lastTidMicros = new AtomicLong();
    private final int tidClockId;
    private final Map<String, Route> routes;
    /** Told after every change of the accounts, the refresh-token table or the records, outside their locks. */
    private final Runnable changed;

    Endpoints(PdsDouble.Builder config, String pdsEndpoint, JsonMapper json, Accounts accounts, Jwt jwt,
            SecureRandom random, Runnable changed) {
        this.json = json;
        this.changed = changed;
        this.clock = config.clock;
        this.accounts = accounts;
        this.jwt = jwt;
        this.random = random;
        this.didDocWithSession = config.didDocWithSession;
        this.pdsEndpoint = pdsEndpoint;
        this.appView = config.appView;
        this.accessLifetime = config.accessTokenLifetime;
        this.refreshLifetime = config.refreshTokenLifetime;
        this.refreshGrace = config.refreshGracePeriod;
        this.loginLimiter = config.rateLimits
                ? new RateLimiter(List.of(new RateLimiter.Window(config.createSessionPerFiveMinutes, Duration.ofMinutes(5)),
                        new RateLimiter.Window(config.createSessionPerDay, Duration.ofDays(1))))
                : null;
        this.tidClockId = random.nextInt(1024);
        this.routes = Map.of(
                "com.atproto.server.createAccount", new Route("POST", true, this::createAccount),
                "com.atproto.server.createSession", new Route("POST", true, this::createSession),
                "com.atproto.server.refreshSession", new Route("POST", false, this::refreshSession),
                "com.atproto.server.getSession", new Route("GET", false, this::getSession),
                "com.atproto.server.deleteSession", new Route("POST", false, this::deleteSession),
                "com.atproto.repo.createRecord", new Route("POST", true, this::createRecord),
                "com.atproto.repo.getRecord", new Route("GET", false, this::getRecord),
                "app.bsky.actor.getProfile", new Route("GET", false, this::getProfile));
    }

    void pdsEndpoint(String endpoint) {
        this.pdsEndpoint = endpoint;
    }

    Response dispatch(Request request) {
        try {
            if (request.nsid().startsWith("app.bsky.") && !appView) {
                // What a PDS without a configured AppView answers for anything it would proxy.
                throw XrpcException.invalidRequest("No service configured for " + request.nsid());
            }
            Route route = routes.get(request.nsid());
            if (route == null) {
                throw new XrpcException(501, "MethodNotImplemented", "Method Not Implemented");
            }
            if (!route.method().equals(request.method())) {
                throw XrpcException.invalidRequest(
                        "Incorrect HTTP method (" + request.method() + ") expected " + route.method());
            }
            checkBody(route, request);
            return route.handler().handle(request);
        } catch (XrpcException e) {
            return error(e);
        }
    }

    Response error(XrpcException e) {
        ObjectNode body = json.createObjectNode().put("error", e.error()).put("message", e.getMessage());
        return new Response(e.status(), body, e.headers());
    }

    /** Mints an access token without a session, for tests of expiry handling. */
    String mintAccessToken(String did, Instant expiresAt) {
        long exp = expiresAt.getEpochSecond();
        return jwt.access(did, Math.min(clock.instant().getEpochSecond(), exp), exp);
    }

    // ---- state file ----

    List<StateFile.SavedToken> snapshotRefreshTokens() {
        return refreshTokens.snapshot();
    }

    /** The records, oldest key first within a collection, for the state file. */
    List<StateFile.SavedRecord> snapshotRecords() {
        List<StateFile.SavedRecord> saved = new ArrayList<>(records.size());
        for (StoredRecord stored : records.values()) {
            saved.add(new StateFile.SavedRecord(stored.repo(), stored.collection(), stored.rkey(), stored.cid(),
                    stored.value().deepCopy()));
        }
        saved.sort(Comparator.comparing(StateFile.SavedRecord::repo).thenComparing(StateFile.SavedRecord::collection)
                .thenComparing(StateFile.SavedRecord::rkey));
        return saved;
    }

    long lastTidMicros() {
        return lastTidMicros.get();
    }

    /**
     * Loads the refresh tokens and records of a state file; called before the server starts and
     * after the accounts are restored, whose post counts it rebuilds.
     */
    void restore(StateFile.State state) {
        refreshTokens.restore(state.refreshTokens());
        for (StateFile.SavedRecord saved : state.records()) {
            StoredRecord stored = new StoredRecord(saved.repo(), saved.collection(), saved.rkey(), saved.cid(),
                    saved.value().deepCopy());
            if (records.put(stored.uri(), stored) == null && saved.collection().equals(POST)) {
                accounts.byDidOrHandle(saved.repo()).ifPresent(account -> account.posts.incrementAndGet());
            }
        }
        lastTidMicros.accumulateAndGet(state.lastTidMicros(), Math::max);
    }

    // ---- com.atproto.server ----

    private Response createAccount(Request request) {
        ObjectNode input = input(request);
        String handle = requiredString(input, "handle");
        String email = optionalString(input, "email");
        String password = optionalString(input, "password");
        if (email == null) {
            throw XrpcException.invalidRequest("Email is required");
        }
        if (password == null) {
            throw XrpcException.invalidRequest("Password is required");
        }
        Accounts.State account = accounts.create(handle, email, password);
        Tokens tokens = issue(account.did, clock.instant());
        changed.run();
        return ok(session(account, tokens));
    }

    private Response createSession(Request request) {
        ObjectNode input = input(request);
        String identifier = requiredString(input, "identifier");
        String password = requiredString(input, "password");
        String authFactorToken = optionalString(input, "authFactorToken");
        boolean allowTakendown = input.path("allowTakendown").booleanValue(false);
        Instant now = clock.instant();
        Map<String, String> limitHeaders = Map.of();
        if (loginLimiter != null) {
            RateLimiter.Decision decision =
                    loginLimiter.consume(identifier.toLowerCase(Locale.ROOT) + "-" + request.clientIp(), now);
            limitHeaders = decision.headers();
            if (!decision.allowed()) {
                throw new XrpcException(429, "RateLimitExceeded", "Rate Limit Exceeded", limitHeaders);
            }
        }
        try {
            Accounts.State account = accounts.byIdentifier(identifier)
                    .filter(candidate -> candidate.passwordMatches(password))
                    .orElseThrow(() -> new XrpcException(401, "AuthenticationRequired", "Invalid identifier or password"));
            if (account.takenDown && !allowTakendown) {
                throw new XrpcException(401, "AccountTakedown", "Account has been taken down");
            }
            String expectedCode = account.authFactorCode;
            if (expectedCode != null) {
                if (authFactorToken == null) {
                    throw new XrpcException(401, "AuthFactorTokenRequired",
                            "A sign in code has been sent to your email address");
                }
                if (!MessageDigest.isEqual(expectedCode.getBytes(StandardCharsets.UTF_8),
                        authFactorToken.trim().getBytes(StandardCharsets.UTF_8))) {
                    throw new XrpcException(401, "InvalidToken", "Token is invalid");
                }
            }
            if (account.deactivated) {
                throw new XrpcException(401, "AccountDeactivated", "Account is deactivated");
            }
            Tokens tokens = issue(account.did, now);
            changed.run();
            return new Response(200, session(account, tokens), limitHeaders);
        } catch (XrpcException e) {
            throw new XrpcException(e.status(), e.error(), e.getMessage(), limitHeaders);
        }
    }

    private Response refreshSession(Request request) {
        Instant now = clock.instant();
        Jwt.Claims claims = verify(request, Jwt.REFRESH_TYP, Set.of(Jwt.REFRESH_SCOPE), now);
        Accounts.State account = accounts.byDidOrHandle(claims.sub())
                .orElseThrow(() -> new XrpcException(401, "AuthenticationRequired", "Could not find user info for account"));
        if (account.takenDown) {
            throw new XrpcException(401, "AccountTakedown", "Account has been taken down");
        }
        long iat = now.getEpochSecond();
        Instant refreshExpiry = Instant.ofEpochSecond(iat).plus(refreshLifetime);
        RefreshTokenStore.Rotation rotation = refreshTokens
                .rotate(claims.jti(), now, refreshGrace, this::newTokenId, refreshExpiry)
                .orElseThrow(() -> new XrpcException(400, "ExpiredToken", "Token has been revoked"));
        // A failed rotation may have dropped an expired row; the saved table needs no update for that.
        changed.run();
        Tokens tokens = new Tokens(jwt.access(rotation.did(), iat, iat + accessLifetime.toSeconds()),
                jwt.refresh(rotation.did(), rotation.nextId(), iat, refreshExpiry.getEpochSecond()));
        return ok(session(account, tokens));
    }

    private Response getSession(Request request) {
        Jwt.Claims claims = verify(request, Jwt.ACCESS_TYP, Jwt.ACCESS_SCOPES, clock.instant());
        Accounts.State account = accounts.byDidOrHandle(claims.sub())
                .orElseThrow(() -> new XrpcException(401, "AuthenticationRequired", "Could not find user info for account"));
        ObjectNode body = json.createObjectNode()
                .put("handle", account.handle)
                .put("did", account.did)
                .put("email", account.email)
                .put("emailConfirmed", false)
                .put("emailAuthFactor", account.authFactorCode != null);
        if (didDocWithSession) {
            body.set("didDoc", didDoc(account));
        }
        return ok(putStatus(body, account));
    }

    private Response deleteSession(Request request) {
        Jwt.Claims claims = verify(request, Jwt.REFRESH_TYP, Set.of(Jwt.REFRESH_SCOPE), clock.instant());
        refreshTokens.revoke(claims.jti());
        changed.run();
        return new Response(200, null, Map.of());
    }

    // ---- com.atproto.repo ----

    private Response createRecord(Request request) {
        // Like xrpc-server: the input's shape is checked before the caller's token.
        ObjectNode input = input(request);
        String repo = requiredString(input, "repo");
        String collection = requiredString(input, "collection");
        String rkey = optionalString(input, "rkey");
        JsonNode validateFlag = input.get("validate");
        boolean validate = validateFlag == null || !validateFlag.isBoolean() || validateFlag.booleanValue();
        JsonNode record = input.get("record");
        if (record == null || record.isNull()) {
            throw XrpcException.invalidRequest("Input must have the property \"record\"");
        }
        if (!record.isObject()) {
            throw XrpcException.invalidRequest("Input/record must be an object");
        }
        Jwt.Claims claims = verify(request, Jwt.ACCESS_TYP, Jwt.ACCESS_SCOPES, clock.instant());
        if (!collection.matches("[a-zA-Z]([a-zA-Z0-9-]*)(\\.[a-zA-Z0-9-]+){2,}")) {
            throw XrpcException.invalidRequest("Input/collection must be a valid nsid");
        }
        if (rkey != null && (!rkey.matches("[A-Za-z0-9._:~-]{1,512}") || rkey.equals(".") || rkey.equals(".."))) {
            throw XrpcException.invalidRequest("Input/rkey must be a valid Record Key");
        }
        Accounts.State account = accounts.byDidOrHandle(repo)
                .orElseThrow(() -> XrpcException.invalidRequest("Could not find repo: " + repo));
        if (!account.did.equals(claims.sub())) {
            // The reference PDS refuses writes to someone else's repo with a bare AuthRequiredError.
            throw new XrpcException(401, "AuthenticationRequired", "Authentication Required");
        }
        if (account.deactivated) {
            throw XrpcException.invalidRequest("Account is deactivated");
        }
        JsonNode type = record.get("$type");
        if (type == null || !type.isString()) {
            throw XrpcException.invalidRequest("Record/$type must be a string");
        }
        if (!type.stringValue().equals(collection)) {
            throw XrpcException.invalidRequest("Invalid $type: expected " + collection + ", got " + type.stringValue());
        }
        boolean known = collection.startsWith("app.bsky.");
        if (validate && known) {
            validateRecord(collection, record);
        }
        Instant now = clock.instant();
        String key = rkey != null ? rkey : tid(now);
        byte[] recordBytes = json.writeValueAsBytes(record);
        StoredRecord stored = new StoredRecord(account.did, collection, key, cid(recordBytes), record.deepCopy());
        String uri = stored.uri();
        if (records.putIfAbsent(uri, stored) != null) {
            throw XrpcException.invalidRequest("Record already exists: " + uri);
        }
        if (collection.equals(POST)) {
            account.posts.incrementAndGet();
        }
        String rev = tid(now);
        changed.run();
        ObjectNode body = json.createObjectNode().put("uri", uri).put("cid", stored.cid());
        body.putObject("commit")
                .put("cid", cid((account.did + "/" + rev).getBytes(StandardCharsets.UTF_8)))
                .put("rev", rev);
        if (validate) {
            body.put("validationStatus", known ? "valid" : "unknown");
        }
        return ok(body);
    }

    private Response getRecord(Request request) {
        String repo = requiredParam(request, "repo");
        String collection = requiredParam(request, "collection");
        String rkey = requiredParam(request, "rkey");
        Accounts.State account = accounts.byDidOrHandle(repo)
                .orElseThrow(() -> XrpcException.invalidRequest("Could not find repo: " + repo));
        String uri = StoredRecord.uri(account.did, collection, rkey);
        StoredRecord stored = records.get(uri);
        if (stored == null) {
            throw new XrpcException(400, "RecordNotFound", "Could not locate record: " + uri);
        }
        ObjectNode body = json.createObjectNode().put("uri", stored.uri()).put("cid", stored.cid());
        body.set("value", stored.value().deepCopy());
        return ok(body);
    }

    // ---- app.bsky ----

    private Response getProfile(Request request) {
        String actor = requiredParam(request, "actor");
        verify(request, Jwt.ACCESS_TYP, Jwt.ACCESS_SCOPES, clock.instant());
        Accounts.State account = accounts.byDidOrHandle(actor)
                .orElseThrow(() -> XrpcException.invalidRequest("Profile not found"));
        if (account.takenDown) {
            throw new XrpcException(400, "AccountTakedown", "Account has been suspended");
        }
        if (account.deactivated) {
            throw new XrpcException(400, "AccountDeactivated", "Account is deactivated");
        }
        ObjectNode body = json.createObjectNode().put("did", account.did).put("handle", account.handle);
        StoredRecord profile = records.get(StoredRecord.uri(account.did, PROFILE, "self"));
        if (profile != null) {
            for (String field : List.of("displayName", "description")) {
                JsonNode value = profile.value().get(field);
                if (value != null && value.isString()) {
                    body.put(field, value.stringValue());
                }
            }
        }
        body.put("followersCount", 0).put("followsCount", 0).put("postsCount", account.posts.get());
        return ok(body);
    }

    // ---- sessions and tokens ----

    private Tokens issue(String did, Instant now) {
        long iat = now.getEpochSecond();
        String jti = newTokenId();
        Instant refreshExpiry = Instant.ofEpochSecond(iat).plus(refreshLifetime);
        refreshTokens.store(jti, did, refreshExpiry);
        return new Tokens(jwt.access(did, iat, iat + accessLifetime.toSeconds()),
                jwt.refresh(did, jti, iat, refreshExpiry.getEpochSecond()));
    }

    /** Refresh-token ids as the reference PDS makes them: 32 random bytes, standard base64. */
    private String newTokenId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private Jwt.Claims verify(Request request, String typ, Set<String> scopes, Instant now) {
        String header = request.headers().getFirst("Authorization");
        if (header == null) {
            throw new XrpcException(401, "AuthMissing", "Authentication Required");
        }
        if (!header.startsWith("Bearer ")) {
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        }
        Jwt.Claims claims = jwt.verify(header.substring("Bearer ".length()).trim(), typ, scopes, now);
        if (typ.equals(Jwt.REFRESH_TYP) && claims.jti() == null) {
            throw new XrpcException(400, "InvalidToken", "Token could not be verified");
        }
        return claims;
    }

    private ObjectNode session(Accounts.State account, Tokens tokens) {
        ObjectNode body = json.createObjectNode()
                .put("accessJwt", tokens.access())
                .put("refreshJwt", tokens.refresh())
                .put("handle", account.handle)
                .put("did", account.did);
        if (didDocWithSession) {
            body.set("didDoc", didDoc(account));
        }
        body.put("email", account.email)
                .put("emailConfirmed", false)
                .put("emailAuthFactor", account.authFactorCode != null);
        return putStatus(body, account);
    }

    private static ObjectNode putStatus(ObjectNode body, Accounts.State account) {
        body.put("active", !account.takenDown && !account.deactivated);
        if (account.takenDown) {
            body.put("status", "takendown");
        } else if (account.deactivated) {
            body.put("status", "deactivated");
        }
        return body;
    }

    private ObjectNode didDoc(Accounts.State account) {
        ObjectNode doc = json.createObjectNode();
        doc.putArray("@context").add("https://www.w3.org/ns/did/v1");
        doc.put("id", account.did);
        doc.putArray("alsoKnownAs").add("at://" + account.handle);
        doc.putArray("verificationMethod");
        doc.putArray("service").addObject()
                .put("id", "#atproto_pds")
                .put("type", "AtprotoPersonalDataServer")
                .put("serviceEndpoint", pdsEndpoint);
        return doc;
    }

    // ---- input checks, with the messages of the reference lexicon validator ----

    private static void checkBody(Route route, Request request) {
        boolean present = request.body().length > 0;
        if (present && !route.hasInput()) {
            throw XrpcException.invalidRequest("A request body was provided when none was expected");
        }
        if (!route.hasInput()) {
            return;
        }
        if (!present) {
            throw XrpcException.invalidRequest("A request body is expected but none was provided");
        }
        String contentType = request.headers().getFirst("Content-Type");
        if (contentType == null || contentType.isBlank()) {
            throw XrpcException.invalidRequest("Request encoding (Content-Type) required but not provided");
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json")) {
            throw XrpcException.invalidRequest("Wrong request encoding (Content-Type): " + mime);
        }
    }

    private ObjectNode input(Request request) {
        JsonNode node;
        try {
            node = json.readTree(request.body());
        } catch (JacksonException e) {
            throw XrpcException.invalidRequest("Request body is not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw XrpcException.invalidRequest("Input must be an object");
        }
        return object;
    }

    private static String requiredString(JsonNode input, String field) {
        String value = optionalString(input, field);
        if (value == null) {
            throw XrpcException.invalidRequest("Input must have the property \"" + field + "\"");
        }
        return value;
    }

    private static String optionalString(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw XrpcException.invalidRequest("Input/" + field + " must be a string");
        }
        return value.stringValue();
    }

    private static String requiredParam(Request request, String name) {
        String value = request.params().get(name);
        if (value == null) {
            throw XrpcException.invalidRequest("Params must have the property \"" + name + "\"");
        }
        return value;
    }

    private static void validateRecord(String collection, JsonNode record) {
        if (collection.equals(POST)) {
            recordString(record, "text", true);
            String createdAt = recordString(record, "createdAt", true);
            try {
                OffsetDateTime.parse(createdAt);
            } catch (DateTimeParseException e) {
                throw XrpcException.invalidRequest(
                        "Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)");
            }
        } else if (collection.equals(PROFILE)) {
            recordString(record, "displayName", false);
            recordString(record, "description", false);
        }
    }

    private static String recordString(JsonNode record, String field, boolean required) {
        JsonNode value = record.get(field);
        if (value == null) {
            if (required) {
                throw XrpcException.invalidRequest("Record must have the property \"" + field + "\"");
            }
            return null;
        }
        if (!value.isString()) {
            throw XrpcException.invalidRequest("Record/" + field + " must be a string");
        }
        return value.stringValue();
    }

    // ---- identifiers ----

    /**
     * A TID: microseconds since the epoch and a clock id, base32-sortable, 13 characters. Kept
     * strictly increasing so that a clock that never moves still yields unique keys.
     */
    private String tid(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        long value = lastTidMicros.updateAndGet(previous -> Math.max(previous + 1, micros));
        long tid = (value << 10) | tidClockId;
        char[] chars = new char[13];
        for (int i = 12; i >= 0; i--) {
            chars[i] = TID_ALPHABET.charAt((int) (tid & 31));
            tid >>>= 5;
        }
        return new String(chars);
    }

    /** A CIDv1 (dag-cbor, sha-256) over the given bytes: the same shape as a real one, "bafyrei…". */
    private static String cid(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            byte[] bytes = new byte[4 + hash.length];
            bytes[0] = 0x01;
            bytes[1] = 0x71;
            bytes[2] = 0x12;
            bytes[3] = 0x20;
            System.arraycopy(hash, 0, bytes, 4, hash.length);
            return "b" + base32Lower(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String base32Lower(byte[] bytes) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder out = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body, Map.of());
    }
}
