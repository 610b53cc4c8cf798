package io.github.atprotospring.client.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the observations of session changes: implement it (or extend
 * {@link DefaultSessionObservationConvention}) and give it to the client's builder, or
 * declare it as a bean in Spring Boot, to change their name or tags.
 */
public interface SessionObservationConvention extends ObservationConvention<SessionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SessionObservationContext;
	}

}
