package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.atprotospring.client.AtprotoUrls;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.SessionString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link SessionStore} in the application's database, through JPA: one row per service
 * and account, with a version that tells the instances sharing the database whose session
 * is newer ({@link JpaSessionCoordinator} relies on it).
 * <p>
 * Every operation runs in a transaction of its own ({@code REQUIRES_NEW}), whatever the
 * caller's: a refresh made inside the application's {@code @Transactional} method is
 * stored even when that method rolls back, a failure the client tolerates never marks the
 * application's transaction rollback-only, and a read-only transaction of the caller
 * cannot make the store's writes fail.
 */
public class JpaSessionStore implements SessionStore {

	private static final Logger logger = LoggerFactory.getLogger(JpaSessionStore.class);

	private final SessionRepository repository;

	private final TransactionTemplate transactions;

	private final TransactionTemplate reads;

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
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.reads = new TransactionTemplate(transactionManager);
		this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.reads.setReadOnly(true);
		this.clock = clock;
	}

	@Override
	public Optional<Session> find(String service, String identifier) {
		String key = AtprotoUrls.normalize(service);
		String id = identifier.strip();
		return this.reads.execute((status) -> {
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
		String key = AtprotoUrls.normalize(service);
		try {
			this.transactions.executeWithoutResult((status) -> write(key, session));
		}
		catch (DataIntegrityViolationException ex) {
			// Another instance inserted the row first: update it instead.
			this.transactions.executeWithoutResult((status) -> write(key, session));
		}
	}

	@Override
	public void delete(String service, String did) {
		this.transactions
			.executeWithoutResult((status) -> this.repository.findByServiceAndDid(AtprotoUrls.normalize(service), did)
				.ifPresent(this.repository::delete));
	}

	@Override
	public void discard(String service, Session dead) {
		String sessionString = SessionString.format(dead);
		this.transactions.executeWithoutResult(
				(status) -> this.repository.lockByServiceAndDid(AtprotoUrls.normalize(service), dead.did())
					.filter((row) -> sessionString.equals(row.getSessionString()))
					.ifPresent(this.repository::delete));
	}

	/**
	 * A transaction of the store's own (never the caller's), for the coordinator's work
	 * under the row lock.
	 */
	TransactionTemplate transactions() {
		return this.transactions;
	}

	SessionRepository repository() {
		return this.repository;
	}

	/**
	 * The stored session of an account, read without a lock, if another instance has
	 * written it since this one last saw the row and it is not the held session.
	 */
	Optional<Session> newerThan(String service, Session held) {
		return this.reads.execute((status) -> this.repository.findByServiceAndDid(service, held.did())
			.filter((row) -> changedByAnother(row, held))
			.map((row) -> {
				Session stored = readable(row);
				if (stored != null) {
					remember(row);
				}
				return stored;
			}));
	}

	/**
	 * Whether the row holds another session than ours, written after the one we last saw.
	 */
	boolean changedByAnother(StoredSession row, Session held) {
		if (SessionString.format(held).equals(row.getSessionString())) {
			return false;
		}
		Long known = this.knownVersions.get(versionKey(row.getService(), row.getDid()));
		return known == null || row.getVersion() > known;
	}

	private void write(String service, Session session) {
		write(this.repository.findByServiceAndDid(service, session.did()).orElse(null), service, session);
	}

	/** Writes a session into its row (a new one if {@code existing} is null). */
	void write(StoredSession existing, String service, Session session) {
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

	void remember(StoredSession row) {
		this.knownVersions.put(versionKey(row.getService(), row.getDid()), row.getVersion());
	}

	private static String versionKey(String service, String did) {
		return service + " " + did;
	}

	/** The session of a row, or {@code null} (logged) if the row cannot be read. */
	static Session readable(StoredSession row) {
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

}
