package io.github.atprotospring.autoconfigure;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The session persistence suite with the starter's Oracle migrations on H2 in Oracle
 * mode, where an empty string is NULL as in Oracle. Oracle runs them for real in
 * {@link TestcontainersOracleSessionPersistenceTests}, where Docker runs.
 */
class H2OracleModeSessionPersistenceTests extends H2CompatibilityModeSuite {

	@Override
	String mode() {
		return "MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH";
	}

	@Override
	String folder() {
		return "oracle";
	}

	@Override
	ApplicationContextRunner customize(ApplicationContextRunner runner) {
		// Oracle's types (NUMBER(19), CLOB) are what Hibernate's Oracle dialect expects,
		// not its H2 dialect, which the suite speaks here: the schema is validated by the
		// Oracle dialect on a real Oracle only.
		return super.customize(runner).withPropertyValues("spring.jpa.hibernate.ddl-auto=none");
	}

}
