package io.github.atprotospring.client.lexicon;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A lexicon {@code datetime}: an RFC 3339 timestamp, kept as the exact string it was read
 * as (a record's bytes, and so its CID, depend on it), and written with millisecond
 * precision in UTC when made from an {@link Instant}.
 */
public final class Datetime implements Comparable<Datetime> {

	private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final String value;

	private Datetime(String value) {
		this.value = value;
	}

	/**
	 * The datetime of an instant, such as {@code 2026-11-30T12:00:00.000Z}.
	 * @param instant the instant
	 * @return the datetime
	 */
	public static Datetime of(Instant instant) {
		return new Datetime(MILLIS.format(Objects.requireNonNull(instant, "instant")));
	}

	/**
	 * The datetime now, by a clock.
	 * @param clock the clock
	 * @return the datetime
	 */
	public static Datetime now(Clock clock) {
		return of(clock.instant());
	}

	/**
	 * A datetime from its text, kept as it is.
	 * @param value an RFC 3339 timestamp with a time zone, such as
	 * {@code 2026-11-30T12:00:00.000Z}
	 * @return the datetime
	 * @throws IllegalArgumentException if the text is not such a timestamp
	 */
	public static Datetime parse(String value) {
		Datetime datetime = new Datetime(Objects.requireNonNull(value, "value"));
		datetime.toInstant();
		return datetime;
	}

	/** Reads what a server sent as it is: reading never fails on a timestamp's shape. */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static Datetime read(String value) {
		return (value != null) ? new Datetime(value) : null;
	}

	/**
	 * The instant.
	 * @return the instant
	 * @throws IllegalArgumentException if the text read is not an RFC 3339 timestamp
	 */
	public Instant toInstant() {
		try {
			return OffsetDateTime.parse(this.value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("Not an RFC 3339 datetime: '" + this.value + "'", ex);
		}
	}

	/**
	 * Orders by instant.
	 * @param other another datetime
	 * @return the order of the two instants
	 */
	@Override
	public int compareTo(Datetime other) {
		return toInstant().compareTo(other.toInstant());
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Datetime datetime && datetime.value.equals(this.value);
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	/**
	 * The timestamp as it was made or read.
	 * @return the text
	 */
	@JsonValue
	@Override
	public String toString() {
		return this.value;
	}

}
