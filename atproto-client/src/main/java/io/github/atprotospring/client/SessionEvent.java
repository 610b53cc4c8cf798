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
	IMPORT,

	/**
	 * The session was removed, from memory and from the store: by {@code logout()}, or
	 * because the server declared it dead (its refresh token refused). The session given
	 * to listeners is the one removed. A {@link #CREATE} follows when the client logs in
	 * again by itself.
	 */
	DELETE,

	/**
	 * A refresh failed for a passing reason (no answer, a 5xx, a rate limit): the session
	 * is kept, and the client tries again later. The session given to listeners is the
	 * one kept.
	 */
	REFRESH_FAILED

}
