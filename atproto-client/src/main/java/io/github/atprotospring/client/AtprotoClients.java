package io.github.atprotospring.client;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

/**
 * The clients of many accounts on one service, for an application that acts for many
 * accounts at once: the bots of a fleet, the users of a feed or a labeler, customers who
 * each connect an account with an app password. One {@link AtprotoClient} per account,
 * each with everything a client of one account has (one refresh at a time, coordination
 * of its refreshes among instances, its own login budget, its events), all sharing one
 * {@link SessionStore}, one {@link RestClient} (one HTTP connection pool) and whatever
 * the {@link Builder#clientBuilder(Supplier) client builder} shares (a JSON mapper, the
 * login budget, the coordinator).
 * <p>
 * Accounts are added with {@link #login(String, String)}: the password is used once for
 * {@code createSession} and kept nowhere, neither in memory nor in the store; from then
 * on the stored session is the account's only credential. {@link #find(String)} hands out
 * the account's client, loaded from the store on first use without a network call while
 * its access token is valid. At most {@link Builder#maxResident(int) maxResident} clients
 * stay in memory: the least recently used leave it (their sessions stay in the store) and
 * are loaded again when next asked for. A client that leaves the registry while the
 * application still holds it is handed out again rather than doubled, so that one process
 * never holds two clients, and two refresh tokens, of one account.
 * <p>
 * Clients made elsewhere (the application's configured accounts, say) can be
 * {@link Builder#pinned(Collection) pinned}: the registry hands them out for their
 * accounts instead of making clients of its own, never evicts them and never removes
 * them. Thread-safe.
 */
public final class AtprotoClients {

	/** How many clients stay in memory when no other bound is given. */
	public static final int DEFAULT_MAX_RESIDENT = 1_000;

	private static final Logger logger = LoggerFactory.getLogger(AtprotoClients.class);

	private final String service;

	private final SessionStore store;

	private final Supplier<AtprotoClient.Builder> clientBuilder;

	/** What every client's HTTP calls go through: one for all the registry's clients. */
	private final RestClient.Builder http;

	private final int maxResident;

	private final Duration loadTimeout;

	private final List<AtprotoClient> pinned;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final Object lock = new Object();

	/**
	 * The clients kept in memory, least recently used first. Guarded by {@link #lock}.
	 */
	private final LinkedHashMap<String, AtprotoClient> resident;

	/**
	 * Every client of the registry that may still be in use, by DID: the resident ones
	 * and those evicted but still held by the application. Guarded by {@link #lock}.
	 */
	private final Map<String, Known> known = new HashMap<>();

	/** The DIDs of known clients by lower-case handle. Guarded by {@link #lock}. */
	private final Map<String, String> didByHandle = new HashMap<>();

	private final ReferenceQueue<AtprotoClient> collected = new ReferenceQueue<>();

	/** Loads from the store under way, by DID or lower-case identifier. */
	private final Map<String, CompletableFuture<Optional<AtprotoClient>>> loading = new ConcurrentHashMap<>();

