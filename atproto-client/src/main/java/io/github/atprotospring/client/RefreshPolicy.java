package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides when a session's access token is refreshed before it expires.
 * <p>
 * The times it is given are on the client's clock: the client counts a token's lifetime
 * ({@code exp - iat}, both by the server's clock) from the moment it received the token,
 * so a local clock that is off by hours neither refreshes on every call nor uses an
 * expired token. A token the server says has expired is refreshed whatever the policy
 * says.
 */
@FunctionalInterface
public interface RefreshPolicy {

	/**
	 * When to refresh an access token.
	 * @param issuedAt when the token was issued, on the client's clock; {@code null} if
	 * the token does not say
	 * @param expiresAt when the token expires, on the client's clock
	 * @return the moment from which the client refreshes before a call
	 */
	Instant refreshAt(Instant issuedAt, Instant expiresAt);

	/**
	 * Refreshes a fixed margin before expiry, but never earlier than half-way through the
	 * token's lifetime: a margin at or above the lifetime would otherwise refresh on
	 * every call.
	 * @param margin how long before expiry to refresh; zero or positive
	 * @return the policy
	 */
	static RefreshPolicy beforeExpiry(Duration margin) {
		Objects.requireNonNull(margin, "margin");
		if (margin.isNegative()) {
			throw new IllegalArgumentException("The refresh margin must be zero or positive, but was " + margin);
		}
		return (issuedAt, expiresAt) -> {
			Duration effective = margin;
			if (issuedAt != null && issuedAt.isBefore(expiresAt)) {
				Duration half = Duration.between(issuedAt, expiresAt).dividedBy(2);
				if (effective.compareTo(half) > 0) {
					effective = half;
				}
			}
			return expiresAt.minus(effective);
		};
	}

}
