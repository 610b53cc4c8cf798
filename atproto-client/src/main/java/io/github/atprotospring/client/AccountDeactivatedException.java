package io.github.atprotospring.client;

/**
 * The account has been deactivated by its owner ({@code AccountDeactivated}).
 */
public class AccountDeactivatedException extends XrpcException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name
	 * @param errorMessage the server's message
	 */
	public AccountDeactivatedException(String nsid, int status, String error, String errorMessage) {
		super(nsid, status, error, errorMessage);
	}

}
