package io.github.atprotospring.autoconfigure.jpa;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Makes the {@link AtprotoSchemaInitializer} a database initializer, so that JPA waits
 * for the session table, and orders it after the application's Flyway migrations (whose
 * detectors come first): an application Flyway that found our table in a schema without
 * its own history would refuse to run.
 */
class AtprotoSchemaInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(AtprotoSchemaInitializer.class);
	}

	@Override
	public int getOrder() {
		return 100;
	}

}