	private AtprotoClients(Builder builder) {
		this.service = AtprotoUrls.normalize(builder.service);
		this.store = Objects.requireNonNull(builder.store,
				"A registry of accounts needs a SessionStore: the stored sessions are the accounts' credentials");
		this.clientBuilder = (builder.clientBuilder != null) ? builder.clientBuilder : AtprotoClients::defaultClient;
		this.http = handingOut((builder.restClient != null) ? builder.restClient
				: RestClient.builder().requestFactory(AtprotoClient.http11RequestFactory()).build());
		this.maxResident = builder.maxResident;
		this.loadTimeout = builder.loadTimeout;
		this.pinned = builder.pinned.stream()
			.filter((client) -> AtprotoUrls.normalize(client.service()).equals(this.service))
			.toList();
		this.listeners.addAll(builder.listeners);
		this.resident = new LinkedHashMap<>(16, 0.75f, true) {

			private static final long serialVersionUID = 1L;

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, AtprotoClient> eldest) {
				return size() > AtprotoClients.this.maxResident;
			}

		};
	}

	/**
	 * A builder for a registry.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The service of the registry's accounts.
	 * @return the service URL, without a trailing slash
	 */
	public String service() {
		return this.service;
	}

	/**
	 * Adds an account: logs in ({@code com.atproto.server.createSession}, within the
	 * account's login budget), saves the session to the store and reports
	 * {@link SessionEvent#CREATE}. The password is used for this one login and kept
	 * nowhere: when the account's session dies later, it must be logged in again.
	 * <p>
	 * If the registry already holds a client of the account, that client takes the new
	 * session (reported as {@link SessionEvent#IMPORT} after the CREATE).
	 * @param identifier a handle, an email or a DID
	 * @param password the password; use an app password
	 * @return the account's client, holding the new session
	 * @throws AuthenticationRequiredException if the server refused the credentials
	 * @throws AuthFactorTokenRequiredException if the server mailed a sign-in code to
	 * pass to {@link #login(String, String, String)}
	 * @throws RateLimitExceededException if the server or the login budget refused the
	 * login
	 */
	public AtprotoClient login(String identifier, String password) {
		return login(identifier, password, null);
	}

	/**
	 * Adds an account with the code of an email two-factor sign-in.
	 * @param identifier a handle, an email or a DID
	 * @param password the password; use an app password
	 * @param authFactorToken the code the server mailed, or {@code null}
	 * @return the account's client, holding the new session
	 * @see #login(String, String)
	 */
	public AtprotoClient login(String identifier, String password, String authFactorToken) {
		// A client of its own for the login alone, dropped afterwards with the password
		// it holds; its CREATE is told as the CREATE of the client handed out.
		Notices created = new Notices();
		Session session = newClient(created).build().login(identifier, password, authFactorToken);
		AtprotoClient existing = held(session.did());
		if (existing == null) {
			Notices resumed = new Notices();
			AtprotoClient fresh = newClient(resumed).account(session.did()).build();
			if (fresh.session().filter(session::sameTokensAs).isEmpty()) {
				// The store did not keep it (it failed, or another login came between).
				fresh.importSession(session);
			}
			AtprotoClient admitted = admit(fresh);
			if (admitted == fresh) {
				created.bind(fresh, (notice) -> true);
				// Resuming the session just created is no news.
				resumed.bind(fresh,
						(notice) -> notice.event() != SessionEvent.IMPORT || !notice.session().sameTokensAs(session));
				return fresh;
			}
			resumed.discard();
			existing = admitted;
		}
		created.bind(existing, (notice) -> true);
		existing.importSession(session);
		return existing;
	}

	/**
	 * The client of an account: the one in memory, or one loaded from the store (no
	 * network call; reported as {@link SessionEvent#IMPORT}). The client refreshes its
	 * session by itself when it is used.
	 * @param didOrHandle the account's DID, handle or email
	 * @return the client, or empty if no session of the account is stored for the
	 * registry's service (or the stored one cannot be read)
	 * @throws SessionWaitException if another thread's load of the same account did not
	 * end in time, or the wait was interrupted
	 */
	public Optional<AtprotoClient> find(String didOrHandle) {
		String id = requireIdentifier(didOrHandle);
		AtprotoClient client = held(id);
		return (client != null) ? Optional.of(client) : load(id);
	}

	/**
	 * The client of an account, which must be stored.
	 * @param didOrHandle the account's DID, handle or email
	 * @return the client
	 * @throws NoSuchElementException if no session of the account is stored
	 * @see #find(String)
	 */
	public AtprotoClient get(String didOrHandle) {
		return find(didOrHandle).orElseThrow(() -> new NoSuchElementException("No session of " + didOrHandle.strip()
				+ " is stored for " + this.service + ": add the account with login(identifier, password)"));
	}

	/**
	 * The accounts whose sessions the store holds for the registry's service, as the
	 * store lists them ({@link SessionStore#accounts(String)}): those in memory and those
	 * not. No session is read.
	 * @return the stored accounts; empty if the store cannot list
	 */
	public List<StoredAccount> list() {
		return this.store.accounts(this.service);
	}

	/**
	 * Removes an account: revokes its refresh token at the server
	 * ({@code com.atproto.server.deleteSession}), removes its session from the store and
	 * its client from the registry, and reports {@link SessionEvent#DELETE}. The access
	 * token stays valid at the server until it expires.
	 * @param didOrHandle the account's DID, handle or email
	 * @return {@code true} if the account had a session, {@code false} if there was none
	 * @throws IllegalArgumentException if the account's client is pinned (configured
	 * elsewhere): end its session with its own {@link AtprotoClient#logout()}
	 * @throws XrpcTransportException if the server could not be reached (the session is
	 * removed anyway)
	 */
	public boolean remove(String didOrHandle) {
		String id = requireIdentifier(didOrHandle);
		for (AtprotoClient client : this.pinned) {
			if (client.session().filter((session) -> SessionStore.belongsTo(session, id)).isPresent()) {
				throw new IllegalArgumentException("The account " + id + " is configured, not added at runtime: "
						+ "remove it from the configuration, or end its session with the logout() of its own client");
			}
		}
		AtprotoClient client = held(id);
		if (client == null) {
			// Not in memory: a client for the logout alone, whose loading is no news.
			Notices notices = new Notices();
			client = newClient(notices).account(id).build();
			notices.bind(client, (notice) -> notice.event() != SessionEvent.IMPORT);
		}
		if (client.session().isEmpty()) {
			return false;
		}
		client.logout();
		return true;
	}

	/**
	 * Adds a listener told of every later session change of the registry's clients.
	 * @param listener the listener
	 */
	public void onSessionChange(Listener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
	}

	/**
	 * How many clients are in memory now (pinned ones not counted).
	 * @return the count, at most {@link #maxResident()}
	 */
	public int residentCount() {
		synchronized (this.lock) {
			return this.resident.size();
		}
	}

	/**
	 * How many clients stay in memory at most.
	 * @return the bound
	 */
	public int maxResident() {
		return this.maxResident;
	}

	@Override
	public String toString() {
		return "AtprotoClients[service=" + this.service + ", resident=" + residentCount() + "/" + this.maxResident
				+ "]";
	}

	// --- clients in memory

	/** The client of an account if one is pinned, resident or still in use. */
	private AtprotoClient held(String id) {
		for (AtprotoClient client : this.pinned) {
			if (client.session().filter((session) -> SessionStore.belongsTo(session, id)).isPresent()) {
				return client;
			}
		}
		synchronized (this.lock) {
			purge();
			String did = isDid(id) ? id : this.didByHandle.get(lowerCase(id));
			if (did == null) {
				return null;
			}
			AtprotoClient client = this.resident.get(did);
			if (client == null) {
				Known entry = this.known.get(did);
				client = (entry != null) ? entry.get() : null;
				if (client == null) {
					return null;
				}
				this.resident.put(did, client);
			}
			// A handle that moved to another account is looked up in the store again.
			return client.session().filter((session) -> SessionStore.belongsTo(session, id)).isPresent() ? client
					: null;
		}
	}

	/**
	 * Makes a new client the account's, unless another client of the account is still in
	 * use: then that one.
	 */
	private AtprotoClient admit(AtprotoClient client) {
		Session session = client.session().orElseThrow();
		synchronized (this.lock) {
			purge();
			Known entry = this.known.get(session.did());
			AtprotoClient existing = (entry != null) ? entry.get() : null;
			if (existing != null) {
				this.resident.put(session.did(), existing);
				return existing;
			}
			this.known.put(session.did(), new Known(client, session.did(), session.handle(), this.collected));
			this.didByHandle.put(lowerCase(session.handle()), session.did());
			this.resident.put(session.did(), client);
			return client;
		}
	}

	/** Forgets the clients that nothing holds any more. Called under {@link #lock}. */
	private void purge() {
		Object gone;
		while ((gone = this.collected.poll()) != null) {
			Known entry = (Known) gone;
			if (this.known.get(entry.did) == entry) {
				this.known.remove(entry.did);
				this.didByHandle.remove(lowerCase(entry.handle), entry.did);
			}
		}
	}

	/** Keeps the handle index right, and forgets a client whose session ended. */
	private void track(AtprotoClient client, SessionEvent event, Session session) {
		synchronized (this.lock) {
			Known entry = this.known.get(session.did());
			if (entry == null || entry.get() != client) {
				return;
			}
			if (event == SessionEvent.DELETE) {
				this.known.remove(session.did());
				this.resident.remove(session.did());
				this.didByHandle.remove(lowerCase(entry.handle), session.did());
			}
			else if (!entry.handle.equalsIgnoreCase(session.handle())) {
				this.didByHandle.remove(lowerCase(entry.handle), session.did());
				entry.handle = session.handle();
				this.didByHandle.put(lowerCase(session.handle()), session.did());
			}
		}
	}

	// --- loading from the store

	private Optional<AtprotoClient> load(String id) {
		String key = isDid(id) ? id : lowerCase(id);
		CompletableFuture<Optional<AtprotoClient>> mine = new CompletableFuture<>();
		CompletableFuture<Optional<AtprotoClient>> running = this.loading.putIfAbsent(key, mine);
		if (running != null) {
			return await(running, id);
		}
		try {
			Optional<AtprotoClient> loaded = loadFromStore(id);
			mine.complete(loaded);
			return loaded;
		}
		catch (RuntimeException | Error ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.loading.remove(key, mine);
		}
	}

	private Optional<AtprotoClient> loadFromStore(String id) {
		String did = id;
		if (!isDid(id)) {
			Optional<Session> stored;
			try {
				stored = this.store.find(this.service, id);
			}
			catch (RuntimeException ex) {
				logger.warn("The stored atproto session for {} at {} cannot be read and is ignored ({})", id,
						this.service, ex.getClass().getName());
				return Optional.empty();
			}
			if (stored.isEmpty() || !SessionStore.belongsTo(stored.get(), id)) {
				return Optional.empty();
			}
			did = stored.get().did();
			AtprotoClient client = held(did);
			if (client != null) {
				return Optional.of(client);
			}
		}
		Notices notices = new Notices();
		AtprotoClient client = newClient(notices).account(did).build();
		if (client.session().isEmpty()) {
			notices.discard();
			return Optional.empty();
		}
		AtprotoClient admitted = admit(client);
		if (admitted == client) {
			notices.bind(client, (notice) -> true);
		}
		else {
			notices.discard();
		}
		return Optional.of(admitted);
	}

	private Optional<AtprotoClient> await(CompletableFuture<Optional<AtprotoClient>> running, String id) {
		try {
			return running.get(this.loadTimeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SessionWaitException(null, "Interrupted while another thread loaded the session of " + id, ex);
		}
		catch (TimeoutException ex) {
			throw new SessionWaitException(null,
					"Another thread's load of the session of " + id + " did not end within " + this.loadTimeout, ex);
		}
	}

	private AtprotoClient.Builder newClient(SessionChangeListener listener) {
		return this.clientBuilder.get()
			.service(this.service)
			.sessionStore(this.store)
			.restClientBuilder(this.http)
			.sessionChangeListener(listener);
	}

	// --- telling the listeners

	private void tell(AtprotoClient client, SessionEvent event, Session session) {
		track(client, event, session);
		for (Listener listener : this.listeners) {
			try {
				listener.onSessionChange(client, event, session);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of the account registry failed on {} for {}; the session is kept: {}", event,
						session.did(), Redaction.describe(ex, session));
			}
		}
	}

	/**
	 * The listener of one client of the registry: it holds the client's notices until the
	 * client is the account's (its IMPORT while it is built comes before that), then
	 * tells them, in order, with the client they concern.
	 */
	private final class Notices implements SessionChangeListener {

		/** Guarded by this. */
		private AtprotoClient client;

		/** Guarded by this; {@code null} once bound or discarded. */
		private List<Notice> held = new ArrayList<>();

		@Override
		public void onSessionChange(SessionEvent event, Session session) {
			synchronized (this) {
				if (this.held != null) {
					this.held.add(new Notice(event, session));
					return;
				}
				if (this.client != null) {
					// Under the lock, so that nothing overtakes the notices held before.
					tell(this.client, event, session);
				}
			}
		}

		synchronized void bind(AtprotoClient bound, Predicate<Notice> keep) {
			List<Notice> notices = this.held;
			this.held = null;
			this.client = bound;
			for (Notice notice : notices) {
				if (keep.test(notice)) {
					tell(bound, notice.event(), notice.session());
				}
			}
		}

		synchronized void discard() {
			this.held = null;
			this.client = null;
		}

	}

	private record Notice(SessionEvent event, Session session) {
	}

	/** A client of the registry, held weakly so that it can leave memory. */
	private static final class Known extends WeakReference<AtprotoClient> {

		final String did;

		/** Guarded by the registry's lock. */
		String handle;

		Known(AtprotoClient client, String did, String handle, ReferenceQueue<AtprotoClient> queue) {
			super(client, queue);
			this.did = did;
			this.handle = handle;
		}

	}

	// --- small parts

	private static String requireIdentifier(String didOrHandle) {
		if (didOrHandle == null || didOrHandle.isBlank()) {
			throw new IllegalArgumentException("The account (a DID, handle or email) must not be empty");
		}
		return didOrHandle.strip();
	}

	private static boolean isDid(String id) {
		return id.startsWith("did:");
	}

	private static String lowerCase(String value) {
		return value.toLowerCase(Locale.ROOT);
	}

	/** A client with the defaults, on the one JSON mapper of the registry's own. */
	private static AtprotoClient.Builder defaultClient() {
		return AtprotoClient.builder().jsonMapper(DefaultJson.MAPPER);
	}

	/**
	 * A {@link RestClient.Builder} that hands out one {@link RestClient}. A client builds
	 * its RestClient from the builder it is given, and every RestClient built anew makes
	 * a set of message converters of its own (most of a resident client's heap and of the
	 * time to load it from the store); thousands of clients share one instead. It cannot
	 * be configured.
	 */
	private static RestClient.Builder handingOut(RestClient client) {
		return (RestClient.Builder) Proxy.newProxyInstance(RestClient.Builder.class.getClassLoader(),
				new Class<?>[] { RestClient.Builder.class }, (proxy, method, args) -> switch (method.getName()) {
					case "build" -> client;
					case "clone" -> proxy;
					case "equals" -> proxy == args[0];
					case "hashCode" -> System.identityHashCode(proxy);
					case "toString" -> "RestClient.Builder[the registry's shared RestClient]";
					default -> throw new UnsupportedOperationException("The RestClient of the registry's clients is "
							+ "shared; configure it before it is given to AtprotoClients.Builder.restClient(...)");
				});
	}

	/** The JSON mapper of the registry's clients when no client builder is given. */
	private static final class DefaultJson {

		static final JsonMapper MAPPER = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();

	}

	/**
	 * Told of every session change of the registry's clients, with the client concerned.
	 * Listeners run as {@link SessionChangeListener}s do: after the change is in place
	 * and saved; one that throws is logged and otherwise ignored.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called after a session change of one of the registry's clients.
		 * @param client the client whose session changed
		 * @param event what happened
		 * @param session the session now held (for {@link SessionEvent#DELETE}, the
		 * session removed)
		 */
		void onSessionChange(AtprotoClient client, SessionEvent event, Session session);

	}

	/**
	 * Builds an {@link AtprotoClients} registry.
	 */
	public static final class Builder {

		private String service = AtprotoClient.DEFAULT_SERVICE;

		private SessionStore store;

		private Supplier<AtprotoClient.Builder> clientBuilder;

		private RestClient restClient;

		private int maxResident = DEFAULT_MAX_RESIDENT;

		private Duration loadTimeout = AtprotoClient.DEFAULT_SESSION_CHANGE_TIMEOUT;

		private final List<AtprotoClient> pinned = new ArrayList<>();

		private final List<Listener> listeners = new ArrayList<>();

		private Builder() {
		}

		/**
		 * The service of the accounts. Default {@value AtprotoClient#DEFAULT_SERVICE}.
		 * @param service an http or https URL
		 * @return this builder
		 */
		public Builder service(String service) {
			AtprotoClient.builder().service(service);
			this.service = service;
			return this;
		}

		/**
		 * The store of the accounts' sessions; required. Clients are loaded from it, and
		 * save every new session to it.
		 * @param store the store
		 * @return this builder
		 */
		public Builder sessionStore(SessionStore store) {
			this.store = Objects.requireNonNull(store, "store");
			return this;
		}

		/**
		 * Where the registry gets a new builder for each client it makes, with what its
		 * clients share besides the HTTP stack: a JSON mapper (give every builder the
		 * same one), the clock, the login budget, the session coordinator, the refresh
		 * policy, listeners. The registry sets the service, the store, the
		 * {@link #restClient(RestClient) RestClient}, the account and a listener of its
		 * own; give no credentials. Default: the client's defaults, with one JSON mapper
		 * for all.
		 * @param clientBuilder a supplier of a new builder per call
		 * @return this builder
		 */
		public Builder clientBuilder(Supplier<AtprotoClient.Builder> clientBuilder) {
			this.clientBuilder = Objects.requireNonNull(clientBuilder, "clientBuilder");
			return this;
		}

		/**
		 * The one {@link RestClient} every client of the registry sends its calls
		 * through: one connection pool and one set of message converters for all
		 * accounts. Give it a request factory that has timeouts and never follows
		 * redirects (a redirect would carry a token to another host). Default: one on the
		 * JDK HTTP client at HTTP/1.1 ({@link AtprotoClient#http11RequestFactory()}).
		 * @param restClient the RestClient
		 * @return this builder
		 */
		public Builder restClient(RestClient restClient) {
			this.restClient = Objects.requireNonNull(restClient, "restClient");
			return this;
		}

		/**
		 * How many clients stay in memory at most; the least recently used leave it when
		 * there are more, and are loaded from the store again when next asked for.
		 * Default {@value AtprotoClients#DEFAULT_MAX_RESIDENT}.
		 * @param maxResident at least 1
		 * @return this builder
		 */
		public Builder maxResident(int maxResident) {
			if (maxResident < 1) {
				throw new IllegalArgumentException(
						"The registry must keep at least one client in memory, not " + maxResident);
			}
			this.maxResident = maxResident;
			return this;
		}

		/**
		 * How long a lookup waits at most for another thread's load of the same account
		 * from the store. Default 2 minutes.
		 * @param loadTimeout a positive duration
		 * @return this builder
		 */
		public Builder loadTimeout(Duration loadTimeout) {
			if (loadTimeout == null || loadTimeout.isNegative() || loadTimeout.isZero()) {
				throw new IllegalArgumentException("The load timeout must be positive, but was " + loadTimeout);
			}
			this.loadTimeout = loadTimeout;
			return this;
		}

		/**
		 * Clients made elsewhere that the registry hands out for their accounts instead
		 * of making clients of its own (those of another service are ignored). They are
		 * never evicted, and {@link AtprotoClients#remove(String)} refuses them.
		 * @param clients the clients
		 * @return this builder
		 */
		public Builder pinned(Collection<AtprotoClient> clients) {
			clients.forEach((client) -> this.pinned.add(Objects.requireNonNull(client, "client")));
			return this;
		}

		/**
		 * Adds a listener told of every session change of the registry's clients.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder sessionChangeListener(Listener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Builds the registry. No client is made and no session is read until one is
		 * asked for.
		 * @return the registry
		 * @throws NullPointerException if no store was given
		 */
		public AtprotoClients build() {
			return new AtprotoClients(this);
		}

	}

}
