package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;

/**
 * Reads the rate-limit headers of a {@code 429} without believing them: they come from
 * servers and proxies the client does not control. Every time is clamped to now .. now +
 * {@link #MAX_WAIT}, since a login budget kept in a database remembers it across
 * restarts; a {@code RateLimit-Reset} below {@value #RELATIVE_BELOW} is read as a number
 * of seconds from now and one above {@value #MILLIS_ABOVE} as Unix milliseconds; a value
 * that cannot be read is ignored. Nothing here throws.
 */
final class RateLimitHeaders {

	/** The longest the client believes a server asks it to wait. */
	static final Duration MAX_WAIT = Duration.ofHours(24);

	/** How long to wait after a 429 that says nothing usable about when to try again. */
	static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

	/**
	 * {@code RateLimit-Reset} values below this (2001-09-09 as Unix seconds) are a
	 * countdown in seconds, as in the IETF draft, rather than an absolute time.
	 */
	static final long RELATIVE_BELOW = 1_000_000_000L;

	/**
	 * {@code RateLimit-Reset} values above this (the year 5138 as Unix seconds) are Unix
	 * milliseconds.
	 */
	static final long MILLIS_ABOVE = 100_000_000_000L;

	private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]{1,4096}");

	private static final Pattern POLICY = Pattern.compile("[A-Za-z0-9;=,\" _-]{1,200}");

	private RateLimitHeaders() {
	}

	/**
	 * The exception for a 429 (or a {@code RateLimitExceeded} error) with these headers.
	 * @param nsid the method
	 * @param message the server's message, already cleaned, or {@code null}
	 * @param headers the answer's headers
	 * @param now the time the answer was received
	 * @return the exception, with every time within now .. now + 24 h
	 */
	static RateLimitExceededException exception(String nsid, String message, HttpHeaders headers, Instant now) {
		Instant reset = reset(first(headers, "RateLimit-Reset"), now);
		Duration retryAfter = retryAfter(first(headers, HttpHeaders.RETRY_AFTER), now);
		Instant retryAt = reset;
		if (retryAfter != null && (retryAt == null || now.plus(retryAfter).isAfter(retryAt))) {
			retryAt = now.plus(retryAfter);
		}
		if (retryAt == null) {
			retryAt = now.plus(DEFAULT_WAIT);
		}
		return new RateLimitExceededException(nsid, (message != null) ? message : "Rate Limit Exceeded",
				count(first(headers, "RateLimit-Limit")), count(first(headers, "RateLimit-Remaining")), reset,
				policy(first(headers, "RateLimit-Policy")), retryAfter, clamp(retryAt, now), false);
	}

	/**
	 * A rate-limit exception of the server's whose {@code retryAt} lies within now .. now
	 * + 24 h: the one given, or a copy with the time clamped (for exceptions a custom
	 * {@link XrpcErrorDecoder} made).
	 * @param ex the exception
	 * @param now the time the answer was received
	 * @return an exception whose times can be believed
	 */
	static RateLimitExceededException bounded(RateLimitExceededException ex, Instant now) {
		Instant retryAt = ex.retryAt();
		Instant reset = ex.reset().orElse(null);
		Duration retryAfter = ex.retryAfter().orElse(null);
		boolean retryAtFits = retryAt != null && retryAt.equals(clamp(retryAt, now));
		boolean resetFits = reset == null || reset.equals(clamp(reset, now));
		boolean retryAfterFits = retryAfter == null
				|| (!retryAfter.isNegative() && retryAfter.compareTo(MAX_WAIT) <= 0);
		if (retryAtFits && resetFits && retryAfterFits) {
			return ex;
		}
		return new RateLimitExceededException(ex.nsid(), ex.errorMessage(),
				ex.limit().isPresent() ? ex.limit().getAsInt() : null,
				ex.remaining().isPresent() ? ex.remaining().getAsInt() : null,
				(reset != null) ? clamp(reset, now) : null, ex.policy().orElse(null),
				retryAfterFits ? retryAfter : clamp(retryAfter),
				(retryAt != null) ? clamp(retryAt, now) : now.plus(DEFAULT_WAIT), ex.isLocal());
	}

	/**
	 * {@code RateLimit-Reset}: absolute Unix seconds on the reference PDS, but a small
	 * value is a countdown and a huge one milliseconds.
	 * @return the reset time within now .. now + 24 h, or {@code null} if the value
	 * cannot be read
	 */
	static Instant reset(String value, Instant now) {
		Long number = nonNegative(value);
		if (number == null) {
			return null;
		}
		Instant at;
		if (number < RELATIVE_BELOW) {
			at = now.plusSeconds(number);
		}
		else if (number > MILLIS_ABOVE) {
			at = Instant.ofEpochMilli(number);
		}
		else {
			at = Instant.ofEpochSecond(number);
		}
		return clamp(at, now);
	}

	/**
	 * {@code Retry-After}: a number of seconds or an HTTP date.
	 * @return the delay within 0 .. 24 h, or {@code null} if the value cannot be read
	 */
	static Duration retryAfter(String value, Instant now) {
		if (value == null || value.isBlank()) {
			return null;
		}
		Long seconds = nonNegative(value);
		if (seconds != null) {
			return (seconds > MAX_WAIT.toSeconds()) ? MAX_WAIT : Duration.ofSeconds(seconds);
		}
		try {
			Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			return clamp(Duration.between(now, clamp(at, now)));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * {@code RateLimit-Limit} or {@code RateLimit-Remaining}.
	 * @return the count, at most {@link Integer#MAX_VALUE}, or {@code null} if the value
	 * cannot be read
	 */
	static Integer count(String value) {
		Long number = nonNegative(value);
		return (number != null) ? (int) Math.min(number, Integer.MAX_VALUE) : null;
	}

	/**
	 * {@code RateLimit-Policy}, such as {@code 30;w=300}.
	 * @return the policy, or {@code null} if it does not look like one
	 */
	static String policy(String value) {
		return (value != null && POLICY.matcher(value.strip()).matches()) ? value.strip() : null;
	}

	static Instant clamp(Instant at, Instant now) {
		if (at.isBefore(now)) {
			return now;
		}
		Instant latest = now.plus(MAX_WAIT);
		return at.isAfter(latest) ? latest : at;
	}

	private static Duration clamp(Duration wait) {
		if (wait == null || wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(MAX_WAIT) > 0) ? MAX_WAIT : wait;
	}

	/**
	 * A non-negative integer; one too large for a long is {@link Long#MAX_VALUE} (which
	 * the callers clamp).
	 */
	private static Long nonNegative(String value) {
		if (value == null) {
			return null;
		}
		String digits = value.strip();
		if (!DIGITS.matcher(digits).matches()) {
			return null;
		}
		try {
			return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static String first(HttpHeaders headers, String name) {
		try {
			return headers.getFirst(name);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
