package io.github.atprotospring.client;

/**
 * Told of every session change of an {@link AtprotoClient}.
 * <p>
 * Listeners are told afterwards: the client has put the new session in place and saved it
 * to its {@link SessionStore} before any listener runs, so nothing a listener does,
 * throws or orders can stop a save or lose a session. They run on the thread that made
 * the change, one change at a time and in the order the changes happened, after the calls
 * that waited for the change have been let go. A listener that throws is logged and
 * otherwise ignored. A listener may call the client.
 */
@FunctionalInterface
public interface SessionChangeListener {

	/**
	 * Called after a session change.
	 * @param event what happened
	 * @param session the session now held by the client (for {@link SessionEvent#DELETE},
	 * the session removed)
	 */
	void onSessionChange(SessionEvent event, Session session);

}
