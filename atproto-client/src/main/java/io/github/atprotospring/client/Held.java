package io.github.atprotospring.client;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The session a client holds, with its token times worked out once on the client's own
 * clock, and a generation number that tells one held session from the next even when a
 * server hands out byte-identical access tokens (they carry no {@code jti}).
 *
 * @param session the session
 * @param accessExpiresAt when the access token expires, on the client's clock, or
 * {@code null} if it says nothing that can be read
 * @param refreshExpiresAt when the refresh token expires, on the client's clock, or
 * {@code null}
 * @param refreshAt from when the client refreshes before a call, or {@code null}
 * @param generation the number of the change that put the session in place
 */
record Held(Session session, Instant accessExpiresAt, Instant refreshExpiresAt, Instant refreshAt, long generation) {

	/**
	 * Works out the times of a session.
	 * @param session the session
	 * @param skew how far the client's clock is ahead of the server's
	 * @param policy the refresh policy
	 * @param generation the generation
	 */
	static Held of(Session session, Duration skew, RefreshPolicy policy, long generation) {
		Instant accessExpiresAt = shift(session.accessExpiresAt().orElse(null), skew);
		Instant issuedAt = shift(Jwts.issuedAt(session.accessJwt()).orElse(null), skew);
		Instant refreshExpiresAt = shift(session.refreshExpiresAt().orElse(null), skew);
		Instant refreshAt = null;
		if (accessExpiresAt != null) {
			try {
				refreshAt = policy.refreshAt(issuedAt, accessExpiresAt);
			}
			catch (DateTimeException | ArithmeticException ex) {
				refreshAt = accessExpiresAt;
			}
		}
		return new Held(session, accessExpiresAt, refreshExpiresAt, refreshAt, generation);
	}

	boolean accessExpired(Instant now) {
		return this.accessExpiresAt != null && !now.isBefore(this.accessExpiresAt);
	}

	boolean refreshExpired(Instant now) {
		return this.refreshExpiresAt != null && !now.isBefore(this.refreshExpiresAt);
	}

	boolean refreshDue(Instant now) {
		return this.refreshAt != null && !now.isBefore(this.refreshAt);
	}

	private static Instant shift(Instant serverTime, Duration skew) {
		if (serverTime == null) {
			return null;
		}
		try {
			return serverTime.plus(skew);
		}
		catch (DateTimeException | ArithmeticException ex) {
			return serverTime;
		}
	}

}
