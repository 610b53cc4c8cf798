package io.github.atprotospring.client;

/**
 * The account has email two-factor sign-in ({@code AuthFactorTokenRequired}): the server
 * has mailed a code; call {@link AtprotoClient#login(String, String, String)} again with
 * that code as the {@code authFactorToken}.
 */
public class AuthFactorTokenRequiredException extends XrpcException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name
	 * @param errorMessage the server's message
	 */
	public AuthFactorTokenRequiredException(String nsid, int status, String error, String errorMessage) {
		super(nsid, status, error, errorMessage);
	}

}
