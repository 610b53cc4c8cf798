package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Guards the server's login rate limit: {@code createSession} is limited per account (30
 * per 5 minutes and 300 per day on the reference PDS, 100 per day seen on bsky.social,
 * with lockouts of up to a day), so the client asks its budget before every login and
 * refuses, without a network call, one that would exceed it or that comes before the
 * reset of the server's last 429.
 * <p>
 * Implementations must be thread-safe. One kept in a shared database lets restarts and
 * replicas share the budget.
 */
public interface LoginBudget {

	/**
	 * The windows the reference PDS enforces on {@code createSession}: 30 per 5 minutes
	 * and 300 per day.
	 */
	List<Window> DEFAULT_WINDOWS = List.of(new Window(30, Duration.ofMinutes(5)), new Window(300, Duration.ofDays(1)));

	/**
	 * Takes one login attempt for an identifier.
	 * @param identifier the handle, email or DID about to log in
	 * @throws RateLimitExceededException (with
	 * {@link RateLimitExceededException#isLocal()} true) if the attempt would exceed the
	 * budget or the server's last 429 has not reset; it says when to try again
	 */
	void acquire(String identifier);

	/**
	 * Remembers that the server rate-limited logins for an identifier until a given time.
	 * @param identifier the handle, email or DID
	 * @param until when the server's limit resets
	 */
	void blockUntil(String identifier, Instant until);

	/**
	 * Counts what an identifier has spent as the account's, now that a login has told its
	 * DID: the server limits logins per account, so the handle, the email and the DID of
	 * one account must share one budget. The client then asks the budget by DID. Budgets
	 * that keep no per-identifier state need not implement it.
	 * @param identifier the handle, email or DID that was used
	 * @param did the account's DID
	 */
	default void merge(String identifier, String did) {
	}

	/**
	 * A budget that allows every login; for tests and for servers without login limits.
	 * @return the budget
	 */
	static LoginBudget unlimited() {
		return new LoginBudget() {

			@Override
			public void acquire(String identifier) {
			}

			@Override
			public void blockUntil(String identifier, Instant until) {
			}

		};
	}

	/**
	 * One window of a login budget.
	 *
	 * @param limit the number of logins allowed in the window
	 * @param period the window's length
	 */
	record Window(int limit, Duration period) {

		/**
		 * Checks the window.
		 */
		public Window {
			if (limit < 1) {
				throw new IllegalArgumentException("A login window must allow at least one login, not " + limit);
			}
			if (period == null || period.isNegative() || period.isZero()) {
				throw new IllegalArgumentException("A login window must have a positive period");
			}
		}

		/**
		 * The window as a {@code RateLimit-Policy} value.
		 * @return for example {@code 30;w=300}
		 */
		public String policy() {
			return this.limit + ";w=" + this.period.toSeconds();
		}

	}

}
