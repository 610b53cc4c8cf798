package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call was rate limited: either the server answered {@code 429 RateLimitExceeded}, or
 * the client refused a login itself, without a network call, because it would exceed the
 * login budget or the server's last 429 has not yet reset ({@link #isLocal()}).
 * {@link #retryAt()} says when to try again.
 * <p>
 * The times of a server's 429 are read within bounds: {@code RateLimit-Reset} (absolute
 * Unix seconds on the reference PDS; a small value is read as a countdown in seconds, a
 * huge one as milliseconds) and {@code Retry-After} (seconds or an HTTP date) are clamped
 * to now .. now + 24 h, and a header that cannot be read is ignored (a 429 that says
 * nothing usable is retried after a minute). Counts beyond an {@code int} read as
 * {@link Integer#MAX_VALUE}.
 */
public class RateLimitExceededException extends XrpcException {

	private static final long serialVersionUID = 1L;

	private final Integer limit;

	private final Integer remaining;

	private final Instant reset;

	private final String policy;

	private final Duration retryAfter;

	private final Instant retryAt;

	private final boolean local;

	/**
	 * @param nsid the XRPC method concerned
	 * @param errorMessage the message
	 * @param limit the {@code RateLimit-Limit}, or {@code null}
	 * @param remaining the {@code RateLimit-Remaining}, or {@code null}
	 * @param reset the {@code RateLimit-Reset} (absolute), or {@code null}
	 * @param policy the {@code RateLimit-Policy}, such as {@code 30;w=300}, or
	 * {@code null}
	 * @param retryAfter the {@code Retry-After}, or {@code null}
	 * @param retryAt when the call may be tried again
	 * @param local whether the client refused the call itself, without asking the server
	 */
	public RateLimitExceededException(String nsid, String errorMessage, Integer limit, Integer remaining, Instant reset,
			String policy, Duration retryAfter, Instant retryAt, boolean local) {
		super(nsid, 429, "RateLimitExceeded", errorMessage);
		this.limit = limit;
		this.remaining = remaining;
		this.reset = reset;
		this.policy = policy;
		this.retryAfter = retryAfter;
		this.retryAt = retryAt;
		this.local = local;
	}

	/**
	 * The number of calls allowed in the window.
	 * @return the limit, if known
	 */
	public OptionalInt limit() {
		return (this.limit != null) ? OptionalInt.of(this.limit) : OptionalInt.empty();
	}

	/**
	 * The number of calls left in the window.
	 * @return the remaining calls, if known
	 */
	public OptionalInt remaining() {
		return (this.remaining != null) ? OptionalInt.of(this.remaining) : OptionalInt.empty();
	}

	/**
	 * When the window resets ({@code RateLimit-Reset}), as the client believes it: within
	 * now .. now + 24 h of the answer.
	 * @return the reset time, if known
	 */
	public Optional<Instant> reset() {
		return Optional.ofNullable(this.reset);
	}

	/**
	 * The policy, as {@code limit;w=windowSeconds}.
	 * @return the policy, if known
	 */
	public Optional<String> policy() {
		return Optional.ofNullable(this.policy);
	}

	/**
	 * The {@code Retry-After} of a 429.
	 * @return the delay, if the server sent one
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	/**
	 * When the call may be tried again: the later of the reset and the retry-after.
	 * @return the time
	 */
	public Instant retryAt() {
		return this.retryAt;
	}

	/**
	 * Whether the client refused the call itself, without a network call.
	 * @return {@code true} for a local refusal
	 */
	public boolean isLocal() {
		return this.local;
	}

}
