package io.github.atprotospring.client;

/**
 * The server refused the credentials or the missing authentication
 * ({@code AuthenticationRequired}, {@code AuthMissing}): a wrong identifier or password
 * is never retried, since every attempt counts against the login rate limit.
 */
public class AuthenticationRequiredException extends XrpcException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name
	 * @param errorMessage the server's message
	 */
	public AuthenticationRequiredException(String nsid, int status, String error, String errorMessage) {
		super(nsid, status, error, errorMessage);
	}

}
