package io.github.atprotospring.client;

/**
 * The root of the exceptions an {@link AtprotoClient} throws. Messages never contain a
 * token or a password.
 */
public class AtprotoException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String nsid;

	/**
	 * @param nsid the XRPC method concerned, or {@code null}
	 * @param message what went wrong
	 * @param cause the cause, or {@code null}
	 */
	public AtprotoException(String nsid, String message, Throwable cause) {
		super(message, cause);
		this.nsid = nsid;
	}

	/**
	 * The XRPC method that failed, such as {@code com.atproto.server.createSession}.
	 * @return the NSID, or {@code null} when no single call is concerned
	 */
	public String nsid() {
		return this.nsid;
	}

}
