package io.github.atprotospring.client;

/**
 * The session is dead: the server refused to refresh it (the refresh token expired or was
 * revoked), and the client holds no password to log in again. The client has dropped the
 * session; call {@link AtprotoClient#login(String, String)} or
 * {@link AtprotoClient#importSession(String)}.
 */
public class SessionExpiredException extends AtprotoException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param message what happened
	 * @param cause the server's refusal, or {@code null}
	 */
	public SessionExpiredException(String message, Throwable cause) {
		super("com.atproto.server.refreshSession", message, cause);
	}

}
