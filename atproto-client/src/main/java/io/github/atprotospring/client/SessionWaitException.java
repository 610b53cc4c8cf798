package io.github.atprotospring.client;

/**
 * A wait for a session change ran out: another thread's refresh or login did not finish
 * in time, the instances sharing a store could not agree on a refresh in time, or the
 * waiting thread was interrupted. The session held is kept; the call can be tried again.
 */
public class SessionWaitException extends AtprotoException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that waited, or {@code null}
	 * @param message what ran out
	 * @param cause the cause, or {@code null}
	 */
	public SessionWaitException(String nsid, String message, Throwable cause) {
		super(nsid, message, cause);
	}

}
