package io.github.atprotospring.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that only moves when a test moves it.
 *
 * <p>
 * Token lifetimes, refresh grace periods and rate-limit windows are hours or days long;
 * tests advance this clock instead of sleeping. It is thread-safe: the instant lives in
 * an {@link AtomicReference}, so a test thread may advance it while server threads read
 * it. Clocks derived with {@link #withZone(ZoneId)} share the same instant, so advancing
 * one advances all of them.
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> now;

	private final ZoneId zone;

	private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	/**
	 * Creates a clock standing at the given instant, in UTC.
	 * @param start the instant the clock shows until it is moved
	 * @return a new clock
	 */
	public static MutableClock at(Instant start) {
		return new MutableClock(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
	}

	/**
	 * Creates a clock standing at the current system time, in UTC. Real-looking times
	 * matter when the code under test compares token {@code exp} values with its own
	 * clock.
	 * @return a new clock
	 */
	public static MutableClock startingNow() {
		return at(Instant.now());
	}

	/**
	 * Moves the clock by the given amount (a negative amount moves it back).
	 * @param amount how far to move
	 */
	public void advance(Duration amount) {
		Objects.requireNonNull(amount, "amount");
		now.updateAndGet(current -> current.plus(amount));
	}

	/**
	 * Sets the clock to the given instant.
	 * @param instant the new time
	 */
	public void set(Instant instant) {
		now.set(Objects.requireNonNull(instant, "instant"));
	}

	/** {@inheritDoc} */
	@Override
	public Instant instant() {
		return now.get();
	}

	/**
	 * {@inheritDoc}
	 * @return UTC unless this clock was made by {@link #withZone(ZoneId)}
	 */
	@Override
	public ZoneId getZone() {
		return zone;
	}

	/**
	 * Returns a clock in another zone that shares this clock's instant: moving either
	 * moves both.
	 * @param newZone the zone of the returned clock
	 * @return a clock sharing this clock's time
	 */
	@Override
	public MutableClock withZone(ZoneId newZone) {
		Objects.requireNonNull(newZone, "newZone");
		return newZone.equals(zone) ? this : new MutableClock(now, newZone);
	}

	/** {@inheritDoc} */
	@Override
	public String toString() {
		return "MutableClock[" + now.get() + "," + zone + "]";
	}

}
