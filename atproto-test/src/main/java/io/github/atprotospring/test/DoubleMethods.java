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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The XRPC methods the double serves, with the checks, error names and messages of the
 * reference PDS (see {@code protocol-notes.md}). Transport concerns (faults, counting,
 * HTTP) stay in {@link PdsDouble}; this class turns a parsed request into a status, a
 * JSON body and headers.
 */
final class DoubleMethods {

	/**
	 * A request as the endpoints see it; the body is raw so the endpoint decides how to
	 * read it. The rate-limit headers the request earned are collected in
	 * {@code rateLimitHeaders}, so that an error raised after the limits were counted
	 * still carries them, as on the reference PDS.
	 */
	record Request(String nsid, String method, Headers headers, Map<String, String> params, byte[] body,
			String clientIp, Map<String, String> rateLimitHeaders) {

		Request(String nsid, String method, Headers headers, Map<String, String> params, byte[] body, String clientIp) {
			this(nsid, method, headers, params, body, clientIp, new LinkedHashMap<>());
		}
	}

	/**
	 * One limit a route counts against: the limiter, the key, and the points the call
	 * costs.
	 */
	private record Consumption(RateLimiter limiter, String key, int points) {
	}

	/** An answer; a {@code null} body means an empty 200 such as deleteSession's. */
	record Response(int status, JsonNode body, Map<String, String> headers) {
	}

	private interface Handler {

		Response handle(Request request);

	}

	private record Route(String method, Handler handler) {
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

	/** The per-address limit on every XRPC call, or {@code null} without rate limits. */
	private final RateLimiter globalLimiter;

	private final RateLimiter createAccountLimiter;

	private final RateLimiter loginPerDay;

	private final RateLimiter loginPerFiveMinutes;

	private final RateLimiter repoWritesPerHour;

	private final RateLimiter repoWritesPerDay;

	private final boolean retryAfter;

	private final DidKeys didKeys = new DidKeys();

	private final SecureRandom random;

	private final boolean didDocWithSession;

	/**
	 * Changeable while running, so a test can name the double by another host than the
	 * one it logs in to.
	 */
	private volatile String pdsEndpoint;

	private final boolean appView;

	private final Duration accessLifetime;

	private final Duration refreshLifetime;

	private final Duration refreshGrace;

	private final Map<String, StoredRecord> records = new ConcurrentHashMap<>();

	private final AtomicLong lastTidMicros = new AtomicLong();

	private final int tidClockId;

	private final Map<String, Route> routes;

	/**
	 * Told after every change of the accounts, the refresh-token table or the records,
	 * outside their locks.
	 */
	private final Runnable changed;

	DoubleMethods(PdsDouble.Builder config, String pdsEndpoint, JsonMapper json, Accounts accounts, Jwt jwt,
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
		// The reference PDS's limits (xrpc-server's global and shared ones, and the
		// routes' own).
		boolean limits = config.rateLimits;
		this.globalLimiter = limits ? new RateLimiter(3000, Duration.ofMinutes(5)) : null;
		this.createAccountLimiter = limits ? new RateLimiter(100, Duration.ofMinutes(5)) : null;
		this.loginPerDay = limits ? new RateLimiter(config.createSessionPerDay, Duration.ofDays(1)) : null;
		this.loginPerFiveMinutes = limits ? new RateLimiter(config.createSessionPerFiveMinutes, Duration.ofMinutes(5))
				: null;
		this.repoWritesPerHour = limits ? new RateLimiter(5000, Duration.ofHours(1)) : null;
		this.repoWritesPerDay = limits ? new RateLimiter(35000, Duration.ofDays(1)) : null;
		this.retryAfter = config.rateLimitRetryAfter;
		this.tidClockId = random.nextInt(1024);
		this.routes = Map.ofEntries(
				Map.entry("com.atproto.server.createAccount", new Route("POST", this::createAccount)),
				Map.entry("com.atproto.server.createSession", new Route("POST", this::createSession)),
				Map.entry("com.atproto.server.refreshSession", new Route("POST", this::refreshSession)),
				Map.entry("com.atproto.server.getSession", new Route("GET", this::getSession)),
				Map.entry("com.atproto.server.deleteSession", new Route("POST", this::deleteSession)),
				Map.entry("com.atproto.repo.createRecord", new Route("POST", this::createRecord)),
				Map.entry("com.atproto.repo.getRecord", new Route("GET", this::getRecord)),
				Map.entry("com.atproto.repo.deleteRecord", new Route("POST", this::deleteRecord)),
				Map.entry("com.atproto.repo.listRecords", new Route("GET", this::listRecords)),
				Map.entry("com.atproto.repo.uploadBlob", new Route("POST", this::uploadBlob)),
				Map.entry("com.atproto.identity.resolveHandle", new Route("GET", this::resolveHandle)),
				Map.entry("app.bsky.actor.getProfile", new Route("GET", this::getProfile)));
	}

