package io.github.atprotospring.client;

/**
 * The server could not verify a token ({@code InvalidToken}): it is garbage, was signed
 * by another server, or is of the wrong type.
 */
public class InvalidTokenException extends XrpcException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name
	 * @param errorMessage the server's message
	 */
	public InvalidTokenException(String nsid, int status, String error, String errorMessage) {
		super(nsid, status, error, errorMessage);
	}

}
