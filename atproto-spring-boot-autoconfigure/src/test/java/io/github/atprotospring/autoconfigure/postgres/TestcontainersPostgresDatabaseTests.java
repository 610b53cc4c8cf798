package io.github.atprotospring.autoconfigure.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Smoke tests for {@link TestcontainersPostgresDatabase}, run only where a Docker engine
 * is available (skipped elsewhere, CI included).
 */
@EnabledIf("io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable")
class TestcontainersPostgresDatabaseTests {

	@Test
	void eachCallGivesADifferentIsolatedDatabase() throws SQLException {
		String first = TestcontainersPostgresDatabase.newDatabaseJdbcUrl();
		String second = TestcontainersPostgresDatabase.newDatabaseJdbcUrl();
		assertThat(first).isNotEqualTo(second);
		try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE only_in_first (id INT)");
			statement.executeUpdate("INSERT INTO only_in_first VALUES (42)");
			try (ResultSet result = statement.executeQuery("SELECT id FROM only_in_first")) {
				assertThat(result.next()).isTrue();
				assertThat(result.getInt(1)).isEqualTo(42);
			}
		}
		try (Connection connection = connect(second); Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("SELECT id FROM only_in_first"));
		}
	}

	private static Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, TestcontainersPostgresDatabase.username(),
				TestcontainersPostgresDatabase.password());
	}

}
