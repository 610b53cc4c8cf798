package io.github.atprotospring.client.observation;

/**
 * What made the client change its session.
 */
public enum SessionChangeTrigger {

	/**
	 * The application asked for it: {@code login}, {@code importSession},
	 * {@code refreshSession} or {@code logout}.
	 */
	REQUESTED,

	/**
	 * The stored session was taken over as the client was built.
	 */
	STORED,

	/**
	 * A call needed a session and the client had none, so it logged in with the
	 * credentials it holds.
	 */
	NO_SESSION,

	/**
	 * The refresh policy said, before a call, that the access token was due for a refresh
	 * (or had expired by the client's reckoning).
	 */
	PROACTIVE,

	/**
	 * The server answered a call that its access token had expired, so the client
	 * refreshed it and retried the call.
	 */
	REACTIVE

}
