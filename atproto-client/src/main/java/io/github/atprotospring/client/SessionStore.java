package io.github.atprotospring.client;

import java.util.List;
import java.util.Optional;

/**
 * Where sessions are kept between runs, so that an application resumes its session at the
 * next start instead of logging in again (logins are rate-limited hard by the servers).
 * <p>
 * Sessions are kept per service and account: several accounts and several services can
 * share one store. Implementations must be thread-safe. A stored session holds both
 * tokens: keep it as you would keep a password.
 */
public interface SessionStore {

	/**
	 * Finds the stored session of an account.
	 * @param service the service the session was created on (the configured service URL)
	 * @param identifier the account's handle, email or DID
	 * @return the stored session, or empty if there is none
	 * @throws RuntimeException if a stored session exists but cannot be read; callers
	 * treat it as absent, and the next {@link #save} replaces it
	 */
	Optional<Session> find(String service, String identifier);

	/**
	 * Stores a session, replacing the one stored for the same service and DID.
	 * @param service the service the session was created on
	 * @param session the session
	 */
	void save(String service, Session session);

	/**
	 * Removes the stored session of an account, if any.
	 * @param service the service
	 * @param did the account's DID
	 */
	void delete(String service, String did);

	/**
	 * Removes a stored session the server has declared dead, but only if the store still
	 * holds that session: another instance may have stored a newer one meanwhile, which
	 * must survive. Stores shared by several processes should do this atomically.
	 * @param service the service
	 * @param dead the dead session
	 */
	default void discard(String service, Session dead) {
		find(service, dead.did()).filter(dead::sameTokensAs).ifPresent((stored) -> delete(service, dead.did()));
	}

	/**
	 * Lists the accounts whose sessions are stored for a service, so that a registry of
	 * many accounts can list them and a background task can find the sessions whose
	 * refresh token nears its end. Never returns tokens.
	 * <p>
	 * The default returns an empty list: a store that cannot list (a secrets manager
	 * keyed by name, say) still works for every account it is asked for by name; only the
	 * listing of {@link AtprotoClients#list()} and the keeping alive of idle accounts
	 * then have nothing to go on.
	 * @param service the service the sessions were created on
	 * @return the stored accounts of the service, in no particular order; empty if none
	 * or if the store cannot list
	 */
	default List<StoredAccount> accounts(String service) {
		return List.of();
	}

	/**
	 * Whether a session belongs to the account an identifier names.
	 * @param session the session
	 * @param identifier a handle, email or DID
	 * @return {@code true} if the DID or the handle matches, or the identifier is the
	 * session's email
	 */
	static boolean belongsTo(Session session, String identifier) {
		String id = identifier.strip();
		return session.did().equals(id) || session.handle().equalsIgnoreCase(id)
				|| (session.email() != null && session.email().equalsIgnoreCase(id));
	}

}
