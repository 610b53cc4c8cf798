package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.XrpcException;

/**
 * The server refused a configured account at startup (wrong credentials, a sign-in code
 * needed, an account taken down or deactivated). Reported by a failure analyzer that
 * names the properties to fix, under the account's prefix ({@code atproto} or
 * {@code atproto.accounts.<name>}).
 */
public class AtprotoStartupException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String identifier;

	private final String service;

	private final String propertyPrefix;

	private final String serviceProperty;

	/**
	 * @param identifier the configured {@code atproto.handle}
	 * @param service the configured {@code atproto.service}
	 * @param cause the server's refusal
	 */
	public AtprotoStartupException(String identifier, String service, XrpcException cause) {
		this("atproto", "atproto.service", identifier, service, cause);
	}

	/**
	 * @param propertyPrefix the prefix of the account's properties, such as
	 * {@code atproto.accounts.bot1}
	 * @param serviceProperty the property that names the service, such as
	 * {@code atproto.service}
	 * @param identifier the configured handle, email or DID
	 * @param service the service
	 * @param cause the server's refusal
	 */
	public AtprotoStartupException(String propertyPrefix, String serviceProperty, String identifier, String service,
			XrpcException cause) {
		super("The atproto server " + service + " refused the login of " + identifier + " (" + propertyPrefix
				+ ".handle): " + cause.getMessage(), cause);
		this.identifier = identifier;
		this.service = service;
		this.propertyPrefix = propertyPrefix;
		this.serviceProperty = serviceProperty;
	}

	/**
	 * The prefix of the account's properties.
	 * @return {@code atproto} for the account of {@code atproto.handle},
	 * {@code atproto.accounts.<name>} for a named account
	 */
	public String getPropertyPrefix() {
		return this.propertyPrefix;
	}

	/**
	 * The property that names the account's service.
	 * @return such as {@code atproto.service}
	 */
	public String getServiceProperty() {
		return this.serviceProperty;
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