	void pdsEndpoint(String endpoint) {
		this.pdsEndpoint = endpoint;
	}

	/**
	 * Serves a request. Each method checks in the reference PDS's order: parameters, then
	 * the caller's token, then the input, then the rate limits, then the method's own
	 * logic.
	 */
	Response dispatch(Request request) {
		try {
			Route route = routes.get(request.nsid());
			boolean proxied = !appView && request.nsid().startsWith("app.bsky.");
			if (route == null || proxied || !route.method().equals(request.method())) {
				// The reference PDS's catch-all: counted against the global limit, then,
				// with no
				// AppView to proxy to, "No service configured" (also for a known method
				// with the
				// wrong HTTP method, which misses its route).
				rateLimit(request, List.of());
				if (!appView) {
					throw XrpcErrorAnswer.invalidRequest("No service configured for " + request.nsid());
				}
				if (route == null) {
					throw new XrpcErrorAnswer(501, "MethodNotImplemented", "Method Not Implemented");
				}
				throw XrpcErrorAnswer
					.invalidRequest("Incorrect HTTP method (" + request.method() + ") expected " + route.method());
			}
			Response response = route.handler().handle(request);
			if (request.rateLimitHeaders().isEmpty()) {
				return response;
			}
			Map<String, String> headers = new LinkedHashMap<>(request.rateLimitHeaders());
			headers.putAll(response.headers());
			return new Response(response.status(), response.body(), headers);
		}
		catch (XrpcErrorAnswer e) {
			Map<String, String> headers = new LinkedHashMap<>(request.rateLimitHeaders());
			headers.putAll(e.headers());
			return error(new XrpcErrorAnswer(e.status(), e.error(), e.getMessage(), headers));
		}
	}

	Response error(XrpcErrorAnswer e) {
		ObjectNode body = json.createObjectNode().put("error", e.error()).put("message", e.getMessage());
		return new Response(e.status(), body, e.headers());
	}

	/**
	 * Counts the call against the route's own limits and the global per-address one; the
	 * answer carries the headers of the tightest, and an exceeded limit answers 429.
	 */
	private void rateLimit(Request request, List<Consumption> routeLimits) {
		if (globalLimiter == null) {
			return;
		}
		Instant now = clock.instant();
		List<RateLimiter.Status> statuses = new ArrayList<>();
		for (Consumption consumption : routeLimits) {
			statuses.add(consumption.limiter().consume(consumption.key(), consumption.points(), now));
		}
		statuses.add(globalLimiter.consume(request.clientIp(), 1, now));
		RateLimiter.Status tightest = RateLimiter.tightest(statuses);
		Map<String, String> headers = tightest.headers(now, retryAfter);
		request.rateLimitHeaders().putAll(headers);
		if (tightest.exceeded()) {
			throw new XrpcErrorAnswer(429, "RateLimitExceeded", "Rate Limit Exceeded", headers);
		}
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
		saved.sort(Comparator.comparing(StateFile.SavedRecord::repo)
			.thenComparing(StateFile.SavedRecord::collection)
			.thenComparing(StateFile.SavedRecord::rkey));
		return saved;
	}

