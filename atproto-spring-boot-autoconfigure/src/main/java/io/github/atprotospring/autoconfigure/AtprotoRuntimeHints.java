package io.github.atprotospring.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the auto-configuration reads at runtime beyond its classes, for Spring's
 * ahead-of-time processing (a native image): the configuration metadata, from which
 * {@code AtprotoPropertiesValidator} learns the known property names. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class AtprotoRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources().registerPattern("META-INF/spring-configuration-metadata.json");
	}

}
