package io.github.atprotospring.autoconfigure.observation;

import io.github.atprotospring.autoconfigure.AtprotoClientBuilderCustomizer;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.observation.SessionObservationConvention;
import io.github.atprotospring.client.observation.XrpcObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of the observations of every auto-configured {@link AtprotoClient}:
 * its XRPC calls and session changes are observed in the application's
 * {@link ObservationRegistry} (with Actuator, as timers and counters), with the
 * {@link XrpcObservationConvention} and {@link SessionObservationConvention} beans of the
 * application when it declares them. The HTTP exchanges are observed by Boot's
 * {@code RestClient.Builder} already, as {@code http.client.requests}.
 * {@code management.observations.enable.atproto=false} turns them off.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ AtprotoClient.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
public final class AtprotoObservationAutoConfiguration {

	/**
	 * Early, so that a customizer of the application can still replace what it sets.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	AtprotoClientBuilderCustomizer atprotoObservationCustomizer(ObservationRegistry registry,
			ObjectProvider<XrpcObservationConvention> xrpcConvention,
			ObjectProvider<SessionObservationConvention> sessionConvention) {
		return (builder) -> {
			builder.observationRegistry(registry);
			xrpcConvention.ifUnique(builder::xrpcObservationConvention);
			sessionConvention.ifUnique(builder::sessionObservationConvention);
		};
	}

}
