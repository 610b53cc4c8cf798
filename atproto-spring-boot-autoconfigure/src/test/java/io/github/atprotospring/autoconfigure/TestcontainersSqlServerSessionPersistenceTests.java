package io.github.atprotospring.autoconfigure;

import java.util.List;

import io.github.atprotospring.autoconfigure.containers.TestcontainersDatabases;
import io.github.atprotospring.autoconfigure.containers.TestcontainersDatabases.Engine;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The session persistence suite on SQL Server 2022 in a container, where a Docker engine
 * runs.
 */
@EnabledIf(value = "io.github.atprotospring.autoconfigure.postgres.TestcontainersPostgresDatabase#dockerAvailable",
		disabledReason = "no Docker engine: the SQL Server 2022 scripts are tested in H2's compatibility mode instead")
class TestcontainersSqlServerSessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return TestcontainersDatabases.newDatabase(Engine.SQLSERVER);
	}

}
