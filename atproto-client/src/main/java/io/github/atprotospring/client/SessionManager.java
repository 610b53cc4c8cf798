package io.github.atprotospring.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import io.github.atprotospring.client.observation.SessionChangeTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The one owner of an account's session lifecycle: it holds the session, decides when to
 * refresh it (through the {@link RefreshPolicy}), runs one change at a time, and calls
 * the {@link LoginBudget}, the {@link SessionCoordinator} and the {@link SessionStore}
 * itself, synchronously, before any waiting call uses new tokens. Listeners are told
 * afterwards, in order, outside the change: nothing they do can stop a save.
 * <p>
 * Expiry is judged on the server's clock: a token's lifetime ({@code exp - iat}) is
 * counted from the moment the client received it, and the skew learnt then is applied to
 * sessions imported later.
 */
final class SessionManager {

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	static final String DELETE_SESSION = "com.atproto.server.deleteSession";

	/**
	 * How long the client keeps using a still-valid access token after a proactive
	 * refresh failed.
	 */
	private static final Duration PROACTIVE_RETRY_DELAY = Duration.ofSeconds(30);

	/** A skew beyond this is not a clock that is off but a token that lies. */
	private static final Duration MAX_SKEW = Duration.ofDays(7);

	private static final Logger logger = LoggerFactory.getLogger(AtprotoClient.class);

	private final String service;

	private final Xrpc xrpc;

	private final Clock clock;

	private final RefreshPolicy refreshPolicy;

	private final LoginBudget loginBudget;

	private final SessionCoordinator coordinator;

	private final SessionStore store;

	private final Duration changeTimeout;

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

	/**
	 * How far the client's clock is ahead of the server's, learnt from the last token.
	 */
	private volatile Duration skew = Duration.ZERO;

	private volatile Credentials credentials;

	/** The last session held, to key the login budget by the account's DID. */
	private volatile Session lastKnown;

	/**
	 * After a proactive refresh failed for a transient reason, no new proactive attempt
	 * before this.
	 */
	private volatile Instant proactiveRefreshNotBefore;

	/** Changes not yet told to the listeners, in the order they happened. */
	private final Queue<Notice> notices = new ConcurrentLinkedQueue<>();

	private final ReentrantLock telling = new ReentrantLock();

	private final ClientObservations observations;

	SessionManager(String service, Xrpc xrpc, Clock clock, RefreshPolicy refreshPolicy, LoginBudget loginBudget,
			SessionCoordinator coordinator, SessionStore store, Duration changeTimeout, Credentials credentials,
			List<SessionChangeListener> listeners, ClientObservations observations) {
		this.observations = observations;
		this.service = service;
		this.xrpc = xrpc;
		this.clock = clock;
		this.refreshPolicy = refreshPolicy;
		this.loginBudget = loginBudget;
		this.coordinator = coordinator;
		this.store = store;
		this.changeTimeout = changeTimeout;
		this.credentials = credentials;
		this.listeners.addAll(listeners);
	}

	String service() {
		return this.service;
	}

	boolean hasCredentials() {
		return this.credentials != null;
	}

	void addListener(SessionChangeListener listener) {
		this.listeners.add(listener);
	}

	Optional<Session> session() {
		return Optional.ofNullable(currentHeld()).map(Held::session);
	}

	// --- what the client asks

	/**
	 * Takes the stored session of an account, without a network call and without saving
	 * it again. A store that cannot be read, or a row of another account, counts as no
	 * stored session.
	 */
	Optional<Session> resume(String identifier) {
		if (this.store == null || identifier == null || identifier.isBlank()) {
			return Optional.empty();
		}
		String id = identifier.strip();
		Optional<Session> stored;
		try {
			stored = this.store.find(this.service, id);
		}
		catch (RuntimeException ex) {
			logger.warn("The stored atproto session for {} at {} cannot be read and is ignored ({}: {})", id,
					this.service, ex.getClass().getName(), ex.getMessage());
			return Optional.empty();
		}
		if (stored.isPresent() && !SessionStore.belongsTo(stored.get(), id)) {
			logger.warn("The stored atproto session for {} at {} belongs to another account ({}); it is ignored", id,
					this.service, stored.get().did());
			return Optional.empty();
		}
		stored.ifPresent((session) -> change(true, null, observed(SessionEvent.IMPORT, SessionChangeTrigger.STORED,
				(current) -> put(session, null, SessionEvent.IMPORT, false))));
		return stored;
	}

