package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.SessionString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link SessionStore} in the application's database, through JPA, which also
 * coordinates refreshes among the instances that share the database
 * ({@link SessionCoordinator}).
 * <p>
 * A refresh locks the account's row ({@code SELECT ... FOR UPDATE}) for the length of the
 * {@code refreshSession} call and stores the new session before the lock goes. An
 * instance that gets the lock after another has refreshed finds a newer row than the one
 * it last read or wrote (its version says so) and adopts that session instead of spending
 * its own, possibly already rotated, refresh token. A lost connection releases the lock,
 * so a crashed instance blocks nobody.
 */
public class JpaSessionStore implements SessionStore, SessionCoordinator {

	private static final Logger logger = LoggerFactory.getLogger(JpaSessionStore.class);

	private final SessionRepository repository;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	private final Clock clock;

	/** The row version this instance last read or wrote, per service and DID. */
	private final Map<String, Long> knownVersions = new ConcurrentHashMap<>();

	/**
	 * @param repository the repository
	 * @param transactionManager the transaction manager of the repository's persistence
	 * unit
	 * @param clock the clock for the update time
	 */
	public JpaSessionStore(SessionRepository repository, PlatformTransactionManager transactionManager, Clock clock) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.readOnly = new TransactionTemplate(transactionManager);
		this.readOnly.setReadOnly(true);
		this.clock = clock;
	}

	@Override
	public Optional<Session> find(String service, String identifier) {
		String key = normalize(service);
		String id = identifier.strip();
		return this.readOnly.execute((status) -> {
			Optional<StoredSession> row;
			if (id.startsWith("did:")) {
				row = this.repository.findByServiceAndDid(key, id);
			}
			else if (id.contains("@")) {
				row = this.repository.findByServiceAndEmailIgnoreCaseOrderByUpdatedAtDesc(key, id).stream().findFirst();
			}
			else {
				row = this.repository.findByServiceAndHandleIgnoreCaseOrderByUpdatedAtDesc(key, id)
					.stream()
					.findFirst();
			}
			row.ifPresent(this::remember);
			return row.map(JpaSessionStore::toSession);
		});
	}

	@Override
	public void save(String service, Session session) {
		try {
			this.transactions.executeWithoutResult((status) -> write(normalize(service), session));
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance inserted the row first: update it instead.
			this.transactions.executeWithoutResult((status) -> write(normalize(service), session));
		}
	}

	@Override
	public void delete(String service, String did) {
		this.transactions.executeWithoutResult((status) -> this.repository.findByServiceAndDid(normalize(service), did)
			.ifPresent(this.repository::delete));
	}

	@Override
	public Session refresh(String service, Session held, Predicate<Session> usable, UnaryOperator<Session> refresh) {
		String key = normalize(service);
		AtomicReference<Session> refreshed = new AtomicReference<>();
		AtomicBoolean attempted = new AtomicBoolean();
		try {
			return this.transactions.execute((status) -> {
				Optional<StoredSession> row = this.repository.lockByServiceAndDid(key, held.did());
				Session base = held;
				if (row.isPresent() && changedByAnother(row.get(), held)) {
					Session stored = readable(row.get());
					if (stored != null) {
						remember(row.get());
						if (usable.test(stored)) {
							logger.debug("Adopting the session of {} that another instance refreshed", held.did());
							return stored;
						}
						base = stored;
					}
				}
				attempted.set(true);
				Session fresh = refresh.apply(base);
				refreshed.set(fresh);
				write(row.orElse(null), key, fresh);
				return fresh;
			});
		}
		catch (AtprotoException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// The database failed (JPA, JDBC or transaction exceptions alike): not the
			// refresh itself.
			if (!attempted.get()) {
				// The database cannot coordinate now: refreshing alone beats failing the
				// application's calls.
				logger.warn("Could not lock the stored session of {} to coordinate its refresh ({}); refreshing "
						+ "without coordination", held.did(), ex.getClass().getName());
				return refresh.apply(held);
			}
			Session fresh = refreshed.get();
			if (fresh == null) {
				throw ex;
			}
			// The server has rotated the token: losing the new session now would cost a
			// login.
			logger.warn("The refreshed session of {} could not be stored ({}); it is kept in memory, and other "
					+ "instances may have to refresh or log in again", held.did(), ex.getClass().getName());
			return fresh;
		}
	}

	/**
	 * Whether the row holds another session than ours, written after the one we last saw.
	 */
	private boolean changedByAnother(StoredSession row, Session held) {
		if (SessionString.format(held).equals(row.getSessionString())) {
			return false;
		}
		Long known = this.knownVersions.get(versionKey(row.getService(), row.getDid()));
		return known == null || row.getVersion() > known;
	}

	private void write(String service, Session session) {
		write(this.repository.findByServiceAndDid(service, session.did()).orElse(null), service, session);
	}

	private void write(StoredSession existing, String service, Session session) {
		String sessionString = SessionString.format(session);
		if (existing != null && sessionString.equals(existing.getSessionString())) {
			// Already stored (by the coordinated refresh that produced it): no new
			// version.
			remember(existing);
			return;
		}
		StoredSession row = (existing != null) ? existing : new StoredSession(service, session.did());
		row.setHandle(session.handle());
		if (session.email() != null) {
			row.setEmail(session.email());
		}
		row.setSessionString(sessionString);
		row.setAccessExpiresAt(session.accessExpiresAt().orElse(null));
		row.setRefreshExpiresAt(session.refreshExpiresAt().orElse(null));
		row.setUpdatedAt(this.clock.instant());
		remember(this.repository.saveAndFlush(row));
	}

	private void remember(StoredSession row) {
		this.knownVersions.put(versionKey(row.getService(), row.getDid()), row.getVersion());
	}

	private static String versionKey(String service, String did) {
		return service + " " + did;
	}

	private static Session readable(StoredSession row) {
		try {
			return toSession(row);
		}
		catch (IllegalStateException ex) {
			logger.warn("Ignoring the stored session while refreshing: {}", ex.getMessage());
			return null;
		}
	}

	private static Session toSession(StoredSession row) {
		Session parsed;
		try {
			parsed = SessionString.parse(row.getSessionString());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("The stored session of " + row.getDid() + " at " + row.getService()
					+ " is corrupt: " + ex.getMessage(), ex);
		}
		if (!parsed.did().equals(row.getDid())) {
			throw new IllegalStateException("The stored session of " + row.getDid() + " at " + row.getService()
					+ " holds a session of another account (" + parsed.did() + ")");
		}
		return new Session(parsed.handle(), parsed.did(), parsed.accessJwt(), parsed.refreshJwt(), parsed.pdsEndpoint(),
				row.getEmail(), null, null, null);
	}

	static String normalize(String service) {
		String trimmed = service.strip();
		return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

}
