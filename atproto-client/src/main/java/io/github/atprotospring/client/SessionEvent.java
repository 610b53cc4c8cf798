package io.github.atprotospring.client;

/**
 * The kinds of session change an {@link AtprotoClient} reports to its
 * {@link SessionChangeListener}s.
 */
public enum SessionEvent {

	/**
	 * A new session was created with {@code com.atproto.server.createSession} (a login).
	 */
	CREATE,

	/**
	 * The session's tokens were rotated with {@code com.atproto.server.refreshSession}.
	 */
	REFRESH,

	/**
	 * A session was imported from a session string or a store, without a network call.
	 */
	IMPORT

}