	Session login(Credentials given) {
		Held result = change(true, CREATE_SESSION, observed(SessionEvent.CREATE, SessionChangeTrigger.REQUESTED,
				(current) -> put(createSession(given), SessionEvent.CREATE)));
		// The code is single-use: a later login of the client's own is made without it.
		this.credentials = new Credentials(given.identifier(), given.password(), null);
		return result.session();
	}

	Session importSession(Session session) {
		return change(true, null, observed(SessionEvent.IMPORT, SessionChangeTrigger.REQUESTED,
				(current) -> put(session, null, SessionEvent.IMPORT, true)))
			.session();
	}

	Session refreshNow() {
		return change(true, REFRESH_SESSION,
				observed(SessionEvent.REFRESH, SessionChangeTrigger.REQUESTED, (current) -> (current != null)
						? refresh(current, false, (stored) -> false) : loginAgain(REFRESH_SESSION)))
			.session();
	}

	void logout() {
		change(true, DELETE_SESSION, observed(SessionEvent.DELETE, SessionChangeTrigger.REQUESTED, (current) -> {
			this.credentials = null;
			setHeld(null);
			if (current != null) {
				Session ended = current.session();
				forget(() -> this.store.delete(this.service, ended.did()), ended);
				tell(SessionEvent.DELETE, ended);
				try {
					this.xrpc.procedure(ended.pdsEndpoint(), DELETE_SESSION, null, ended.refreshJwt(), Void.class);
				}
				catch (ExpiredTokenException | InvalidTokenException ex) {
					logger.debug("The refresh token of {} was already revoked at logout", ended.did());
				}
			}
			return null;
		}));
	}

	/** The session a call is to be made with: logged in and refreshed as needed. */
	Held sessionForCall(String nsid) {
		Held current;
		CompletableFuture<Held> running;
		synchronized (this.lock) {
			current = this.held;
			running = (this.changer == Thread.currentThread()) ? null : this.change;
		}
		if (running != null) {
			Held changed = await(running, deadline(), nsid);
			current = (changed != null) ? changed : currentHeld();
		}
		if (current == null) {
			current = change(false, nsid, observed(SessionEvent.CREATE, SessionChangeTrigger.NO_SESSION,
					(now) -> (now != null) ? now : loginAgain(nsid)));
		}
		Held used = current;
		if (needsRefresh(used)) {
			return change(false, nsid, observed(SessionEvent.REFRESH, SessionChangeTrigger.PROACTIVE,
					(now) -> refreshUnlessChanged(now, used, nsid)));
		}
		return used;
	}

	/**
	 * Whether a call's failure says its access token has expired, so that one refresh and
	 * one retry are due.
	 */
	boolean accessExpired(XrpcException ex, Held used) {
		return ex instanceof ExpiredTokenException || (ex.status() == 401 && used.accessExpired(this.clock.instant()));
	}

	/**
	 * The session to retry a call with after the server said its token had expired:
	 * refreshed once, unless another caller already replaced the session the call used.
	 */
	Held afterExpired(Held used, String nsid) {
		return change(false, nsid, observed(SessionEvent.REFRESH, SessionChangeTrigger.REACTIVE,
				(current) -> refreshUnlessChanged(current, used, nsid)));
	}

	// --- the refresh decision

	private boolean needsRefresh(Held current) {
		Instant now = this.clock.instant();
		if (current.accessExpired(now)) {
			return true;
		}
		Instant notBefore = this.proactiveRefreshNotBefore;
		return current.refreshDue(now) && (notBefore == null || !now.isBefore(notBefore));
	}

