package io.github.atprotospring.client;

/**
 * An XRPC call got no answer: the connection failed, was dropped or timed out. The
 * session is kept; the same call may succeed later.
 * <p>
 * The message says in words what happened (the connection was refused, connecting or the
 * answer timed out, the host name could not be resolved, the connection was reset or
 * closed early, the thread was interrupted), to which server (scheme, host and port,
 * never user-info, path or query) and after how long.
 */
public class XrpcTransportException extends AtprotoException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param message what failed
	 * @param cause the I/O failure
	 */
	public XrpcTransportException(String nsid, String message, Throwable cause) {
		super(nsid, message, cause);
	}

}
