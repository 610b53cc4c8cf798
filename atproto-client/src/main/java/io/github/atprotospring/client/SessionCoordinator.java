package io.github.atprotospring.client;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Coordinates the refreshes of one account's session among clients in several processes
 * that share a store (replicas of one service on one database), so that each expiry costs
 * one {@code refreshSession} in all, and no client uses a refresh token another has
 * already rotated.
 * <p>
 * Inside one process the client already runs one change at a time; a coordinator extends
 * that across processes: it takes a lock the other processes see (a database row lock,
 * say), looks at the session in the shared store, and either hands back that session,
 * when another process has already replaced the one this client holds, or runs the
 * refresh and stores its result before letting the lock go. Refreshes are therefore
 * correct without the server's grace window for reused refresh tokens.
 */
@FunctionalInterface
public interface SessionCoordinator {

	/**
	 * Refreshes a session in agreement with the other processes.
	 * @param service the service the session belongs to
	 * @param held the session this client holds and wants refreshed
	 * @param usable whether a session another process stored may be used as it is (its
	 * access token does not need a refresh yet)
	 * @param refresh the refresh of a given session by this client (with its fallback to
	 * a new login when the session is dead); call it at most once, with the held session
	 * or a newer stored one
	 * @return the session to use: the stored one of another process, or the result of
	 * {@code refresh}
	 */
	Session refresh(String service, Session held, Predicate<Session> usable, UnaryOperator<Session> refresh);

	/**
	 * The coordinator of a client alone: it always refreshes the held session.
	 * @return the coordinator
	 */
	static SessionCoordinator local() {
		return (service, held, usable, refresh) -> refresh.apply(held);
	}

}
