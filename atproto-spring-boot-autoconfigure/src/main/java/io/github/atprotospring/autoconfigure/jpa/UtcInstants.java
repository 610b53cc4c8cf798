package io.github.atprotospring.autoconfigure.jpa;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlTypeValue;

/**
 * Instants in the starter's tables, written and read alike by every instance whatever its
 * JVM's time zone. Where the columns carry a zone (PostgreSQL, H2, SQL Server, Oracle) an
 * instant goes as an {@code OffsetDateTime} in UTC. MySQL's and MariaDB's
 * {@code DATETIME} carries none, and their drivers write both a
 * {@code java.sql.Timestamp} and an {@code OffsetDateTime} in the JVM's zone, so there it
 * goes as a timestamp with a UTC calendar: the UTC wall time, as Hibernate writes the
 * session's {@code Instant} columns. Otherwise instances in different zones would read
 * each other's login attempts, blocks and claims hours off.
 */
final class UtcInstants {

	private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

	private final JdbcTemplate jdbc;

	/** Whether the columns carry no zone; found on first use. */
	private volatile Boolean zoneless;

	/**
	 * @param jdbc the template of the starter's database
	 */
	UtcInstants(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * A parameter of a statement of the template.
	 * @param instant the instant
	 * @return the value to pass as the parameter
	 */
	Object of(Instant instant) {
		if (!zoneless()) {
			return instant.atOffset(ZoneOffset.UTC);
		}
		Timestamp timestamp = Timestamp.from(instant);
		return (SqlTypeValue) (PreparedStatement statement, int index, int sqlType, String typeName) -> statement
			.setTimestamp(index, timestamp, Calendar.getInstance(UTC));
	}

	/**
	 * Reads a query's only column as an instant ({@code null} where the column is).
	 * @return the row mapper
	 */
	RowMapper<Instant> column() {
		if (!zoneless()) {
			return (resultSet, row) -> {
				OffsetDateTime value = resultSet.getObject(1, OffsetDateTime.class);
				return (value != null) ? value.toInstant() : null;
			};
		}
		return (resultSet, row) -> {
			Timestamp timestamp = resultSet.getTimestamp(1, Calendar.getInstance(UTC));
			return (timestamp != null) ? timestamp.toInstant() : null;
		};
	}

	private boolean zoneless() {
		Boolean known = this.zoneless;
		if (known == null) {
			String product = this.jdbc.execute(
					(ConnectionCallback<String>) (connection) -> connection.getMetaData().getDatabaseProductName());
			known = (product != null) && AtprotoSchemaInitializer.vendorOf(product)
				.map((vendor) -> vendor.folder().equals("mysql"))
				.orElse(false);
			this.zoneless = known;
		}
		return known;
	}

}
