package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;

/**
 * Builds the exception a {@link LoginBudget} throws when it refuses a login, so that every budget
 * says the same thing in the same way.
 */
public final class LoginBudgets {

	private LoginBudgets() {
	}

	/**
	 * The refusal of a login by the client itself.
	 * @param reason why, such as "the login budget is spent"
	 * @param window the window that is spent, or {@code null} when the server's 429 is the reason
	 * @param now the current time
	 * @param retryAt when a login may be tried again
	 * @return the exception to throw
	 */
	public static RateLimitExceededException refusal(String reason, LoginBudget.Window window, Instant now,
			Instant retryAt) {
		String message = "Login refused by the client without calling the server: " + reason
				+ ((window != null) ? " (" + window.limit() + " per " + window.period() + ")" : "")
				+ "; the next attempt is allowed at " + retryAt;
		return new RateLimitExceededException(AtprotoClient.CREATE_SESSION, message,
				(window != null) ? window.limit() : null, 0, retryAt,
				(window != null) ? window.policy() : null, Duration.between(now, retryAt), retryAt, true);
	}

}
