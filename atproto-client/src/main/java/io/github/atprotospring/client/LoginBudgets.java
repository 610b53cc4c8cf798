package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;

/**
 * What every {@link LoginBudget} decides the same way, wherever it keeps its attempts:
 * whether an attempt fits the windows, and the exception that refuses one.
 */
public final class LoginBudgets {

	private LoginBudgets() {
	}

	/**
	 * Refuses an attempt that does not fit every window, given the earlier attempts.
	 * @param windows the windows
	 * @param attempts the earlier attempts, in any order (older ones than the longest
	 * window are ignored)
	 * @param now the current time
	 * @throws RateLimitExceededException if a window is full; it says when its oldest
	 * attempt leaves it
	 */
	public static void checkWindows(Iterable<LoginBudget.Window> windows, Iterable<Instant> attempts, Instant now) {
		for (LoginBudget.Window window : windows) {
			Instant windowStart = now.minus(window.period());
			int used = 0;
			Instant oldest = null;
			for (Instant at : attempts) {
				if (at.isAfter(windowStart)) {
					used++;
					oldest = (oldest == null || at.isBefore(oldest)) ? at : oldest;
				}
			}
			if (used >= window.limit()) {
				throw refusal("the login budget is spent", window, now, oldest.plus(window.period()));
			}
		}
	}

	/**
	 * The refusal of a login by the client itself.
	 * @param reason why, such as "the login budget is spent"
	 * @param window the window that is spent, or {@code null} when the server's 429 is
	 * the reason
	 * @param now the current time
	 * @param retryAt when a login may be tried again
	 * @return the exception to throw
	 */
	public static RateLimitExceededException refusal(String reason, LoginBudget.Window window, Instant now,
			Instant retryAt) {
		String message = "Login refused by the client without calling the server: " + reason
				+ ((window != null) ? " (" + window.limit() + " per " + window.period() + ")" : "")
				+ "; the next attempt is allowed at " + retryAt;
		return new RateLimitExceededException(SessionManager.CREATE_SESSION, message,
				(window != null) ? window.limit() : null, 0, retryAt, (window != null) ? window.policy() : null,
				Duration.between(now, retryAt), retryAt, true);
	}

}
