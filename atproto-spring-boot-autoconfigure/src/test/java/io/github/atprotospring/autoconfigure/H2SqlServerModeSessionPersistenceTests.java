package io.github.atprotospring.autoconfigure;

/**
 * The session persistence suite with the starter's SQL Server migrations on H2 in
 * MSSQLServer mode. SQL Server runs them for real in
 * {@link TestcontainersSqlServerSessionPersistenceTests}, where Docker runs.
 */
class H2SqlServerModeSessionPersistenceTests extends H2CompatibilityModeSuite {

	@Override
	String mode() {
		return "MODE=MSSQLServer;DATABASE_TO_UPPER=FALSE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
	}

	@Override
	String folder() {
		return "sqlserver";
	}

}
