package io.github.atprotospring.client;

import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the client reflects on, for Spring's ahead-of-time processing (a native image):
 * Jackson binds the answers of the typed calls to the records of
 * {@link io.github.atprotospring.client.model}. Session answers and session JSON are read
 * as trees, and request bodies written from maps, with no reflection. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class ClientRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		this.bindings.registerReflectionHints(hints.reflection(), CreateRecordResponse.class, Profile.class,
				RecordResponse.class, SessionInfo.class);
	}

}
