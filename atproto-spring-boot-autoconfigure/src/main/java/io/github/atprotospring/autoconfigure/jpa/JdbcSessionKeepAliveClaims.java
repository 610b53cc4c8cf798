package io.github.atprotospring.autoconfigure.jpa;

import java.time.Instant;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.SessionKeepAliveClaims;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Claims of the keep-alive task in the session table: one {@code UPDATE} of the account's
 * row sets {@code claimed_until} only if the row's refresh token is still due and no
 * other instance holds an unexpired claim, so of instances that claim together exactly
 * one gets the row (the database serialises the updates of one row). Runs outside the
 * caller's transaction, each statement on its own and bounded in time.
 */
public class JdbcSessionKeepAliveClaims implements SessionKeepAliveClaims {

	private static final String CLAIM = "update atproto_session set claimed_until = ? where service = ? and did = ? "
			+ "and refresh_expires_at is not null and refresh_expires_at <= ? "
			+ "and (claimed_until is null or claimed_until <= ?)";

	private final JdbcTemplate jdbc;

	private final UtcInstants instants;

	/**
	 * @param dataSource the database with the starter's schema (V4 or later)
	 * @param timeoutSeconds how long one claim may wait for the row (another instance may
	 * hold it locked while it refreshes)
	 */
	public JdbcSessionKeepAliveClaims(DataSource dataSource, int timeoutSeconds) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setQueryTimeout(Math.max(1, timeoutSeconds));
		this.instants = new UtcInstants(this.jdbc);
	}

	@Override
	public boolean claim(String service, String did, Instant dueBefore, Instant now, Instant until) {
		return this.jdbc.update(CLAIM, this.instants.of(until), service, did, this.instants.of(dueBefore),
				this.instants.of(now)) == 1;
	}

}
