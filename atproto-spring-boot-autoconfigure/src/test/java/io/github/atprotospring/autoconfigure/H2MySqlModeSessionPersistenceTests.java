package io.github.atprotospring.autoconfigure;

/**
 * The session persistence suite with the starter's MySQL and MariaDB migrations on H2 in
 * MySQL mode. MariaDB runs them for real in
 * {@link EmbeddedMariaDbSessionPersistenceTests}.
 */
class H2MySqlModeSessionPersistenceTests extends H2CompatibilityModeSuite {

	@Override
	String mode() {
		return "MODE=MySQL;DATABASE_TO_LOWER=TRUE";
	}

	@Override
	String folder() {
		return "mysql";
	}

}
