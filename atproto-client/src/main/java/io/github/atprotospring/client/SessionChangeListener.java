package io.github.atprotospring.client;

/**
 * Told of every session change of an {@link AtprotoClient}.
 * <p>
 * Listeners run on the thread that changed the session, after the new session is in place
 * ({@link AtprotoClient#session()} already returns it) and before any call waiting for
 * that change goes on, so a listener that persists the session has persisted it before
 * its tokens are used. A listener that throws is logged and otherwise ignored: the new
 * session is kept and the call that caused the change still succeeds. Keep listeners
 * short; they hold up the calls that wait.
 */
@FunctionalInterface
public interface SessionChangeListener {

	/**
	 * Called after a session change.
	 * @param event what happened
	 * @param session the session now held by the client
	 */
	void onSessionChange(SessionEvent event, Session session);

}
