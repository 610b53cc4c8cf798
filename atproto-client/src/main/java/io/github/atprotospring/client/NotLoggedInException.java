package io.github.atprotospring.client;

/**
 * An authenticated call was made while the client has no session and no credentials to
 * log in with.
 */
public class NotLoggedInException extends AtprotoException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that needed a session
	 */
	public NotLoggedInException(String nsid) {
		super(nsid, nsid + " needs a session, but the client has none and holds no credentials: call login(...) "
				+ "or importSession(...) first, or configure an identifier and password", null);
	}

}
