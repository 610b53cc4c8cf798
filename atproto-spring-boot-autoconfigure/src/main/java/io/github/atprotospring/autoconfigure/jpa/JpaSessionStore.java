package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.util.Optional;

import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.SessionString;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link SessionStore} in the application's database, through JPA.
 */
public class JpaSessionStore implements SessionStore {

	private final SessionRepository repository;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	private final Clock clock;

	/**
	 * @param repository the repository
	 * @param transactionManager the transaction manager of the repository's persistence unit
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
				row = this.repository.findByServiceAndHandleIgnoreCaseOrderByUpdatedAtDesc(key, id).stream().findFirst();
			}
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

	private void write(String service, Session session) {
		StoredSession row = this.repository.findByServiceAndDid(service, session.did())
			.orElseGet(() -> new StoredSession(service, session.did()));
		row.setHandle(session.handle());
		if (session.email() != null) {
			row.setEmail(session.email());
		}
		row.setSessionString(SessionString.format(session));
		row.setAccessExpiresAt(session.accessExpiresAt().orElse(null));
		row.setRefreshExpiresAt(session.refreshExpiresAt().orElse(null));
		row.setUpdatedAt(this.clock.instant());
		this.repository.saveAndFlush(row);
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
		return new Session(parsed.handle(), parsed.did(), parsed.accessJwt(), parsed.refreshJwt(),
				parsed.pdsEndpoint(), row.getEmail(), null, null, null);
	}

	private static String normalize(String service) {
		String trimmed = service.strip();
		return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

}
