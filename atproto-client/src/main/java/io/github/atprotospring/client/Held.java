package io.github.atprotospring.client;

import java.time.Instant;

/**
 * The session a client holds, with what the client reads from its tokens worked out once,
 * and a generation number that tells one held session from the next even when a server
 * hands out byte-identical access tokens (they carry no {@code jti}).
 */
record Held(Session session, Instant accessExpiresAt, Instant refreshExpiresAt, long generation) {

	static Held of(Session session, long generation) {
		return new Held(session, session.accessExpiresAt().orElse(null), session.refreshExpiresAt().orElse(null),
				generation);
	}

	boolean accessExpired(Instant now) {
		return this.accessExpiresAt != null && !now.isBefore(this.accessExpiresAt);
	}

	boolean refreshExpired(Instant now) {
		return this.refreshExpiresAt != null && !now.isBefore(this.refreshExpiresAt);
	}

}
