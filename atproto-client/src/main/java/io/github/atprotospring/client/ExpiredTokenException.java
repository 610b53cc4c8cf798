package io.github.atprotospring.client;

/**
 * The server answered {@code ExpiredToken} (status 400, or 401 on some servers): the
 * access token has expired, or a refresh token has expired or been revoked.
 */
public class ExpiredTokenException extends XrpcException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name
	 * @param errorMessage the server's message
	 */
	public ExpiredTokenException(String nsid, int status, String error, String errorMessage) {
		super(nsid, status, error, errorMessage);
	}

}