	long lastTidMicros() {
		return lastTidMicros.get();
	}

	/**
	 * Loads the refresh tokens and records of a state file; called before the server
	 * starts and after the accounts are restored, whose post counts it rebuilds.
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
		if (!Accounts.isHandleSyntax(handle)) {
			throw XrpcErrorAnswer
				.invalidRequest("Invalid handle (got " + render(input.get("handle")) + ") at $.handle");
		}
		rateLimit(request, List.of(new Consumption(createAccountLimiter, request.clientIp(), 1)));
		if (email == null) {
			throw XrpcErrorAnswer.invalidRequest("Email is required");
		}
		// Without a password the reference PDS makes an account that cannot log in with
		// one.
		Accounts.State account = accounts.create(handle, email, password != null ? password : newTokenId());
		Tokens tokens = issue(account.did, clock.instant());
		changed.run();
		ObjectNode body = json.createObjectNode().put("handle", account.handle).put("did", account.did);
		body.set("didDoc", didDoc(account));
		return ok(body.put("accessJwt", tokens.access()).put("refreshJwt", tokens.refresh()));
	}

	private Response createSession(Request request) {
		ObjectNode input = input(request);
		String identifier = requiredString(input, "identifier");
		String password = requiredString(input, "password");
		String authFactorToken = optionalString(input, "authFactorToken");
		boolean allowTakendown = input.path("allowTakendown").booleanValue(false);
		// Keyed by the identifier exactly as sent: "Alice.test" and "alice.test" count
		// apart.
		String key = identifier + "-" + request.clientIp();
		rateLimit(request, List.of(new Consumption(loginPerDay, key, 1), new Consumption(loginPerFiveMinutes, key, 1)));
		Accounts.State account = accounts.byIdentifier(identifier)
			.filter(candidate -> candidate.passwordMatches(password))
			.orElseThrow(() -> new XrpcErrorAnswer(401, "AuthenticationRequired", "Invalid identifier or password"));
		if (account.takenDown && !allowTakendown) {
			throw new XrpcErrorAnswer(401, "AccountTakedown", "Account has been taken down");
		}
		String expectedCode = account.authFactorCode;
		if (expectedCode != null) {
			if (authFactorToken == null) {
				throw new XrpcErrorAnswer(401, "AuthFactorTokenRequired",
						"A sign in code has been sent to your email address");
			}
			if (!MessageDigest.isEqual(expectedCode.getBytes(StandardCharsets.UTF_8),
					authFactorToken.trim().getBytes(StandardCharsets.UTF_8))) {
				throw new XrpcErrorAnswer(401, "InvalidToken", "Token is invalid");
			}
		}
		if (account.deactivated) {
			throw new XrpcErrorAnswer(401, "AccountDeactivated", "Account is deactivated");
		}
		Tokens tokens = issue(account.did, clock.instant());
		changed.run();
		return ok(session(account, tokens));
	}

	private Response refreshSession(Request request) {
		Jwt.Claims claims = verify(request, Auth.REFRESH);
		noInput(request);
		rateLimit(request, List.of());
		Instant now = clock.instant();
		Accounts.State account = accounts.byDidOrHandle(claims.sub())
			.orElseThrow(
					() -> new XrpcErrorAnswer(401, "AuthenticationRequired", "Could not find user info for account"));
		if (account.takenDown) {
			throw new XrpcErrorAnswer(401, "AccountTakedown", "Account has been taken down");
		}
		long iat = now.getEpochSecond();
		Instant refreshExpiry = Instant.ofEpochSecond(iat).plus(refreshLifetime);
		RefreshTokenStore.Rotation rotation = refreshTokens
			.rotate(claims.jti(), now, refreshGrace, this::newTokenId, refreshExpiry)
			.orElseThrow(() -> new XrpcErrorAnswer(400, "ExpiredToken", "Token has been revoked"));
		// A failed rotation may have dropped an expired row; the saved table needs no
		// update for that.
		changed.run();
		Tokens tokens = new Tokens(jwt.access(rotation.did(), iat, iat + accessLifetime.toSeconds()),
				jwt.refresh(rotation.did(), rotation.nextId(), iat, refreshExpiry.getEpochSecond()));
		return ok(session(account, tokens));
	}

	private Response getSession(Request request) {
		Jwt.Claims claims = verify(request, Auth.ACCESS);
		noInput(request);
		rateLimit(request, List.of());
		Accounts.State account = accounts.byDidOrHandle(claims.sub())
			.orElseThrow(() -> XrpcErrorAnswer.invalidRequest("Could not find user info for account: " + claims.sub()));
		ObjectNode body = json.createObjectNode().put("handle", account.handle).put("did", account.did);
		if (didDocWithSession) {
			body.set("didDoc", didDoc(account));
		}
		return ok(putStatus(putEmail(body, account), account));
	}

	private Response deleteSession(Request request) {
		Jwt.Claims claims = verify(request, Auth.REFRESH);
		noInput(request);
		rateLimit(request, List.of());
		refreshTokens.revoke(claims.jti());
		changed.run();
		return new Response(200, null, Map.of());
	}

	// ---- com.atproto.repo ----

	private Response createRecord(Request request) {
		// Like xrpc-server: the caller's token first, then the input's shape, then the
		// limits.
		Jwt.Claims claims = verify(request, Auth.ACCESS);
		ObjectNode input = input(request);
		String repo = requiredString(input, "repo");
		String collection = requiredString(input, "collection");
		String rkey = optionalString(input, "rkey");
		JsonNode validateFlag = input.get("validate");
		boolean validate = validateFlag == null || !validateFlag.isBoolean() || validateFlag.booleanValue();
		JsonNode record = input.get("record");
		if (record == null || record.isNull()) {
			throw XrpcErrorAnswer.invalidRequest("Missing required key \"record\" at $");
		}
		if (!record.isObject()) {
			throw XrpcErrorAnswer.invalidRequest("Expected object value type (got " + render(record) + ") at $.record");
		}
		if (!collection.matches("[a-zA-Z]([a-zA-Z0-9-]*)(\\.[a-zA-Z0-9-]+){2,}")) {
			throw XrpcErrorAnswer
				.invalidRequest("Invalid NSID (got " + render(input.get("collection")) + ") at $.collection");
		}
		if (rkey != null && (!rkey.matches("[A-Za-z0-9._:~-]{1,512}") || rkey.equals(".") || rkey.equals(".."))) {
			throw XrpcErrorAnswer.invalidRequest("Input/rkey must be a valid Record Key");
		}
		rateLimit(request, List.of(new Consumption(repoWritesPerHour, claims.sub(), 3),
				new Consumption(repoWritesPerDay, claims.sub(), 3)));
		Accounts.State account = accounts.byDidOrHandle(repo)
			.orElseThrow(() -> new XrpcErrorAnswer(403, "AccountNotFound", "Account not found"));
		if (account.takenDown) {
			throw new XrpcErrorAnswer(401, "AccountTakedown", "Account has been taken down");
		}
		if (account.deactivated) {
			throw new XrpcErrorAnswer(401, "AccountDeactivated", "Account is deactivated");
		}
		if (!account.did.equals(claims.sub())) {
			// The reference PDS refuses writes to someone else's repo with a bare
			// AuthRequiredError.
			throw new XrpcErrorAnswer(401, "AuthenticationRequired", "Authentication Required");
		}
		JsonNode type = record.get("$type");
		if (type == null) {
			// The reference PDS fills in a missing $type with the collection.
			record = ((ObjectNode) record.deepCopy()).put("$type", collection);
			type = record.get("$type");
		}
		if (!type.isString()) {
			throw XrpcErrorAnswer.invalidRequest("Record/$type must be a string");
		}
		if (!type.stringValue().equals(collection)) {
			throw XrpcErrorAnswer
				.invalidRequest("Invalid $type: expected " + collection + ", got " + type.stringValue());
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
			throw XrpcErrorAnswer.invalidRequest("Record already exists: " + uri);
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
		rateLimit(request, List.of());
		Accounts.State account = accounts.byDidOrHandle(repo)
			.orElseThrow(() -> XrpcErrorAnswer.invalidRequest("Could not locate record"));
		String uri = StoredRecord.uri(account.did, collection, rkey);
		StoredRecord stored = records.get(uri);
		if (stored == null) {
			throw new XrpcErrorAnswer(400, "RecordNotFound", "Could not locate record: " + uri);
		}
		ObjectNode body = json.createObjectNode().put("uri", stored.uri()).put("cid", stored.cid());
		body.set("value", stored.value().deepCopy());
		return ok(body);
	}

	private Response deleteRecord(Request request) {
		Jwt.Claims claims = verify(request, Auth.ACCESS);
		ObjectNode input = input(request);
		String repo = requiredString(input, "repo");
		String collection = requiredString(input, "collection");
		String rkey = requiredString(input, "rkey");
		rateLimit(request, List.of(new Consumption(repoWritesPerHour, claims.sub(), 1),
				new Consumption(repoWritesPerDay, claims.sub(), 1)));
		Accounts.State account = accounts.byDidOrHandle(repo)
			.orElseThrow(() -> new XrpcErrorAnswer(403, "AccountNotFound", "Account not found"));
		if (!account.did.equals(claims.sub())) {
			throw new XrpcErrorAnswer(401, "AuthenticationRequired", "Authentication Required");
		}
		// Like the reference PDS, deleting a record that does not exist succeeds.
		StoredRecord removed = records.remove(StoredRecord.uri(account.did, collection, rkey));
		ObjectNode body = json.createObjectNode();
		if (removed != null) {
			if (collection.equals(POST)) {
				account.posts.decrementAndGet();
			}
			String rev = tid(clock.instant());
			changed.run();
			body.putObject("commit")
				.put("cid", cid((account.did + "/" + rev).getBytes(StandardCharsets.UTF_8)))
				.put("rev", rev);
		}
		return ok(body);
	}

	/**
	 * A page of a collection, newest record key first (oldest first with
	 * {@code reverse=true}); the cursor is the last key of the page, and absent when the
	 * page is empty, as on the reference PDS.
	 */
	private Response listRecords(Request request) {
		String repo = queryParam(request, "repo");
		String collection = queryParam(request, "collection");
		int limit = 50;
		String limitParam = request.params().get("limit");
		if (limitParam != null) {
			try {
				limit = Integer.parseInt(limitParam);
			}
			catch (NumberFormatException e) {
				throw internalServerError();
			}
			if (limit < 1 || limit > 100) {
				throw internalServerError();
			}
		}
		String cursor = request.params().get("cursor");
		boolean reverse = "true".equals(request.params().get("reverse"));
		rateLimit(request, List.of());
		Accounts.State account = accounts.byDidOrHandle(repo)
			.orElseThrow(() -> XrpcErrorAnswer.invalidRequest("Could not find repo: " + repo));
		Comparator<StoredRecord> order = Comparator.comparing(StoredRecord::rkey);
		List<StoredRecord> page = records.values()
			.stream()
			.filter(stored -> stored.repo().equals(account.did) && stored.collection().equals(collection))
			.filter(stored -> cursor == null
					|| (reverse ? stored.rkey().compareTo(cursor) > 0 : stored.rkey().compareTo(cursor) < 0))
			.sorted(reverse ? order : order.reversed())
			.limit(limit)
			.toList();
		ObjectNode body = json.createObjectNode();
		if (!page.isEmpty()) {
			body.put("cursor", page.get(page.size() - 1).rkey());
		}
		var list = body.putArray("records");
		for (StoredRecord stored : page) {
			list.addObject().put("uri", stored.uri()).put("cid", stored.cid()).set("value", stored.value().deepCopy());
		}
		return ok(body);
	}

