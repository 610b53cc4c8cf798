package io.github.atprotospring.client;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.github.atprotospring.client.lexicon.AppCalls;
import io.github.atprotospring.client.lexicon.ChatCalls;
import io.github.atprotospring.client.lexicon.ComCalls;
import io.github.atprotospring.client.lexicon.LexiconCaller;
import io.github.atprotospring.client.lexicon.ToolsCalls;
import io.github.atprotospring.client.bsky.Bluesky;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;
import io.github.atprotospring.client.observation.AtprotoObservationDocumentation;
import io.github.atprotospring.client.observation.DefaultSessionObservationConvention;
import io.github.atprotospring.client.observation.DefaultXrpcObservationConvention;
import io.github.atprotospring.client.observation.SessionObservationConvention;
import io.github.atprotospring.client.observation.XrpcObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A client of one atproto account on one service, which keeps its session alive by
 * itself.
 * <p>
 * The client logs in with {@link #login(String, String)}
 * ({@code com.atproto.server.createSession}) or takes over a session with
 * {@link #importSession(String)}; built with a {@link SessionStore} and an account, it
 * resumes the stored session as it is built, without a network call. Before each call it
 * refreshes the tokens ({@code com.atproto.server.refreshSession}) when its
 * {@link RefreshPolicy} says so, and again, once, when the server answers that they have
 * expired. A refresh the server refuses means the session is dead: it is removed, from
 * the store too, and the client logs in again if it holds a password, or throws
 * {@link SessionExpiredException}.
 * <p>
 * The session's whole life has one owner inside the client: every new session is saved to
 * the store before any call uses its tokens, and only then are the
 * {@link SessionChangeListener}s told. Thread-safe. Session changes run one at a time:
 * threads that need a change while one is under way wait for it (for a bounded time) and
 * use its result, so a burst of calls through an expiry costs one {@code refreshSession}.
 */
public final class AtprotoClient {

	/** The service logged in to when none is configured. */
	public static final String DEFAULT_SERVICE = "https://bsky.social";

	/**
	 * How long before the access token expires the client refreshes it, when none is
	 * configured.
	 */
	public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

	/**
	 * How long a call waits at most for another thread's session change, when none is
	 * configured.
	 */
	public static final Duration DEFAULT_SESSION_CHANGE_TIMEOUT = Duration.ofMinutes(2);

	static final String GET_SESSION = "com.atproto.server.getSession";

	static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	static final String GET_RECORD = "com.atproto.repo.getRecord";

	static final String GET_PROFILE = "app.bsky.actor.getProfile";

	private final Xrpc xrpc;

	private final Clock clock;

	private final SessionManager sessions;

	private final LexiconCaller lexiconCaller = new Calls();

	private AtprotoClient(Builder builder) {
		this.clock = builder.clock;
		if (builder.restClientBuilder != null && (builder.connectTimeout != null || builder.readTimeout != null)) {
			throw new IllegalStateException("The connect and read timeouts apply to the client's own HTTP stack; "
					+ "with a RestClient.Builder of your own, set them on its request factory");
		}
		ClientObservations observations = builder.observations();
		RestClient.Builder restClientBuilder = (builder.restClientBuilder != null) ? builder.restClientBuilder
				: RestClient.builder()
					.observationRegistry(observations.registry())
					.requestFactory(XrpcHttp.requestFactory(
							(builder.connectTimeout != null) ? builder.connectTimeout
									: XrpcHttp.DEFAULT_CONNECT_TIMEOUT,
							(builder.readTimeout != null) ? builder.readTimeout : XrpcHttp.DEFAULT_READ_TIMEOUT));
		JsonMapper json = (builder.jsonMapper != null) ? builder.jsonMapper
				: JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
		this.xrpc = new Xrpc(restClientBuilder.build(), json, this.clock, builder.errorDecoder, builder.maxResponseSize,
				observations);
		LoginBudget loginBudget = (builder.loginBudget != null) ? builder.loginBudget
				: new InMemoryLoginBudget(this.clock);
		SessionCoordinator coordinator = (builder.coordinator != null) ? builder.coordinator
				: SessionCoordinator.local();
		RefreshPolicy refreshPolicy = (builder.refreshPolicy != null) ? builder.refreshPolicy
				: RefreshPolicy.beforeExpiry(builder.refreshMargin);
		this.sessions = new SessionManager(AtprotoUrls.normalize(builder.service), this.xrpc, this.clock, refreshPolicy,
				loginBudget, coordinator, builder.store, builder.sessionChangeTimeout, builder.credentials,
				builder.listeners, observations);
	}

	/**
	 * The client's default request factory with the default timeouts
	 * ({@link XrpcHttp#DEFAULT_CONNECT_TIMEOUT}, {@link XrpcHttp#DEFAULT_READ_TIMEOUT}):
	 * HTTP/1.1 only, no redirects followed, queries on the JDK's
	 * {@code HttpURLConnection} and procedures on the JDK HTTP client (see
	 * {@link AtprotoHttpClients}). HTTP/1.1 because the JDK client at HTTP/2 asks a plain
	 * {@code http://} server to upgrade ({@code Upgrade: h2c}) on every new connection,
	 * and the reference PDS drops such requests.
	 * @return a request factory speaking HTTP/1.1
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
	 * @return the service URL, without a trailing slash
	 */
	public String service() {
		return this.sessions.service();
	}

	/**
	 * Whether the client holds credentials, and so can log in by itself when it has no
	 * session or its session is dead.
	 * @return {@code true} if an identifier and password are held
	 */
	public boolean hasCredentials() {
		return this.sessions.hasCredentials();
	}

	/**
	 * Adds a listener told of every later session change.
	 * @param listener the listener
	 */
	public void onSessionChange(SessionChangeListener listener) {
		this.sessions.addListener(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * The session now held.
	 * @return the session, or empty if the client has none
	 */
	public Optional<Session> session() {
		return this.sessions.session();
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
		return this.sessions.login(new Credentials(identifier, password, authFactorToken));
	}

	/**
	 * Takes over a session from a session string, without a network call, and saves it to
	 * the store. Reports {@link SessionEvent#IMPORT}. The next call refreshes it first if
	 * its access token has expired.
	 * @param sessionString the session string
	 * ({@code handle:::did:::accessJwt:::refreshJwt:::pdsEndpoint}, or the older form
	 * without the endpoint), or the JSON form of the PHP or TypeScript SDK (a text that
	 * starts with <code>{</code>; read by {@link SessionJson}, with this client's service
	 * as the PDS endpoint when it has no {@code didDoc})
	 * @return the imported session
	 * @throws IllegalArgumentException if the string is malformed; the message names the
	 * field
	 */
	public Session importSession(String sessionString) {
		return importSession(SessionJson.isJson(sessionString) ? SessionJson.parse(sessionString, service())
				: SessionString.parse(sessionString));
	}

	/**
	 * Takes over a session, without a network call, and saves it to the store. Reports
	 * {@link SessionEvent#IMPORT}.
	 * @param session the session
	 * @return the session
	 */
	public Session importSession(Session session) {
		return this.sessions.importSession(Objects.requireNonNull(session, "session"));
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
	 * The held session in the JSON form of the PHP and TypeScript SDKs
	 * ({@link SessionJson#format(Session)}): the PHP SDK's restore and the TypeScript
	 * SDK's {@code resumeSession} take it, and {@link #importSession(String)} reads it
	 * back with its PDS endpoint.
	 * @return the JSON object; it contains both tokens, so treat it as a secret
	 * @throws IllegalStateException if the client has no session
	 */
	public String exportSessionJson() {
		return session().map(SessionJson::format)
			.orElseThrow(() -> new IllegalStateException("The client has no session to export"));
	}

	/**
	 * Makes sure the client has a usable session: logs in if it has none (and holds
	 * credentials), and refreshes it if its refresh policy says so. Calls do this by
	 * themselves; use this to resume eagerly, at startup say.
	 * @return the session
	 * @throws NotLoggedInException if there is no session and no credentials
	 */
	public Session ensureSession() {
		return this.sessions.sessionForCall(GET_SESSION).session();
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
		return this.sessions.refreshNow();
	}

	/**
	 * Ends the session: revokes its refresh token
	 * ({@code com.atproto.server.deleteSession}), drops the session and the credentials,
	 * and removes the session from the store. Reports {@link SessionEvent#DELETE}. The
	 * access token stays valid at the server until it expires.
	 * @throws XrpcTransportException if the server could not be reached (the session is
	 * dropped anyway)
	 */
	public void logout() {
		this.sessions.logout();
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

	// --- the typed API, generated from the lexicons

	/**
	 * The typed calls of {@code app.*}, such as
	 * {@code client.app().bsky().feed().getTimeline(params)}. Every call goes through
	 * this client's session, as {@link #query(String, Map, Class)} does.
	 * @return the calls
	 */
	public AppCalls app() {
		return new AppCalls(this.lexiconCaller);
	}

	/**
	 * The typed calls of {@code com.*}, such as
	 * {@code client.com().atproto().repo().createRecord(input)}.
	 * @return the calls
	 */
	public ComCalls com() {
		return new ComCalls(this.lexiconCaller);
	}

	/**
	 * The typed calls of {@code chat.*}, proxied by the PDS to the Bluesky chat service
	 * ({@code atproto-proxy: }{@value ChatCalls#DEFAULT_PROXY}); another service with
	 * {@code chat().withProxy(...)}.
	 * @return the calls
	 */
	public ChatCalls chat() {
		return new ChatCalls(this.lexiconCaller, ChatCalls.DEFAULT_PROXY);
	}

	/**
	 * The typed calls of {@code tools.*} (Ozone moderation), sent to the PDS; give the
	 * labeler's service with {@code tools().withProxy("did:plc:...#atproto_labeler")}.
	 * @return the calls
	 */
	public ToolsCalls tools() {
		return new ToolsCalls(this.lexiconCaller);
	}

	/**
	 * Bluesky's everyday actions through this client: post, reply, quote, images, like,
	 * repost, follow and their undo, paging as a stream; records are dated by this
	 * client's clock.
	 * @return the actions
	 */
	public Bluesky bsky() {
		return new Bluesky(this, this.clock);
	}

	@Override
	public String toString() {
		return "AtprotoClient[service=" + service() + ", session=" + session().map(Session::did).orElse("none") + "]";
	}

	// --- calls

	private <T> T call(String nsid, Function<Held, T> exchange) {
		Held used = this.sessions.sessionForCall(nsid);
		try {
			return exchange.apply(used);
		}
		catch (XrpcException ex) {
			if (!this.sessions.accessExpired(ex, used)) {
				throw ex;
			}
			// Refresh once, unless another caller already did (then its session is used),
			// and retry once.
			return exchange.apply(this.sessions.afterExpired(used, nsid));
		}
	}

	/** The typed API's way into the client: every call goes through the session. */
	private final class Calls implements LexiconCaller {

		@Override
		public <T> T query(String nsid, Map<String, ?> params, String proxy, Class<T> output) {
			return call(nsid, (held) -> AtprotoClient.this.xrpc.call(held.session().pdsEndpoint(), nsid, false, params,
					null, null, proxy, held.session().accessJwt(), output));
		}

		@Override
		public <T> T procedure(String nsid, Map<String, ?> params, Object input, String proxy, Class<T> output) {
			return call(nsid, (held) -> AtprotoClient.this.xrpc.call(held.session().pdsEndpoint(), nsid, true, params,
					input, null, proxy, held.session().accessJwt(), output));
		}

		@Override
		public <T> T upload(String nsid, Map<String, ?> params, byte[] data, String mimeType, String proxy,
				Class<T> output) {
			MediaType mediaType = MediaType.parseMediaType(Objects.requireNonNull(mimeType, "mimeType"));
			Objects.requireNonNull(data, "data");
			return call(nsid, (held) -> AtprotoClient.this.xrpc.call(held.session().pdsEndpoint(), nsid, true, params,
					data, mediaType, proxy, held.session().accessJwt(), output));
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

		private RefreshPolicy refreshPolicy;

		private SessionStore store;

		private String account;

		private Duration sessionChangeTimeout = DEFAULT_SESSION_CHANGE_TIMEOUT;

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
		 * Default {@link RestClient#builder()} with the client's default transport
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
		 * How long before the access token expires to refresh it, capped at half the
		 * token's lifetime ({@link RefreshPolicy#beforeExpiry(Duration)}). Default 5
		 * minutes. Ignored when a {@link #refreshPolicy(RefreshPolicy)} is given.
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
		 * When to refresh before expiry. Default
		 * {@link RefreshPolicy#beforeExpiry(Duration)} with the
		 * {@link #refreshMargin(Duration) refresh margin}.
		 * @param refreshPolicy the policy
		 * @return this builder
		 */
		public Builder refreshPolicy(RefreshPolicy refreshPolicy) {
			this.refreshPolicy = Objects.requireNonNull(refreshPolicy, "refreshPolicy");
			return this;
		}

		/**
		 * Where the client keeps its sessions: every new session is saved there before
		 * its tokens are used, a session that ends is removed, and the stored session of
		 * the {@link #account(String) account} is resumed when the client is built.
		 * Default none: the session lives in memory only.
		 * @param store the store
		 * @return this builder
		 */
		public Builder sessionStore(SessionStore store) {
			this.store = Objects.requireNonNull(store, "store");
			return this;
		}

		/**
		 * The account whose stored session the client resumes when it is built, without a
		 * network call and without a password. Set by
		 * {@link #credentials(String, String)} too.
		 * @param identifier a handle, an email or a DID
		 * @return this builder
		 */
		public Builder account(String identifier) {
			if (identifier == null || identifier.isBlank()) {
				throw new IllegalArgumentException("The account (a handle, email or DID) must not be empty");
			}
			this.account = identifier.strip();
			return this;
		}

		/**
		 * How long a call waits at most for another thread's session change (a refresh or
		 * a login, with the coordination among instances) before it fails with a
		 * {@link SessionWaitException}. Default 2 minutes.
		 * @param timeout the timeout, positive
		 * @return this builder
		 */
		public Builder sessionChangeTimeout(Duration timeout) {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("The session change timeout must be positive, but was " + timeout);
			}
			this.sessionChangeTimeout = timeout;
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
			this.account = this.credentials.identifier();
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

		// --- observations: XRPC calls and session changes

		private ObservationRegistry observationRegistry;

		private XrpcObservationConvention xrpcObservationConvention;

		private SessionObservationConvention sessionObservationConvention;

		/**
		 * The registry the client's observations are made in: one per XRPC call
		 * ({@code atproto.xrpc.requests}) and one per session change
		 * ({@code atproto.session.changes}), see {@link AtprotoObservationDocumentation}.
		 * The client's own HTTP stack reports its exchanges there too
		 * ({@code http.client.requests}); a {@link #restClientBuilder(RestClient.Builder)
		 * RestClient.Builder} of your own keeps the registry it has. Default none
		 * ({@link ObservationRegistry#NOOP}): nothing is observed.
		 * @param observationRegistry the registry
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * The convention of the observations of XRPC calls. Default
		 * {@link DefaultXrpcObservationConvention}.
		 * @param convention the convention
		 * @return this builder
		 */
		public Builder xrpcObservationConvention(XrpcObservationConvention convention) {
			this.xrpcObservationConvention = Objects.requireNonNull(convention, "convention");
			return this;
		}

		/**
		 * The convention of the observations of session changes. Default
		 * {@link DefaultSessionObservationConvention}.
		 * @param convention the convention
		 * @return this builder
		 */
		public Builder sessionObservationConvention(SessionObservationConvention convention) {
			this.sessionObservationConvention = Objects.requireNonNull(convention, "convention");
			return this;
		}

		private ClientObservations observations() {
			return (this.observationRegistry != null) ? new ClientObservations(this.observationRegistry,
					this.xrpcObservationConvention, this.sessionObservationConvention) : ClientObservations.NONE;
		}

		/**
		 * Builds the client, and resumes the account's stored session if there is one
		 * (reported as {@link SessionEvent#IMPORT} to the builder's listeners). No
		 * network call is made.
		 * @return the client
		 * @throws IllegalStateException if timeouts are set together with a
		 * {@link #restClientBuilder(RestClient.Builder) RestClient.Builder}
		 */
		public AtprotoClient build() {
			AtprotoClient client = new AtprotoClient(this);
			client.sessions.resume(this.account);
			return client;
		}

	}

}
