package io.github.atprotospring.autoconfigure;

import java.util.List;

import io.github.atprotospring.autoconfigure.postgres.EmbeddedPostgresDatabase;

/**
 * The session persistence suite on a real PostgreSQL that needs no Docker (embedded
 * binaries from Maven Central). CI fails if this class did not run (see
 * {@code .ci/check-db-tests}).
 */
class EmbeddedPostgresSessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=" + EmbeddedPostgresDatabase.newDatabaseJdbcUrl(),
				"spring.datasource.username=" + EmbeddedPostgresDatabase.username(),
				"spring.datasource.password=" + EmbeddedPostgresDatabase.password());
	}

}
