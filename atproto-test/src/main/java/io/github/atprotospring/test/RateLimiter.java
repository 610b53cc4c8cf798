package io.github.atprotospring.test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fixed-window rate limit as the reference PDS applies them (xrpc-server over
 * rate-limiter-flexible's memory store): each key has one counter, a window starts at the
 * key's first hit and lasts its full length, and every attempt consumes its points, also
 * a refused one. A route combines several limits (its own and the global per-address
 * one); the answer reports the {@linkplain #tightest(List) tightest}.
 */
final class RateLimiter {

	/**
	 * The state of one limit after an attempt.
	 *
	 * @param limit the points per window
	 * @param remaining the points left, never below zero
	 * @param reset when the window ends
	 * @param window the window's length
	 * @param exceeded whether this attempt went over the limit
	 */
	record Status(int limit, int remaining, Instant reset, Duration window, boolean exceeded) {

		/**
		 * The headers of the reference PDS: {@code RateLimit-Reset} is absolute Unix
		 * seconds, and a 429 carries no {@code Retry-After} unless asked for (a server in
		 * front may add one).
		 */
		Map<String, String> headers(Instant now, boolean retryAfter) {
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("RateLimit-Limit", Integer.toString(limit));
			headers.put("RateLimit-Reset", Long.toString(reset.getEpochSecond()));
			headers.put("RateLimit-Remaining", Integer.toString(remaining));
			headers.put("RateLimit-Policy", limit + ";w=" + window.toSeconds());
			if (exceeded && retryAfter) {
				long millis = Math.max(0, Duration.between(now, reset).toMillis());
				headers.put("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
			}
			return headers;
		}
	}

	private static final class Counter {

		Instant start;

		int used;

	}

	private final int limit;

	private final Duration window;

	private final Map<String, Counter> counters = new HashMap<>();

	RateLimiter(int limit, Duration window) {
		this.limit = limit;
		this.window = window;
	}

	synchronized Status consume(String key, int points, Instant now) {
		Counter counter = counters.get(key);
		if (counter == null || !now.isBefore(counter.start.plus(window))) {
			counter = new Counter();
			counter.start = now;
			counters.put(key, counter);
		}
		counter.used += points;
		return new Status(limit, Math.max(0, limit - counter.used), counter.start.plus(window), window,
				counter.used > limit);
	}

	/**
	 * The status a route reports, as xrpc-server picks it: the first exceeded limit if
	 * any, else the one with the fewest points left (the first of equals).
	 */
	static Status tightest(List<Status> statuses) {
		Status lowest = null;
		for (Status status : statuses) {
			if (status.exceeded()) {
				return status;
			}
			if (lowest == null || status.remaining() < lowest.remaining()) {
				lowest = status;
			}
		}
		return lowest;
	}

}
