package io.github.atprotospring.autoconfigure;

import java.util.List;

import io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The session persistence suite on PostgreSQL in a container, where a Docker engine runs.
 */
@EnabledIf(value = "io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable",
		disabledReason = "no Docker engine: PostgreSQL is tested through the embedded binaries instead")
class TestcontainersPostgresSessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=" + TestcontainersPostgresDatabase.newDatabaseJdbcUrl(),
				"spring.datasource.username=" + TestcontainersPostgresDatabase.username(),
				"spring.datasource.password=" + TestcontainersPostgresDatabase.password());
	}

}
