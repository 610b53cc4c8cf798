package io.github.atprotospring.autoconfigure.mariadb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Smoke tests for {@link EmbeddedMariaDbDatabase}: the embedded server really starts on
 * this machine (as root too), stores and returns rows, and hands out isolated databases.
 * CI's {@code .ci/check-db-tests} fails the build unless these ran and passed.
 */
@EnabledOnOs(value = OS.LINUX, architectures = "amd64",
		disabledReason = "the embedded MariaDB binaries are built for Linux on x86-64 only")
class EmbeddedMariaDbDatabaseTests {

	@Test
	void createsInsertsAndSelectsInANewDatabaseOfARealMariaDb() throws SQLException {
		String url = EmbeddedMariaDbDatabase.newDatabaseJdbcUrl();
		assertThat(url).startsWith("jdbc:mariadb://127.0.0.1:" + EmbeddedMariaDbDatabase.port() + "/");
		try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE session (did VARCHAR(64) PRIMARY KEY, refreshed INT NOT NULL)");
			statement.executeUpdate("INSERT INTO session VALUES ('did:plc:alice', 1), ('did:plc:bob', 2)");
			statement.executeUpdate("UPDATE session SET refreshed = refreshed + 1 WHERE did = 'did:plc:alice'");
			try (ResultSet result = statement
				.executeQuery("SELECT sum(refreshed), database(), version() FROM session")) {
				assertThat(result.next()).isTrue();
				assertThat(result.getInt(1)).isEqualTo(4);
				assertThat(url).endsWith("/" + result.getString(2));
				assertThat(result.getString(3)).startsWith(EmbeddedMariaDbDatabase.VERSION + "-MariaDB");
			}
		}
	}

	@Test
	void eachCallGivesADifferentIsolatedDatabase() throws SQLException {
		String first = EmbeddedMariaDbDatabase.newDatabaseJdbcUrl();
		String second = EmbeddedMariaDbDatabase.newDatabaseJdbcUrl();
		assertThat(first).isNotEqualTo(second);
		try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE only_in_first (id INT)");
		}
		try (Connection connection = connect(second); Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("SELECT id FROM only_in_first"))
				.withMessageContaining("only_in_first");
		}
	}

	@Test
	void theServerKeepsMariaDbsDefaultCharacterSetSoThatScriptsMustNameTheirs() throws SQLException {
		try (Connection connection = connect(EmbeddedMariaDbDatabase.newDatabaseJdbcUrl());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT @@character_set_server, @@bind_address")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getString(1)).isEqualTo("latin1");
			assertThat(result.getString(2)).isEqualTo("127.0.0.1");
		}
	}

	private static Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, EmbeddedMariaDbDatabase.username(), EmbeddedMariaDbDatabase.password());
	}

}