	/**
	 * Takes a blob of any type and answers its reference: a CIDv1 of the raw bytes
	 * ("bafkrei…"), the declared MIME type, the size. The double keeps no blob.
	 */
	private Response uploadBlob(Request request) {
		Jwt.Claims claims = verify(request, Auth.ACCESS);
		String contentType = request.headers().getFirst("Content-Type");
		if (contentType == null || contentType.isBlank()) {
			contentType = "application/octet-stream";
		}
		rateLimit(request, List.of());
		accounts.byDidOrHandle(claims.sub())
			.orElseThrow(() -> new XrpcErrorAnswer(403, "AccountNotFound", "Account not found"));
		ObjectNode blob = json.createObjectNode().put("$type", "blob");
		blob.putObject("ref").put("$link", blobCid(request.body()));
		blob.put("mimeType", contentType.split(";", 2)[0].trim()).put("size", request.body().length);
		ObjectNode body = json.createObjectNode();
		body.set("blob", blob);
		return ok(body);
	}

	// ---- com.atproto.identity ----

	private Response resolveHandle(Request request) {
		String handle = queryParam(request, "handle");
		rateLimit(request, List.of());
		Accounts.State account = (handle.startsWith("did:") ? Optional.<Accounts.State>empty()
				: accounts.byDidOrHandle(handle))
			.orElseThrow(() -> XrpcErrorAnswer.invalidRequest("Unable to resolve handle"));
		return ok(json.createObjectNode().put("did", account.did));
	}

