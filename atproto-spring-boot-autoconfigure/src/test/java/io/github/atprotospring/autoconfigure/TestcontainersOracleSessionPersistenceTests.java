package io.github.atprotospring.autoconfigure;

import java.util.List;

import io.github.atprotospring.autoconfigure.containers.TestcontainersDatabases;
import io.github.atprotospring.autoconfigure.containers.TestcontainersDatabases.Engine;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The session persistence suite on Oracle 23ai Free in a container, where a Docker engine
 * runs.
 */
@EnabledIf(value = "io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable",
		disabledReason = "no Docker engine: the Oracle 23ai Free scripts are tested in H2's compatibility mode instead")
class TestcontainersOracleSessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return TestcontainersDatabases.newDatabase(Engine.ORACLE);
	}

}
