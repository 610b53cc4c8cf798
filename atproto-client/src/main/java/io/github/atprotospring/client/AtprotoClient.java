package io.github.atprotospring.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A client of one atproto account on one service, which keeps its session alive by
 * itself.
 * <p>
 * The client logs in with {@link #login(String, String)}
 * ({@code com.atproto.server.createSession}) or takes over a session with
 * {@link #importSession(String)}. Before each call it refreshes the tokens
 * ({@code com.atproto.server.refreshSession}) when the access token expires within the
 * refresh margin, and again, once, when the server answers that it has expired. A refresh
 * the server refuses means the session is dead: it is dropped, and the client logs in
 * again if it holds a password, or throws {@link SessionExpiredException}. Every change
 * is reported to the {@link SessionChangeListener}s.
 * <p>
 * Thread-safe. Session changes run one at a time: threads that need a change while one is
 * under way wait for it and use its result, so a burst of calls through an expiry costs
 * one {@code refreshSession}. Calls that arrive while a change is under way wait until
 * its listeners have run, so a listener that persists the session has persisted it before
 * its tokens are used.
 */
public final class AtprotoClient {

	/** The service logged in to when none is configured. */
	public static final String DEFAULT_SERVICE = "https://bsky.social";

	/**
	 * How long before the access token expires the client refreshes it, when none is
	 * configured.
	 */
	public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	static final String DELETE_SESSION = "com.atproto.server.deleteSession";

	static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	static final String GET_RECORD = "com.atproto.repo.getRecord";

	static final String GET_PROFILE = "app.bsky.actor.getProfile";

	/**
	 * How long the client keeps using a still-valid access token after a proactive
	 * refresh failed.
	 */
	private static final Duration PROACTIVE_RETRY_DELAY = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(AtprotoClient.class);

	private final String service;

	private final Xrpc xrpc;

	private final Clock clock;

	private final Duration refreshMargin;

	private final LoginBudget loginBudget;

	private final SessionCoordinator coordinator;

	private final List<SessionChangeListener> listeners = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	/** Guarded by {@link #lock}. */
	private Held held;

	/** The session change under way, guarded by {@link #lock}. */
	private CompletableFuture<Held> change;

	/** The thread running {@link #change}, guarded by {@link #lock}. */
	private Thread changer;

	/** Guarded by {@link #lock}. */
	private long generations;

	private volatile Credentials credentials;

	/**
	 * After a proactive refresh failed for a transient reason, no new proactive attempt
	 * before this.
	 */
	private volatile Instant proactiveRefreshNotBefore;

	private AtprotoClient(Builder builder) {
		this.service = Endpoints.normalize(builder.service);
		this.clock = builder.clock;
		this.refreshMargin = builder.refreshMargin;
		this.loginBudget = (builder.loginBudget != null) ? builder.loginBudget : new InMemoryLoginBudget(this.clock);
		this.coordinator = (builder.coordinator != null) ? builder.coordinator : SessionCoordinator.local();
		if (builder.restClientBuilder != null && (builder.connectTimeout != null || builder.readTimeout != null)) {
			throw new IllegalStateException("The connect and read timeouts apply to the client's own HTTP stack; "
					+ "with a RestClient.Builder of your own, set them on its request factory");
		}
		RestClient.Builder restClientBuilder = (builder.restClientBuilder != null) ? builder.restClientBuilder
				: RestClient.builder()
					.requestFactory(XrpcHttp.requestFactory(
							(builder.connectTimeout != null) ? builder.connectTimeout
									: XrpcHttp.DEFAULT_CONNECT_TIMEOUT,
							(builder.readTimeout != null) ? builder.readTimeout : XrpcHttp.DEFAULT_READ_TIMEOUT));
		JsonMapper json = (builder.jsonMapper != null) ? builder.jsonMapper
				: JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		this.xrpc = new Xrpc(restClientBuilder.build(), json, this.clock, builder.errorDecoder,
				builder.maxResponseSize);
		this.credentials = builder.credentials;
		this.listeners.addAll(builder.listeners);
	}

	/**
	 * The JDK HTTP client restricted to HTTP/1.1, which never follows redirects, with the
	 * default timeouts ({@link XrpcHttp#DEFAULT_CONNECT_TIMEOUT},
	 * {@link XrpcHttp#DEFAULT_READ_TIMEOUT}). At its default (HTTP/2) the JDK client asks
	 * a plain {@code http://} server to upgrade ({@code Upgrade: h2c}) on every new
	 * connection, and the reference PDS drops such requests; https servers negotiate
	 * HTTP/2 without it.
	 * @return a request factory for the JDK HTTP client speaking HTTP/1.1
	 * @see XrpcHttp#requestFactory(Duration, Duration)
	 */
	public static ClientHttpRequestFactory http11RequestFactory() {
		return XrpcHttp.requestFactory(XrpcHttp.DEFAULT_CONNECT_TIMEOUT, XrpcHttp.DEFAULT_READ_TIMEOUT);
	}

	/**
	 * A builder for a client.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The service logged in to (the entryway, such as {@code https://bsky.social}).
	 * @return the service URL
	 */
	public String service() {
		return this.service;
	}

	/**
	 * How long before the access token expires the client refreshes it.
	 * @return the margin
	 */
	public Duration refreshMargin() {
		return this.refreshMargin;
	}

	/**
	 * Whether the client holds credentials, and so can log in by itself when it has no
	 * session or its session is dead.
	 * @return {@code true} if an identifier and password are held
	 */
	public boolean hasCredentials() {
		return this.credentials != null;
	}

	/**
	 * Adds a listener told of every session change.
	 * @param listener the listener
	 */
	public void onSessionChange(SessionChangeListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * The session now held.
	 * @return the session, or empty if the client has none
	 */
	public Optional<Session> session() {
		synchronized (this.lock) {
			return Optional.ofNullable(this.held).map(Held::session);
		}
	}

	/**
	 * Logs in ({@code com.atproto.server.createSession}) and keeps the credentials, so
	 * that the client can log in again by itself if its session dies. Reports
	 * {@link SessionEvent#CREATE}.
	 * @param identifier a handle, an email or a DID
	 * @param password the password; use an app password
	 * @return the new session
	 * @throws AuthenticationRequiredException if the server refused the credentials
	 * (never retried)
	 * @throws AuthFactorTokenRequiredException if the server mailed a sign-in code to
	 * pass to {@link #login(String, String, String)}
	 * @throws RateLimitExceededException if the server or the client's login budget
	 * refused the login
	 */
	public Session login(String identifier, String password) {
		return login(identifier, password, null);
	}

	/**
	 * Logs in with the code of an email two-factor sign-in.
	 * @param identifier a handle, an email or a DID
	 * @param password the password
	 * @param authFactorToken the code the server mailed, or {@code null}
	 * @return the new session
	 * @see #login(String, String)
	 */
	public Session login(String identifier, String password, String authFactorToken) {
		Credentials given = new Credentials(identifier, password, authFactorToken);
		Held result = change(true, (current) -> publish(createSession(given), SessionEvent.CREATE));
		// The code is single-use: a later login of the client's own is made without it.
		this.credentials = new Credentials(given.identifier(), given.password(), null);
		return result.session();
	}

	/**
	 * Takes over a session from a session string, without a network call. Reports
	 * {@link SessionEvent#IMPORT}. The next call refreshes it first if its access token
	 * has expired.
	 * @param sessionString the session string
	 * ({@code handle:::did:::accessJwt:::refreshJwt:::pdsEndpoint}, or the older form
	 * without the endpoint)
	 * @return the imported session
	 * @throws IllegalArgumentException if the string is malformed; the message names the
	 * field
	 */
	public Session importSession(String sessionString) {
		return importSession(SessionString.parse(sessionString));
	}

	/**
	 * Takes over a session, without a network call. Reports {@link SessionEvent#IMPORT}.
	 * @param session the session
	 * @return the session
	 */
	public Session importSession(Session session) {
		Objects.requireNonNull(session, "session");
		return change(true, (current) -> publish(session, SessionEvent.IMPORT)).session();
	}

	/**
	 * The held session as a session string, to store or to hand to another client (also
	 * the Python SDK's).
	 * @return the session string; it contains both tokens, so treat it as a secret
	 * @throws IllegalStateException if the client has no session
	 */
	public String exportSessionString() {
		return session().map(SessionString::format)
			.orElseThrow(() -> new IllegalStateException("The client has no session to export"));
	}

	/**
	 * Makes sure the client has a usable session: logs in if it has none (and holds
	 * credentials), and refreshes it if its access token expires within the margin. Calls
	 * do this by themselves; use this to resume eagerly, at startup say.
	 * @return the session
	 * @throws NotLoggedInException if there is no session and no credentials
	 */
	public Session ensureSession() {
		return sessionForCall(GET_SESSION).session();
	}

	/**
	 * Refreshes the session now, whatever its expiry. Reports
	 * {@link SessionEvent#REFRESH} (or {@link SessionEvent#CREATE} if the session was
	 * dead and the client logged in again).
	 * @return the new session
	 * @throws NotLoggedInException if there is no session and no credentials
	 * @throws SessionExpiredException if the server refused the refresh and there are no
	 * credentials
	 */
	public Session refreshSession() {
		return change(true, (current) -> (current != null) ? refresh(current, false, (stored) -> false)
				: loginAgain(REFRESH_SESSION))
			.session();
	}

	/**
	 * Ends the session: revokes its refresh token
	 * ({@code com.atproto.server.deleteSession}) and drops the session and the
	 * credentials. The access token stays valid at the server until it expires.
	 * @throws XrpcTransportException if the server could not be reached (the session is
	 * dropped anyway)
	 */
	public void logout() {
		change(true, (current) -> {
			this.credentials = null;
			setHeld(null);
			if (current != null) {
				try {
					this.xrpc.procedure(current.session().pdsEndpoint(), DELETE_SESSION, null,
							current.session().refreshJwt(), Void.class);
				}
				catch (ExpiredTokenException | InvalidTokenException ex) {
					logger.debug("The refresh token of {} was already revoked at logout", current.session().did());
				}
			}
			return null;
		});
	}

	/**
	 * Calls an XRPC query with the session ({@code GET <pds>/xrpc/<nsid>}).
	 * @param <T> the answer type
	 * @param nsid the method, such as {@code app.bsky.feed.getTimeline}
	 * @param params the query parameters; an {@link Iterable} value repeats the parameter
	 * @param responseType the type to read the answer as ({@link JsonNode} for the tree,
	 * {@link Void} for none)
	 * @return the answer
	 */
	public <T> T query(String nsid, Map<String, ?> params, Class<T> responseType) {
		return call(nsid, (held) -> this.xrpc.query(held.session().pdsEndpoint(), nsid, params,
				held.session().accessJwt(), responseType));
	}

	/**
	 * Calls an XRPC procedure with the session ({@code POST <pds>/xrpc/<nsid>} with a
	 * JSON body).
	 * @param <T> the answer type
	 * @param nsid the method, such as {@code com.atproto.repo.deleteRecord}
	 * @param body the input, written as JSON; {@code null} for none
	 * @param responseType the type to read the answer as ({@link JsonNode} for the tree,
	 * {@link Void} for none)
	 * @return the answer
	 */
	public <T> T procedure(String nsid, Object body, Class<T> responseType) {
		return call(nsid, (held) -> this.xrpc.procedure(held.session().pdsEndpoint(), nsid, body,
				held.session().accessJwt(), responseType));
	}

	/**
	 * What the server says of the session ({@code com.atproto.server.getSession}).
	 * @return the account details
	 */
	public SessionInfo getSession() {
		return query(GET_SESSION, Map.of(), SessionInfo.class);
	}

	/**
	 * Creates a record in the session's own repository
	 * ({@code com.atproto.repo.createRecord}).
	 * @param collection the collection NSID, such as {@code app.bsky.feed.post}
	 * @param record the record, written as JSON; it must carry {@code $type}
	 * @return the new record's URI and CID
	 */
	public CreateRecordResponse createRecord(String collection, Object record) {
		return call(CREATE_RECORD, (held) -> {
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("repo", held.session().did());
			body.put("collection", collection);
			body.put("record", record);
			return this.xrpc.procedure(held.session().pdsEndpoint(), CREATE_RECORD, body, held.session().accessJwt(),
					CreateRecordResponse.class);
		});
	}

	/**
	 * Posts a text ({@code app.bsky.feed.post}, created now by the client's clock).
	 * @param text the text
	 * @return the new post's URI and CID
	 */
	public CreateRecordResponse createPost(String text) {
		Map<String, Object> post = new LinkedHashMap<>();
		post.put("$type", "app.bsky.feed.post");
		post.put("text", Objects.requireNonNull(text, "text"));
		post.put("createdAt", this.clock.instant().toString());
		return createRecord("app.bsky.feed.post", post);
	}

	/**
	 * Reads a record ({@code com.atproto.repo.getRecord}).
	 * @param repo the repository's DID or handle
	 * @param collection the collection NSID
	 * @param rkey the record key
	 * @return the record
	 */
	public RecordResponse getRecord(String repo, String collection, String rkey) {
		return query(GET_RECORD, Map.of("repo", repo, "collection", collection, "rkey", rkey), RecordResponse.class);
	}

	/**
	 * Reads a profile ({@code app.bsky.actor.getProfile}; served by an AppView through
	 * the PDS).
	 * @param actor a handle or DID
	 * @return the profile
	 */
	public Profile getProfile(String actor) {
		return query(GET_PROFILE, Map.of("actor", actor), Profile.class);
	}

	@Override
	public String toString() {
		return "AtprotoClient[service=" + this.service + ", session=" + session().map(Session::did).orElse("none")
				+ "]";
	}

	// --- calls
	// -------------------------------------------------------------------------------------

	private <T> T call(String nsid, Function<Held, T> exchange) {
		Held used = sessionForCall(nsid);
		try {
			return exchange.apply(used);
		}
		catch (XrpcException ex) {
			if (!accessExpired(ex, used)) {
				throw ex;
			}
			// Refresh once, unless another caller already did (then its session is used),
			// and retry once.
			Held fresh = change(false, (current) -> refreshUnlessChanged(current, used, nsid));
			return exchange.apply(fresh);
		}
	}

	private boolean accessExpired(XrpcException ex, Held used) {
		return ex instanceof ExpiredTokenException || (ex.status() == 401 && used.accessExpired(this.clock.instant()));
	}

	private Held sessionForCall(String nsid) {
		Held current;
		CompletableFuture<Held> running;
		synchronized (this.lock) {
			current = this.held;
			running = (this.changer == Thread.currentThread()) ? null : this.change;
		}
		if (running != null) {
			Held changed = await(running);
			current = (changed != null) ? changed : currentHeld();
		}
		if (current == null) {
			current = change(false, (now) -> (now != null) ? now : loginAgain(nsid));
		}
		Held used = current;
		if (needsRefresh(used)) {
			return change(false, (now) -> refreshUnlessChanged(now, used, nsid));
		}
		return used;
	}

	private boolean needsRefresh(Held current) {
		if (current.accessExpiresAt() == null) {
			return false;
		}
		Instant now = this.clock.instant();
		if (current.accessExpired(now)) {
			return true;
		}
		Instant notBefore = this.proactiveRefreshNotBefore;
		return !now.isBefore(current.accessExpiresAt().minus(this.refreshMargin))
				&& (notBefore == null || !now.isBefore(notBefore));
	}

	// --- session changes
	// ---------------------------------------------------------------------------

	/**
	 * Runs a session change, one at a time. Without {@code force}, a caller that finds a
	 * change under way waits for it and takes its result instead of running its own; with
	 * {@code force} it waits and then runs its own. The operation is given the session
	 * held when it starts.
	 */
	private Held change(boolean force, Function<Held, Held> operation) {
		while (true) {
			CompletableFuture<Held> running;
			CompletableFuture<Held> mine = null;
			Held current;
			synchronized (this.lock) {
				if (this.changer == Thread.currentThread()) {
					throw new IllegalStateException(
							"A SessionChangeListener must not change the session of the client that called it");
				}
				running = this.change;
				current = this.held;
				if (running == null) {
					mine = new CompletableFuture<>();
					this.change = mine;
					this.changer = Thread.currentThread();
				}
			}
			if (mine == null) {
				if (!force) {
					Held result = await(running);
					return (result != null) ? result : currentHeld();
				}
				running.exceptionally((ex) -> null).join();
				continue;
			}
			Held result = null;
			Throwable failure = null;
			try {
				result = operation.apply(current);
				return result;
			}
			catch (RuntimeException | Error ex) {
				failure = ex;
				throw ex;
			}
			finally {
				synchronized (this.lock) {
					this.change = null;
					this.changer = null;
				}
				if (failure != null) {
					mine.completeExceptionally(failure);
				}
				else {
					mine.complete(result);
				}
			}
		}
	}

	private Held refreshUnlessChanged(Held current, Held used, String nsid) {
		if (current == null) {
			return loginAgain(nsid);
		}
		if (current.generation() != used.generation()) {
			return current;
		}
		return refresh(current, !current.accessExpired(this.clock.instant()), this::usable);
	}

	/** Whether a session's access token may be used as it is, without a refresh first. */
	private boolean usable(Session session) {
		return !needsRefresh(Held.of(session, 0));
	}

	/**
	 * Refreshes the held session, through the coordinator, which may hand back a session
	 * another process has stored instead (reported as an IMPORT). A refusal (the token
	 * expired or was revoked) means the session is dead; a transient failure keeps it,
	 * and with {@code tolerateTransient} (the access token is still valid) the client
	 * goes on with it for a while.
	 */
	private Held refresh(Held current, boolean tolerateTransient, Predicate<Session> usable) {
		AtomicReference<SessionEvent> made = new AtomicReference<>();
		Session result;
		try {
			result = this.coordinator.refresh(this.service, current.session(), usable,
					(session) -> refreshOrLogIn(session, made));
		}
		catch (XrpcTransportException ex) {
			return keepAfterTransientFailure(current, tolerateTransient, ex);
		}
		catch (XrpcException ex) {
			if (ex.isServerError() || ex instanceof RateLimitExceededException && !isLogin(ex)) {
				return keepAfterTransientFailure(current, tolerateTransient, ex);
			}
			throw ex;
		}
		return publish(result, (made.get() != null) ? made.get() : SessionEvent.IMPORT);
	}

	private static boolean isLogin(XrpcException ex) {
		return CREATE_SESSION.equals(ex.nsid());
	}

	/**
	 * One refresh of a session; a dead session is dropped and replaced by a login when
	 * the client holds credentials. Says in {@code made} which it was. Publishes nothing:
	 * the caller does, once the coordinator has stored the result.
	 */
	private Session refreshOrLogIn(Session session, AtomicReference<SessionEvent> made) {
		Held target = Held.of(session, 0);
		if (target.refreshExpired(this.clock.instant())) {
			return sessionDead(session, "its refresh token expired at " + target.refreshExpiresAt(), null, made);
		}
		try {
			JsonNode answer = this.xrpc.procedure(session.pdsEndpoint(), REFRESH_SESSION, null, session.refreshJwt(),
					JsonNode.class);
			made.set(SessionEvent.REFRESH);
			return SessionAnswers.toSession(REFRESH_SESSION, answer, session.pdsEndpoint(), session);
		}
		catch (XrpcException ex) {
			if (ex instanceof ExpiredTokenException || ex instanceof InvalidTokenException || ex.status() == 401) {
				return sessionDead(session, "the server refused to refresh it: " + ex.status() + " " + ex.error(), ex,
						made);
			}
			throw ex;
		}
	}

	private Held keepAfterTransientFailure(Held current, boolean tolerate, AtprotoException ex) {
		// A session found dead on the way (and dropped) is never gone back to.
		if (!tolerate || currentHeld() == null) {
			throw ex;
		}
		this.proactiveRefreshNotBefore = this.clock.instant().plus(PROACTIVE_RETRY_DELAY);
		logger.warn("Refreshing the session of {} failed ({}); going on with its access token, valid until {}",
				current.session().did(), Redaction.redact(ex.getMessage(), current.session()),
				current.accessExpiresAt());
		return current;
	}

	private Session sessionDead(Session dead, String reason, XrpcException cause, AtomicReference<SessionEvent> made) {
		setHeld(null);
		Credentials known = this.credentials;
		logger.warn("The session of {} is dead ({}); it was dropped{}", dead.did(), reason,
				(known != null) ? " and the client logs in again" : "");
		if (known == null) {
			throw new SessionExpiredException("The session of " + dead.did() + " is dead (" + reason
					+ ") and the client holds no password to log in again: call login(...) or importSession(...)",
					cause);
		}
		Session fresh = createSession(known);
		made.set(SessionEvent.CREATE);
		return fresh;
	}

	private Held loginAgain(String nsid) {
		Credentials known = this.credentials;
		if (known == null) {
			throw new NotLoggedInException(nsid);
		}
		return publish(createSession(known), SessionEvent.CREATE);
	}

	/** Logs in ({@code createSession}) within the login budget; publishes nothing. */
	private Session createSession(Credentials credentials) {
		this.loginBudget.acquire(credentials.identifier());
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("identifier", credentials.identifier());
		body.put("password", credentials.password());
		if (credentials.authFactorToken() != null) {
			body.put("authFactorToken", credentials.authFactorToken());
		}
		JsonNode answer;
		try {
			answer = this.xrpc.procedure(this.service, CREATE_SESSION, body, null, JsonNode.class);
		}
		catch (RateLimitExceededException ex) {
			this.loginBudget.blockUntil(credentials.identifier(), ex.retryAt());
			throw ex;
		}
		catch (AuthenticationRequiredException ex) {
			// Every attempt counts against the login limit: refused credentials are not
			// tried again by themselves.
			if (credentials.equals(this.credentials)) {
				this.credentials = null;
				logger.warn("The server refused the credentials for {}; the client will not log in with them again "
						+ "until login(...) is called", credentials.identifier());
			}
			throw ex;
		}
		return SessionAnswers.toSession(CREATE_SESSION, answer, this.service, null);
	}

	/**
	 * Puts a new session in place, then tells the listeners (still inside the change, so
	 * that calls waiting for it go on only after they have run).
	 */
	private Held publish(Session session, SessionEvent event) {
		Held next;
		synchronized (this.lock) {
			next = Held.of(session, ++this.generations);
			this.held = next;
		}
		this.proactiveRefreshNotBefore = null;
		logger.info("atproto session {} for {} ({}) at {}, access token valid until {}", event, session.handle(),
				session.did(), session.pdsEndpoint(), next.accessExpiresAt());
		for (SessionChangeListener listener : this.listeners) {
			try {
				listener.onSessionChange(event, session);
			}
			catch (RuntimeException ex) {
				logger.warn("A session listener failed on {} for {}; the session is kept: {}", event, session.did(),
						Redaction.describe(ex, session));
			}
		}
		return next;
	}

	private void setHeld(Held next) {
		synchronized (this.lock) {
			this.held = next;
		}
	}

	private Held currentHeld() {
		synchronized (this.lock) {
			return this.held;
		}
	}

	private static Held await(CompletableFuture<Held> running) {
		try {
			return running.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * Builds an {@link AtprotoClient}.
	 */
	public static final class Builder {

		private String service = DEFAULT_SERVICE;

		private RestClient.Builder restClientBuilder;

		private JsonMapper jsonMapper;

		private Clock clock = Clock.systemUTC();

		private Duration refreshMargin = DEFAULT_REFRESH_MARGIN;

		private LoginBudget loginBudget;

		private SessionCoordinator coordinator;

		private Credentials credentials;

		private final List<SessionChangeListener> listeners = new CopyOnWriteArrayList<>();

		private Builder() {
		}

		/**
		 * The service to log in to. Default {@value AtprotoClient#DEFAULT_SERVICE}.
		 * @param service an http or https URL
		 * @return this builder
		 */
		public Builder service(String service) {
			if (service == null || !Endpoints.isHttpUrl(service.strip())) {
				throw new IllegalArgumentException("The atproto service must be an http or https URL, such as "
						+ DEFAULT_SERVICE + ", but was '" + service + "'");
			}
			this.service = service;
			return this;
		}

		/**
		 * The {@link RestClient.Builder} to build the HTTP client on (in Spring Boot, the
		 * auto-configured one, so that observations, SSL bundles and timeouts apply).
		 * Default {@link RestClient#builder()} with the JDK HTTP client on HTTP/1.1
		 * ({@link #http11RequestFactory()}). A builder on the JDK client at HTTP/2 cannot
		 * reach a PDS over plain {@code http://}: give it that request factory, or
		 * another that has timeouts and never follows redirects (a redirect would carry
		 * the password or a token to another host).
		 * @param restClientBuilder the builder
		 * @return this builder
		 */
		public Builder restClientBuilder(RestClient.Builder restClientBuilder) {
			this.restClientBuilder = Objects.requireNonNull(restClientBuilder, "restClientBuilder");
			return this;
		}

		/**
		 * The JSON mapper for request and answer bodies. Default: a {@link JsonMapper}
		 * that ignores unknown properties (servers add fields).
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
			return this;
		}

		/**
		 * The clock token expiry is judged by. Default the system clock (UTC).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * How long before the access token expires to refresh it. Default 5 minutes.
		 * @param refreshMargin the margin, zero or positive
		 * @return this builder
		 */
		public Builder refreshMargin(Duration refreshMargin) {
			if (refreshMargin == null || refreshMargin.isNegative()) {
				throw new IllegalArgumentException(
						"The refresh margin must be zero or positive, but was " + refreshMargin);
			}
			this.refreshMargin = refreshMargin;
			return this;
		}

		/**
		 * The budget that guards the server's login rate limit. Default an
		 * {@link InMemoryLoginBudget} of 30 logins per 5 minutes and 300 per day.
		 * @param loginBudget the budget
		 * @return this builder
		 */
		public Builder loginBudget(LoginBudget loginBudget) {
			this.loginBudget = Objects.requireNonNull(loginBudget, "loginBudget");
			return this;
		}

		/**
		 * The coordinator of refreshes among processes that share a session store.
		 * Default {@link SessionCoordinator#local()}: this client alone.
		 * @param coordinator the coordinator
		 * @return this builder
		 */
		public Builder sessionCoordinator(SessionCoordinator coordinator) {
			this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
			return this;
		}

		/**
		 * Credentials the client logs in with by itself: on the first call when it has no
		 * session, and when its session is dead.
		 * @param identifier a handle, an email or a DID
		 * @param password the password; use an app password
		 * @return this builder
		 */
		public Builder credentials(String identifier, String password) {
			this.credentials = new Credentials(identifier, password, null);
			return this;
		}

		/**
		 * Adds a listener told of every session change.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder sessionChangeListener(SessionChangeListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		// --- the HTTP transport: timeouts, limits, error decoding

		private Duration connectTimeout;

		private Duration readTimeout;

		private long maxResponseSize = XrpcHttp.DEFAULT_MAX_RESPONSE_SIZE;

		private XrpcErrorDecoder errorDecoder = XrpcErrorDecoder.standard();

		/**
		 * How long the client's own HTTP stack waits for a connection. Default
		 * {@link XrpcHttp#DEFAULT_CONNECT_TIMEOUT} (10 s). Not for a
		 * {@link #restClientBuilder(RestClient.Builder) RestClient.Builder} of your own:
		 * set it on its request factory.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = XrpcHttp.requirePositive(connectTimeout, "connect timeout");
			return this;
		}

		/**
		 * How long the client's own HTTP stack waits for a whole answer, from sending the
		 * request: a server that accepts and never answers, or stops in the middle of an
		 * answer, ends the call with an {@link XrpcTransportException} after this long.
		 * Default {@link XrpcHttp#DEFAULT_READ_TIMEOUT} (30 s). Not for a
		 * {@link #restClientBuilder(RestClient.Builder) RestClient.Builder} of your own:
		 * set it on its request factory.
		 * @param readTimeout a positive duration
		 * @return this builder
		 */
		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = XrpcHttp.requirePositive(readTimeout, "read timeout");
			return this;
		}

		/**
		 * The largest answer body the client reads; a larger one ends the call with an
		 * {@link XrpcException} ({@code InvalidResponse}) without being read further.
		 * Error answers are read up to {@value XrpcHttp#MAX_ERROR_BODY_SIZE} bytes
		 * whatever this says. Default {@link XrpcHttp#DEFAULT_MAX_RESPONSE_SIZE} (16
		 * MiB).
		 * @param maxResponseSize a size in bytes, from 1 to 2 GiB less 9 bytes
		 * @return this builder
		 */
		public Builder maxResponseSize(long maxResponseSize) {
			if (maxResponseSize < 1 || maxResponseSize > XrpcHttp.MAX_RESPONSE_SIZE_LIMIT) {
				throw new IllegalArgumentException("The maximum response size must be from 1 to "
						+ XrpcHttp.MAX_RESPONSE_SIZE_LIMIT + " bytes, but was " + maxResponseSize);
			}
			this.maxResponseSize = maxResponseSize;
			return this;
		}

		/**
		 * What turns an error answer into an exception. Default
		 * {@link XrpcErrorDecoder#standard()}.
		 * @param errorDecoder the decoder
		 * @return this builder
		 */
		public Builder errorDecoder(XrpcErrorDecoder errorDecoder) {
			this.errorDecoder = Objects.requireNonNull(errorDecoder, "errorDecoder");
			return this;
		}

		/**
		 * Builds the client. No network call is made.
		 * @return the client
		 * @throws IllegalStateException if timeouts are set together with a
		 * {@link #restClientBuilder(RestClient.Builder) RestClient.Builder}
		 */
		public AtprotoClient build() {
			return new AtprotoClient(this);
		}

	}

}
