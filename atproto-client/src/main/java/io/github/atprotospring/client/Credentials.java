package io.github.atprotospring.client;

/**
 * What a client logs in with. Kept so that a dead session can be replaced by a new login;
 * the password never leaves this record except in the {@code createSession} body.
 */
record Credentials(String identifier, String password, String authFactorToken) {

	Credentials {
		if (identifier == null || identifier.isBlank()) {
			throw new IllegalArgumentException("The identifier (a handle, email or DID) must not be empty");
		}
		if (password == null || password.isEmpty()) {
			throw new IllegalArgumentException("The password must not be empty");
		}
		identifier = identifier.strip();
	}

	@Override
	public String toString() {
		return "Credentials[identifier=" + this.identifier + ", password=<redacted>]";
	}

}
