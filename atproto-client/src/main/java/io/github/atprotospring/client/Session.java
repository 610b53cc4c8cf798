package io.github.atprotospring.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An atproto session: the account it belongs to, its two tokens and the PDS that serves
 * the account.
 * <p>
 * Immutable. Its {@link #toString()} never shows a token. The token expiry times are read
 * from the JWTs' {@code exp} claims; nothing else in a token is trusted (the client
 * cannot verify them).
 *
 * @param handle the account's handle
 * @param did the account's DID
 * @param accessJwt the access token, sent as {@code Bearer} on authenticated calls
 * @param refreshJwt the refresh token, used once to obtain a new pair
 * @param pdsEndpoint the base URL of the account's PDS (from the DID document, else the
 * service logged in to), kept without a trailing slash
 * @param email the account's email, if the server said
 * @param emailConfirmed whether the email is confirmed, if the server said
 * @param active whether the account is active, if the server said
 * @param status the account status ({@code takendown}, {@code deactivated}, ...), if the
 * server said
 */
public record Session(String handle, String did, String accessJwt, String refreshJwt, String pdsEndpoint, String email,
		Boolean emailConfirmed, Boolean active, String status) {

	/**
	 * Checks that the required parts are present and that no part holds what could break
	 * a header or forge a log line: the tokens, DID, handle and endpoint hold no
	 * whitespace or control characters, the other texts no control characters. Messages
	 * name the part, never its value. The endpoint must not carry user-info
	 * ({@code user:password@host}), which no HTTP client of the client's sends.
	 * @throws IllegalArgumentException if a part is blank or holds such characters
	 * @throws NullPointerException if a required part is {@code null}
	 */
	public Session {
		requireToken(handle, "handle");
		requireToken(did, "did");
		requireToken(accessJwt, "accessJwt");
		requireToken(refreshJwt, "refreshJwt");
		requireText(pdsEndpoint, "pdsEndpoint");
		if (Endpoints.hasUserInfo(pdsEndpoint)) {
			throw new IllegalArgumentException("Session.pdsEndpoint must not carry user-info (user:password@host)");
		}
		pdsEndpoint = Endpoints.normalize(pdsEndpoint);
		requireToken(pdsEndpoint, "pdsEndpoint");
		refuseControl(email, "email");
		refuseControl(status, "status");
	}

	/**
	 * A session with only the parts a session string carries.
	 * @param handle the account's handle
	 * @param did the account's DID
	 * @param accessJwt the access token
	 * @param refreshJwt the refresh token
	 * @param pdsEndpoint the base URL of the account's PDS
	 */
	public Session(String handle, String did, String accessJwt, String refreshJwt, String pdsEndpoint) {
		this(handle, did, accessJwt, refreshJwt, pdsEndpoint, null, null, null, null);
	}

	/**
	 * When the access token expires, read from its {@code exp} claim.
	 * @return the expiry, or empty if the token carries none that can be read
	 */
	public Optional<Instant> accessExpiresAt() {
		return Jwts.expiry(this.accessJwt);
	}

	/**
	 * When the refresh token expires, read from its {@code exp} claim.
	 * @return the expiry, or empty if the token carries none that can be read
	 */
	public Optional<Instant> refreshExpiresAt() {
		return Jwts.expiry(this.refreshJwt);
	}

	/**
	 * This session in the session-string form shared with the Python SDK
	 * ({@code handle:::did:::accessJwt:::refreshJwt:::pdsEndpoint}).
	 * @return the session string; it contains both tokens, so treat it as a secret
	 */
	public String toSessionString() {
		return SessionString.format(this);
	}

	/**
	 * Whether this session holds the same tokens as another, whatever the account details
	 * say.
	 * @param other another session, may be {@code null}
	 * @return {@code true} if both tokens are equal
	 */
	public boolean sameTokensAs(Session other) {
		return other != null && this.accessJwt.equals(other.accessJwt) && this.refreshJwt.equals(other.refreshJwt);
	}

	@Override
	public String toString() {
		return "Session[handle=" + this.handle + ", did=" + this.did + ", pdsEndpoint=" + this.pdsEndpoint
				+ ", accessJwt=<redacted>, refreshJwt=<redacted>, active=" + this.active + ", status=" + this.status
				+ "]";
	}

	private static void requireText(String value, String name) {
		Objects.requireNonNull(value, () -> "Session." + name + " must not be null");
		if (value.isBlank()) {
			throw new IllegalArgumentException("Session." + name + " must not be blank");
		}
	}

	private static void requireToken(String value, String name) {
		requireText(value, name);
		if (ServerText.hasWhitespaceOrControl(value)) {
			throw new IllegalArgumentException(
					"Session." + name + " must not contain whitespace or control characters (such as CR or LF)");
		}
	}

	private static void refuseControl(String value, String name) {
		if (value != null && ServerText.hasControl(value)) {
			throw new IllegalArgumentException(
					"Session." + name + " must not contain control characters (such as CR or LF)");
		}
	}

}
