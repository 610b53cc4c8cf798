package io.github.atprotospring.autoconfigure.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Smoke tests for {@link EmbeddedPostgresDatabase}: the embedded server really starts on
 * this machine (as root too), stores and returns rows, and hands out isolated databases.
 * CI's {@code .ci/check-db-tests} fails the build unless these ran and passed.
 */
class EmbeddedPostgresDatabaseTests {

	@Test
	void createsInsertsAndSelectsInANewDatabase() throws SQLException {
		String url = EmbeddedPostgresDatabase.newDatabaseJdbcUrl();
		assertThat(url).startsWith("jdbc:postgresql://localhost:");
		try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
			statement
				.execute("CREATE TABLE session (did TEXT PRIMARY KEY, handle TEXT NOT NULL, refreshed INT NOT NULL)");
			statement.executeUpdate("INSERT INTO session VALUES ('did:plc:alice', 'alice.test', 1), "
					+ "('did:plc:bob', 'bob.test', 2)");
			statement.executeUpdate("UPDATE session SET refreshed = refreshed + 1 WHERE did = 'did:plc:alice'");
			List<String> rows = new ArrayList<>();
			try (ResultSet result = statement.executeQuery("SELECT did, handle, refreshed FROM session ORDER BY did")) {
				while (result.next()) {
					rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getInt(3));
				}
			}
			assertThat(rows).containsExactly("did:plc:alice alice.test 2", "did:plc:bob bob.test 2");
			try (ResultSet result = statement.executeQuery("SELECT current_database(), version()")) {
				assertThat(result.next()).isTrue();
				assertThat(url).endsWith("/" + result.getString(1));
				assertThat(result.getString(2)).startsWith("PostgreSQL");
			}
		}
	}

	@Test
	void eachCallGivesADifferentIsolatedDatabase() throws SQLException {
		String first = EmbeddedPostgresDatabase.newDatabaseJdbcUrl();
		String second = EmbeddedPostgresDatabase.newDatabaseJdbcUrl();
		assertThat(first).isNotEqualTo(second);
		try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE only_in_first (id INT)");
			statement.executeUpdate("INSERT INTO only_in_first VALUES (42)");
		}
		try (Connection connection = connect(second); Statement statement = connection.createStatement()) {
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> statement.executeQuery("SELECT id FROM only_in_first"))
				.withMessageContaining("only_in_first");
		}
		try (Connection connection = connect(second);
				Statement statement = connection.createStatement();
				ResultSet result = statement
					.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isZero();
		}
		try (Connection connection = connect(first);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT id FROM only_in_first")) {
			assertThat(result.next()).isTrue();
			assertThat(result.getInt(1)).isEqualTo(42);
		}
	}

	@Test
	void sharesOneServerForTheWholeJvm() {
		int port = EmbeddedPostgresDatabase.port();
		assertThat(EmbeddedPostgresDatabase.newDatabaseJdbcUrl())
			.startsWith("jdbc:postgresql://localhost:" + port + "/");
		assertThat(EmbeddedPostgresDatabase.port()).isEqualTo(port);
	}

	@Test
	void concurrentCallersGetDistinctDatabases() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<String>> futures = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				futures.add(executor.submit(EmbeddedPostgresDatabase::newDatabaseJdbcUrl));
			}
			Set<String> urls = new HashSet<>();
			for (Future<String> future : futures) {
				urls.add(future.get(2, TimeUnit.MINUTES));
			}
			assertThat(urls).hasSize(8);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, EmbeddedPostgresDatabase.username(),
				EmbeddedPostgresDatabase.password());
	}

}
