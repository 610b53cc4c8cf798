package io.github.atprotospring.client.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the observations of XRPC calls: implement it (or extend
 * {@link DefaultXrpcObservationConvention}) and give it to the client's builder, or
 * declare it as a bean in Spring Boot, to change their name or tags.
 */
public interface XrpcObservationConvention extends ObservationConvention<XrpcObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof XrpcObservationContext;
	}

}