	/** Whether a session another instance stored may be used as it is. */
	private boolean usableAsIs(Session session) {
		return !needsRefresh(Held.of(session, this.skew, this.refreshPolicy, 0));
	}

	// --- session changes

	/**
	 * Runs a session change, one at a time. Without {@code force}, a caller that finds a
	 * change under way waits for it and takes its result instead of running its own; with
	 * {@code force} it waits and then runs its own. Every wait is bounded by the change
	 * timeout and gives way to an interrupt. The listeners are told after the change is
	 * released.
	 */
	private Held change(boolean force, String nsid, Function<Held, Held> operation) {
		long deadline = deadline();
		try {
			while (true) {
				CompletableFuture<Held> running;
				CompletableFuture<Held> mine = null;
				Held current;
				synchronized (this.lock) {
					if (this.changer == Thread.currentThread()) {
						throw new IllegalStateException(
								"A session store or coordinator must not change the session of the client that called it");
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
						Held result = await(running, deadline, nsid);
						return (result != null) ? result : currentHeld();
					}
					awaitEnd(running, deadline, nsid);
					continue;
				}
				return run(mine, current, operation);
			}
		}
		finally {
			tellListeners();
		}
	}

	private Held run(CompletableFuture<Held> mine, Held current, Function<Held, Held> operation) {
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

	private Held refreshUnlessChanged(Held current, Held used, String nsid) {
		if (current == null) {
			return loginAgain(nsid);
		}
		if (current.generation() != used.generation()) {
			return current;
		}
		return refresh(current, !current.accessExpired(this.clock.instant()), this::usableAsIs);
	}

	/**
	 * Refreshes the held session through the coordinator, which may hand back a session
	 * another process has stored instead (an IMPORT). A refusal means the session is
	 * dead: it is removed, from the store too, and replaced by a login when the client
	 * holds credentials. A transient failure keeps it, and with {@code tolerateTransient}
	 * (the access token is still valid) the client goes on with it for a while.
	 */
	private Held refresh(Held current, boolean tolerateTransient, Predicate<Session> usable) {
		Attempt attempt = new Attempt();
		Session result;
		try {
			result = this.coordinator.refresh(this.service, current.session(), usable,
					(session) -> refreshOrLogIn(session, attempt));
		}
		catch (XrpcTransportException | SessionWaitException ex) {
			return afterFailure(current, attempt, tolerateTransient, ex);
		}
		catch (XrpcException ex) {
			if (ex.isServerError() || ex instanceof RateLimitExceededException && !CREATE_SESSION.equals(ex.nsid())) {
				return afterFailure(current, attempt, tolerateTransient, ex);
			}
			forgetDead(attempt);
			throw ex;
		}
		catch (RuntimeException ex) {
			forgetDead(attempt);
			throw ex;
		}
		if (attempt.dead != null) {
			tell(SessionEvent.DELETE, attempt.dead);
		}
		if (attempt.made == null) {
			// Another instance refreshed and stored it: adopted, not saved again.
			return put(result, null, SessionEvent.IMPORT, false);
		}
		return put(result, attempt.receivedAt, attempt.made, true);
	}

	/**
	 * One refresh of a session; a dead session is dropped and replaced by a login when
	 * the client holds credentials. Says in {@code attempt} what happened. Runs inside
	 * the coordinator (under its lock): it saves nothing and tells no one.
	 */
	private Session refreshOrLogIn(Session session, Attempt attempt) {
		Held target = Held.of(session, this.skew, this.refreshPolicy, 0);
		if (target.refreshExpired(this.clock.instant())) {
			return sessionDead(session, "its refresh token expired at " + target.refreshExpiresAt(), null, attempt);
		}
		try {
			JsonNode answer = this.xrpc.procedure(session.pdsEndpoint(), REFRESH_SESSION, null, session.refreshJwt(),
					JsonNode.class);
			Session fresh = SessionAnswers.toSession(REFRESH_SESSION, answer, session.pdsEndpoint(), session);
			attempt.made = SessionEvent.REFRESH;
			attempt.receivedAt = this.clock.instant();
			return fresh;
		}
		catch (XrpcException ex) {
			if (ex instanceof ExpiredTokenException || ex instanceof InvalidTokenException || ex.status() == 401) {
				return sessionDead(session, "the server refused to refresh it: " + ex.status() + " " + ex.error(), ex,
						attempt);
			}
			throw ex;
		}
	}

	private Session sessionDead(Session dead, String reason, XrpcException cause, Attempt attempt) {
		setHeld(null);
		attempt.dead = dead;
		Credentials known = this.credentials;
		logger.warn("The session of {} is dead ({}); it was dropped{}", dead.did(), reason,
				(known != null) ? " and the client logs in again" : "");
		if (known == null) {
			throw new SessionExpiredException("The session of " + dead.did() + " is dead (" + reason
					+ ") and the client holds no password to log in again: call login(...) or importSession(...)",
					cause);
		}
		Session fresh = createSession(known);
		attempt.made = SessionEvent.CREATE;
		attempt.receivedAt = this.clock.instant();
		return fresh;
	}

	/**
	 * A refresh that failed for a passing reason: reported, and the session kept.
	 * Whatever was found dead on the way is removed and never gone back to.
	 */
	private Held afterFailure(Held current, Attempt attempt, boolean tolerate, AtprotoException ex) {
		if (attempt.dead != null) {
			forgetDead(attempt);
			throw ex;
		}
		tell(SessionEvent.REFRESH_FAILED, current.session());
		if (!tolerate || currentHeld() == null) {
			throw ex;
		}
		this.proactiveRefreshNotBefore = this.clock.instant().plus(PROACTIVE_RETRY_DELAY);
		logger.warn("Refreshing the session of {} failed ({}); going on with its access token, valid until {}",
				current.session().did(), Redaction.redact(ex.getMessage(), current.session()),
				current.accessExpiresAt());
		return current;
	}

	/** A session the server declared dead goes from the store too, and is reported. */
	private void forgetDead(Attempt attempt) {
		Session dead = attempt.dead;
		if (dead != null) {
			forget(() -> this.store.discard(this.service, dead), dead);
			tell(SessionEvent.DELETE, dead);
		}
	}

	private Held loginAgain(String nsid) {
		Credentials known = this.credentials;
		if (known == null) {
			throw new NotLoggedInException(nsid);
		}
		return put(createSession(known), SessionEvent.CREATE);
	}

	/**
	 * Logs in ({@code createSession}) within the login budget; saves and tells nothing.
	 */
	private Session createSession(Credentials credentials) {
		String budgetKey = budgetKey(credentials.identifier());
		this.loginBudget.acquire(budgetKey);
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
			this.loginBudget.blockUntil(budgetKey, ex.retryAt());
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
		Session session = SessionAnswers.toSession(CREATE_SESSION, answer, this.service, null);
		if (!budgetKey.equals(session.did())) {
			try {
				this.loginBudget.merge(budgetKey, session.did());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not count the logins of {} as those of {} ({})", budgetKey, session.did(),
						ex.getClass().getName());
			}
		}
		return session;
	}