	// ---- app.bsky ----

	private Response getProfile(Request request) {
		String actor = requiredParam(request, "actor");
		verify(request, Auth.ACCESS);
		rateLimit(request, List.of());
		Accounts.State account = accounts.byDidOrHandle(actor)
			.orElseThrow(() -> XrpcErrorAnswer.invalidRequest("Profile not found"));
		if (account.takenDown) {
			throw new XrpcErrorAnswer(400, "AccountTakedown", "Account has been suspended");
		}
		if (account.deactivated) {
			throw new XrpcErrorAnswer(400, "AccountDeactivated", "Account is deactivated");
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

	/**
	 * Refresh-token ids as the reference PDS makes them: 32 random bytes, base64 without
	 * padding.
	 */
	private String newTokenId() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return Base64.getEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The two kinds of token check of the reference PDS's auth verifier. */
	private enum Auth {

		/**
		 * An access token (methods that take any kind of credentials, Bearer among them).
		 */
		ACCESS,
		/** A refresh token (refreshSession, deleteSession: Bearer only). */
		REFRESH

	}

	/**
	 * Reads the Authorization header and verifies its token, with the reference PDS's
	 * errors: no header is 401 AuthMissing; a header that is not two words, or of an
	 * unknown type, is 400 InvalidToken; another known type (Basic, DPoP) is 400
	 * "Unexpected authorization type" where an access token is wanted and, as no Bearer
	 * token at all, 401 AuthMissing where a refresh token is.
	 */
	private Jwt.Claims verify(Request request, Auth auth) {
		String header = request.headers().getFirst("Authorization");
		if (header == null || header.isEmpty()) {
			throw new XrpcErrorAnswer(401, "AuthMissing", "Authentication Required");
		}
		String[] parts = header.split(" ", -1);
		if (parts.length != 2) {
			throw new XrpcErrorAnswer(400, "InvalidToken", "Malformed authorization header");
		}
		String type = parts[0].toUpperCase(Locale.ROOT);
		if (!Set.of("BASIC", "BEARER", "DPOP").contains(type)) {
			throw new XrpcErrorAnswer(400, "InvalidToken", "Unsupported authorization type: " + parts[0]);
		}
		if (!type.equals("BEARER")) {
			throw auth == Auth.ACCESS ? new XrpcErrorAnswer(400, "InvalidToken", "Unexpected authorization type")
					: new XrpcErrorAnswer(401, "AuthMissing", "Authentication Required");
		}
		Instant now = clock.instant();
		if (auth == Auth.ACCESS) {
			return jwt.verify(parts[1], Jwt.ACCESS_TYP, Jwt.ACCESS_SCOPES, now);
		}
		Jwt.Claims claims = jwt.verify(parts[1], Jwt.REFRESH_TYP, Set.of(Jwt.REFRESH_SCOPE), now);
		if (claims.jti() == null) {
			throw new XrpcErrorAnswer(401, "MissingTokenId", "Unexpected missing refresh token id");
		}
		return claims;
	}

	/**
	 * The answer of createSession and refreshSession. No {@code emailAuthFactor}: the
	 * reference PDS (0.4) never sends it; the double adds {@code true} for an account
	 * with a sign-in code, as bsky.social would.
	 */
	private ObjectNode session(Accounts.State account, Tokens tokens) {
		ObjectNode body = json.createObjectNode()
			.put("accessJwt", tokens.access())
			.put("refreshJwt", tokens.refresh())
			.put("handle", account.handle)
			.put("did", account.did);
		if (didDocWithSession) {
			body.set("didDoc", didDoc(account));
		}
		return putStatus(putEmail(body, account), account);
	}

	private static ObjectNode putEmail(ObjectNode body, Accounts.State account) {
		body.put("email", account.email).put("emailConfirmed", false);
		if (account.authFactorCode != null) {
			body.put("emailAuthFactor", true);
		}
		return body;
	}

	private static ObjectNode putStatus(ObjectNode body, Accounts.State account) {
		body.put("active", !account.takenDown && !account.deactivated);
		if (account.takenDown) {
			body.put("status", "takendown");
		}
		else if (account.deactivated) {
			body.put("status", "deactivated");
		}
		return body;
	}

	/**
	 * The account's DID document, shaped as the reference PDS's PLC directory serves it.
	 */
	private ObjectNode didDoc(Accounts.State account) {
		ObjectNode doc = json.createObjectNode();
		doc.putArray("@context")
			.add("https://www.w3.org/ns/did/v1")
			.add("https://w3id.org/security/suites/secp256k1-2019/v1");
		doc.put("id", account.did);
		doc.putArray("alsoKnownAs").add("at://" + account.handle);
		doc.putArray("verificationMethod")
			.addObject()
			.put("id", "#atproto")
			.put("type", "EcdsaSecp256k1VerificationKey2019")
			.put("controller", account.did)
			.put("publicKeyMultibase", didKeys.publicKeyMultibase(account.did));
		doc.putArray("service")
			.addObject()
			.put("id", "#atproto_pds")
			.put("type", "AtprotoPersonalDataServer")
			.put("serviceEndpoint", pdsEndpoint);
		return doc;
	}

	// ---- input checks, with the messages of the reference lexicon validator ----

	/**
	 * A method without input refuses a body, after the token check and before the limits.
	 */
	private static void noInput(Request request) {
		if (request.body().length > 0) {
			throw XrpcErrorAnswer.invalidRequest("A request body was provided when none was expected");
		}
	}

	/**
	 * The JSON input of a procedure: the content type is required and must be JSON; an
	 * empty body reads as an empty object, as on the reference PDS.
	 */
	private ObjectNode input(Request request) {
		String contentType = request.headers().getFirst("Content-Type");
		if (contentType == null || contentType.isBlank()) {
			throw XrpcErrorAnswer.invalidRequest("Request encoding (Content-Type) required but not provided");
		}
		String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
		if (!mime.equals("application/json")) {
			throw XrpcErrorAnswer.invalidRequest("Wrong request encoding (Content-Type): " + mime);
		}
		if (request.body().length == 0) {
			return json.createObjectNode();
		}
		JsonNode node;
		try {
			node = json.readTree(request.body());
		}
		catch (JacksonException e) {
			throw XrpcErrorAnswer.invalidRequest("Request body is not valid JSON");
		}
		if (!(node instanceof ObjectNode object)) {
			throw XrpcErrorAnswer.invalidRequest("Expected object value type (got " + render(node) + ") at $");
		}
		return object;
	}

	private static String requiredString(JsonNode input, String field) {
		String value = optionalString(input, field);
		if (value == null) {
			throw XrpcErrorAnswer.invalidRequest("Missing required key \"" + field + "\" at $");
		}
		return value;
	}

	private static String optionalString(JsonNode input, String field) {
		JsonNode value = input.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw XrpcErrorAnswer
				.invalidRequest("Expected string value type (got " + render(value) + ") at $." + field);
		}
		return value.stringValue();
	}

	/** A value as the lexicon validator quotes it in a message: its JSON. */
	private static String render(JsonNode value) {
		return value == null ? "undefined" : value.toString();
	}

	/**
	 * A required parameter of listRecords or resolveHandle. The reference PDS (0.4.217)
	 * answers a missing or invalid parameter of these two queries with a bare 500, before
	 * any rate limit, and so does the double.
	 */
	private static String queryParam(Request request, String name) {
		String value = request.params().get(name);
		if (value == null) {
			throw internalServerError();
		}
		return value;
	}

	private static XrpcErrorAnswer internalServerError() {
		return new XrpcErrorAnswer(500, "InternalServerError", "Internal Server Error");
	}

	private static String requiredParam(Request request, String name) {
		String value = request.params().get(name);
		if (value == null) {
			throw XrpcErrorAnswer.invalidRequest("Params must have the property \"" + name + "\"");
		}
		return value;
	}

	private static void validateRecord(String collection, JsonNode record) {
		if (collection.equals(POST)) {
			recordString(collection, record, "text", true);
			String createdAt = recordString(collection, record, "createdAt", true);
			try {
				OffsetDateTime.parse(createdAt);
			}
			catch (DateTimeParseException e) {
				throw invalidRecord(collection,
						"Invalid datetime (got " + render(record.get("createdAt")) + ") at $.record.createdAt");
			}
		}
		else if (collection.equals(PROFILE)) {
			recordString(collection, record, "displayName", false);
			recordString(collection, record, "description", false);
		}
	}

	private static String recordString(String collection, JsonNode record, String field, boolean required) {
		JsonNode value = record.get(field);
		if (value == null) {
			if (required) {
				throw invalidRecord(collection, "Missing required key \"" + field + "\" at $.record");
			}
			return null;
		}
		if (!value.isString()) {
			throw invalidRecord(collection,
					"Expected string value type (got " + render(value) + ") at $.record." + field);
		}
		return value.stringValue();
	}

	private static XrpcErrorAnswer invalidRecord(String collection, String problem) {
		return XrpcErrorAnswer.invalidRequest("Invalid " + collection + " record: " + problem);
	}

	// ---- identifiers ----

	/**
	 * A TID: microseconds since the epoch and a clock id, base32-sortable, 13 characters.
	 * Kept strictly increasing so that a clock that never moves still yields unique keys.
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

	/**
	 * A CIDv1 (dag-cbor, sha-256) over the given bytes: the same shape as a real one,
	 * "bafyrei…".
	 */
	private static String cid(byte[] content) {
		return cid(content, (byte) 0x71);
	}

	/** A CIDv1 (raw, sha-256), the CID of a blob: "bafkrei…". */
	static String blobCid(byte[] content) {
		return cid(content, (byte) 0x55);
	}

	private static String cid(byte[] content, byte codec) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
			byte[] bytes = new byte[4 + hash.length];
			bytes[0] = 0x01;
			bytes[1] = codec;
			bytes[2] = 0x12;
			bytes[3] = 0x20;
			System.arraycopy(hash, 0, bytes, 4, hash.length);
			return "b" + base32Lower(bytes);
		}
		catch (NoSuchAlgorithmException e) {
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
