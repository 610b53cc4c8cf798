package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.atprotospring.client.AtprotoUrls;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.SessionString;
import io.github.atprotospring.client.StoredAccount;
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

	private final SessionCipher cipher;

	/** The row version this instance last read or wrote, per service and DID. */
	private final Map<String, Long> knownVersions = new ConcurrentHashMap<>();

	/**
	 * @param repository the repository
	 * @param transactionManager the transaction manager of the repository's persistence
	 * unit
	 * @param clock the clock for the update time
	 */
	public JpaSessionStore(SessionRepository repository, PlatformTransactionManager transactionManager, Clock clock) {
		this(repository, transactionManager, clock, null);
	}

	/**
	 * @param repository the repository
	 * @param transactionManager the transaction manager of the repository's persistence
	 * unit
	 * @param clock the clock for the update time
	 * @param cipher the cipher of the session column, or {@code null} to store it as
	 * plain text
	 */
	public JpaSessionStore(SessionRepository repository, PlatformTransactionManager transactionManager, Clock clock,
			SessionCipher cipher) {
		this.cipher = cipher;
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
			return row.map(this::toSession);
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
					.filter((row) -> sessionString.equals(plainText(row)))
					.ifPresent(this.repository::delete));
	}

	/**
	 * Lists the accounts stored for a service from the row's own columns: no session is
	 * read or decrypted.
	 */
	@Override
	public List<StoredAccount> accounts(String service) {
		String key = AtprotoUrls.normalize(service);
		List<StoredAccount> accounts = this.reads.execute((status) -> this.repository.findAccountsByService(key));
		return (accounts != null) ? accounts : List.of();
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
		if (SessionString.format(held).equals(plainText(row))) {
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
		if (existing != null && sessionString.equals(plainText(existing))
				&& Objects.equals(existing.getKeyId(), (this.cipher != null) ? this.cipher.keyId() : null)) {
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
		if (this.cipher != null) {
			row.setSessionString(this.cipher.encrypt(sessionString, associatedData(service, session.did())));
			row.setKeyId(this.cipher.keyId());
		}
		else {
			row.setSessionString(sessionString);
			row.setKeyId(null);
		}
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
	Session readable(StoredSession row) {
		try {
			return toSession(row);
		}
		catch (IllegalStateException ex) {
			logger.warn("Ignoring the stored session while refreshing: {}", ex.getMessage());
			return null;
		}
	}

	private Session toSession(StoredSession row) {
		Session parsed;
		try {
			parsed = SessionString.parse(decrypt(row));
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

	/**
	 * Checks that every encrypted row can be read with the configured keys, so that a
	 * wrong or missing key stops the start instead of making the client log in again. No
	 * row is changed.
	 * @throws UnreadableSessionsException naming the key ids that cannot be read
	 */
	public void checkKeys() {
		List<String> keyIds;
		try {
			keyIds = this.reads.execute((status) -> this.repository.findKeyIds());
		}
		catch (RuntimeException ex) {
			// No table (a schema of the application's own, not migrated yet): the first
			// use says so.
			logger.warn("Could not check the keys of the stored atproto sessions ({})", ex.getClass().getName());
			return;
		}
		List<String> unknown = (keyIds != null)
				? keyIds.stream().filter((keyId) -> this.cipher == null || !this.cipher.knows(keyId)).toList()
				: List.of();
		if (!unknown.isEmpty()) {
			throw new UnreadableSessionsException(unknown, this.cipher != null);
		}
	}

	private String decrypt(StoredSession row) {
		if (row.getKeyId() == null) {
			return row.getSessionString();
		}
		if (this.cipher == null) {
			throw new IllegalStateException("The stored session of " + row.getDid() + " is encrypted (key "
					+ row.getKeyId() + ") but no key is configured (atproto.session.encryption.key)");
		}
		return this.cipher.decrypt(row.getKeyId(), row.getSessionString(),
				associatedData(row.getService(), row.getDid()));
	}

	/** The row's session string, or {@code null} if it cannot be read. */
	private String plainText(StoredSession row) {
		try {
			return decrypt(row);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	private static String associatedData(String service, String did) {
		return "atproto_session " + service + " " + did;
	}

}