	/**
	 * The account's DID once it is known (from a session held before), else the
	 * identifier: the server limits logins per account, whichever identifier names it.
	 */
	private String budgetKey(String identifier) {
		Session known = this.lastKnown;
		return (known != null && SessionStore.belongsTo(known, identifier)) ? known.did() : identifier;
	}

	private Held put(Session session, SessionEvent event) {
		return put(session, this.clock.instant(), event, true);
	}

	/**
	 * Puts a new session in place, saves it (unless it came from the store) and queues
	 * the listeners' notice. Runs inside the change, so calls waiting for it go on only
	 * after the save.
	 * @param receivedAt when the server handed out the session, or {@code null} if it did
	 * not just now (then the skew learnt last applies)
	 */
	private Held put(Session session, Instant receivedAt, SessionEvent event, boolean save) {
		if (receivedAt != null) {
			learnSkew(session, receivedAt);
		}
		this.lastKnown = session;
		Held next;
		synchronized (this.lock) {
			next = Held.of(session, this.skew, this.refreshPolicy, ++this.generations);
			this.held = next;
		}
		this.proactiveRefreshNotBefore = null;
		if (save && this.store != null) {
			try {
				this.store.save(this.service, session);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not store the session of {} after {} ({}); it is kept in memory and stored again at "
						+ "the next change", session.did(), event, Redaction.describe(ex, session));
			}
		}
		logger.info("atproto session {} for {} ({}) at {}, access token valid until {}", event, session.handle(),
				session.did(), session.pdsEndpoint(), next.accessExpiresAt());
		tell(event, session);
		return next;
	}

	private void learnSkew(Session session, Instant receivedAt) {
		Optional<Instant> issuedAt = Jwts.issuedAt(session.accessJwt());
		Optional<Instant> expiresAt = session.accessExpiresAt();
		if (issuedAt.isEmpty() || expiresAt.isEmpty() || !issuedAt.get().isBefore(expiresAt.get())) {
			return;
		}
		try {
			Duration learnt = Duration.between(issuedAt.get(), receivedAt);
			if (learnt.abs().compareTo(MAX_SKEW) <= 0) {
				this.skew = learnt;
			}
		}
		catch (ArithmeticException ex) {
			// a token from another age: keep what was known
		}
	}

	private void forget(Runnable removal, Session session) {
		if (this.store == null) {
			return;
		}
		try {
			removal.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not remove the session of {} from the store ({})", session.did(),
					Redaction.describe(ex, session));
		}
	}

	// --- telling the listeners

	private void tell(SessionEvent event, Session session) {
		this.notices.add(new Notice(event, session));
		this.observations.told(event, session);
	}

	/** A change's operation, observed as a change of a type, for a reason. */
	private Function<Held, Held> observed(SessionEvent type, SessionChangeTrigger trigger,
			Function<Held, Held> operation) {
		return this.observations.sessionChange(this.service, type, trigger, operation);
	}

	/**
	 * Tells the listeners of the changes queued, in order, one thread at a time; a thread
	 * that finds another telling leaves its notices to it.
	 */
	private void tellListeners() {
		while (!this.notices.isEmpty()) {
			if (this.telling.isHeldByCurrentThread() || !this.telling.tryLock()) {
				return;
			}
			try {
				Notice notice;
				while ((notice = this.notices.poll()) != null) {
					for (SessionChangeListener listener : this.listeners) {
						try {
							listener.onSessionChange(notice.event(), notice.session());
						}
						catch (RuntimeException ex) {
							logger.warn("A session listener failed on {} for {}; the session is kept: {}",
									notice.event(), notice.session().did(), Redaction.describe(ex, notice.session()));
						}
					}
				}
			}
			finally {
				this.telling.unlock();
			}
		}
	}

	// --- small parts

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

	private long deadline() {
		return System.nanoTime() + this.changeTimeout.toNanos();
	}

	/** Waits for another thread's change and takes its result or its failure. */
	private Held await(CompletableFuture<Held> running, long deadline, String nsid) {
		try {
			return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
			throw new SessionWaitException(nsid, "Interrupted while waiting for another thread's session change", ex);
		}
		catch (TimeoutException ex) {
			throw new SessionWaitException(nsid, "Another thread's session change did not finish within "
					+ this.changeTimeout + "; the session is kept and the call can be tried again", ex);
		}
	}

	/** Waits for another thread's change to end, whatever its outcome. */
	private void awaitEnd(CompletableFuture<Held> running, long deadline, String nsid) {
		try {
			await(running, deadline, nsid);
		}
		catch (SessionWaitException ex) {
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			// its failure is its caller's
		}
	}

	/** What a refresh under the coordinator did. */
	private static final class Attempt {

		SessionEvent made;

		Instant receivedAt;

		Session dead;

	}

	private record Notice(SessionEvent event, Session session) {
	}

}
