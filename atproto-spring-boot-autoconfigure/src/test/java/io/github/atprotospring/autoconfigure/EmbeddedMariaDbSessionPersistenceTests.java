package io.github.atprotospring.autoconfigure;

import java.util.List;

import io.github.atprotospring.autoconfigure.mariadb.EmbeddedMariaDbDatabase;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The session persistence suite on a real MariaDB that needs no Docker (embedded binaries
 * from Maven Central, for Linux on x86-64), with the starter's {@code mysql} migrations,
 * which MySQL gets too. CI fails if this class did not run (see
 * {@code .ci/check-db-tests}).
 */
@EnabledOnOs(value = OS.LINUX, architectures = "amd64",
		disabledReason = "the embedded MariaDB binaries are built for Linux on x86-64 only")
class EmbeddedMariaDbSessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=" + EmbeddedMariaDbDatabase.newDatabaseJdbcUrl(),
				"spring.datasource.username=" + EmbeddedMariaDbDatabase.username(),
				"spring.datasource.password=" + EmbeddedMariaDbDatabase.password());
	}

}
