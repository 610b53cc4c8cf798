package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.XrpcException;

/**
 * The server refused the configured account at startup (wrong credentials, a sign-in code
 * needed, an account taken down or deactivated). Reported by a failure analyzer that
 * names the property to fix.
 */
public class AtprotoStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String identifier;

	private final String service;

	/**
	 * @param identifier the configured {@code atproto.handle}
	 * @param service the configured {@code atproto.service}
	 * @param cause the server's refusal
	 */
	public AtprotoStartupException(String identifier, String service, XrpcException cause) {
		super("The atproto server " + service + " refused the login of " + identifier + ": " + cause.getMessage(),
				cause);
		this.identifier = identifier;
		this.service = service;
	}

	/**
	 * The configured account.
	 * @return the handle, email or DID
	 */
	public String getIdentifier() {
		return this.identifier;
	}

	/**
	 * The configured service.
	 * @return the service URL
	 */
	public String getService() {
		return this.service;
	}

	@Override
	public synchronized XrpcException getCause() {
		return (XrpcException) super.getCause();
	}

}
