package io.github.atprotospring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/**
 * Every auto-configuration the starter registers, as an application gets them: for tests
 * of behaviour that spans several of them (the schema, the store, the startup checks),
 * which should not break when a concern moves from one to another.
 */
public final class StarterAutoConfigurations {

	private StarterAutoConfigurations() {
	}

	/**
	 * The starter's auto-configurations, read from its
	 * {@code META-INF/spring/...AutoConfiguration.imports}.
	 * @return them, for {@code ApplicationContextRunner.withConfiguration}
	 */
	public static AutoConfigurations all() {
		ClassLoader classLoader = StarterAutoConfigurations.class.getClassLoader();
		return AutoConfigurations.of(ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.github.atprotospring."))
			.map((name) -> ClassUtils.resolveClassName(name, classLoader))
			.toArray(Class<?>[]::new));
	}

}
