package io.github.atprotospring.autoconfigure.actuate;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code atproto} endpoint ({@link AtprotoEndpoint}), when it
 * is exposed ({@code management.endpoints.web.exposure.include=atproto}).
 */
@AutoConfiguration(after = AtprotoAutoConfiguration.class)
@ConditionalOnClass({ AtprotoClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(AtprotoClient.class)
@ConditionalOnAvailableEndpoint(AtprotoEndpoint.class)
@Import(AtprotoSessionMonitorConfiguration.class)
public final class AtprotoEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AtprotoEndpoint atprotoEndpoint(AtprotoSessionMonitor monitor, ObjectProvider<AtprotoClients> registry) {
		return new AtprotoEndpoint(monitor, registry.getIfUnique());
	}

}
