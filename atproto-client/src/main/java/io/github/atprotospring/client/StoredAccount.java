package io.github.atprotospring.client;

import java.time.Instant;
import java.util.Objects;

/**
 * An account whose session a {@link SessionStore} holds, as the store lists it: who it is
 * and when its tokens expire, never the tokens themselves. Enough to choose which
 * sessions to load or to keep alive without reading (or decrypting) a single one.
 *
 * @param did the account's DID
 * @param handle the account's handle when the session was stored
 * @param accessExpiresAt when the stored access token expires, or {@code null} if the
 * store does not know
 * @param refreshExpiresAt when the stored refresh token expires, or {@code null} if the
 * store does not know
 */
public record StoredAccount(String did, String handle, Instant accessExpiresAt, Instant refreshExpiresAt) {

	/**
	 * Checks that the account is named.
	 */
	public StoredAccount {
		Objects.requireNonNull(did, "did");
		Objects.requireNonNull(handle, "handle");
	}

	/**
	 * The listing of a stored session.
	 * @param session the session
	 * @return the account, with the expiry times read from the tokens
	 */
	public static StoredAccount of(Session session) {
		return new StoredAccount(session.did(), session.handle(), session.accessExpiresAt().orElse(null),
				session.refreshExpiresAt().orElse(null));
	}

}
