package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AtprotoClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Points the auto-configured {@link AtprotoClient} at the service of the application's
 * {@link AtprotoConnectionDetails}, in place of {@code atproto.service}.
 */
@AutoConfiguration
@ConditionalOnClass(AtprotoClient.class)
@ConditionalOnBean(AtprotoConnectionDetails.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
public final class AtprotoConnectionDetailsAutoConfiguration {

	/**
	 * Early, as the property it replaces: a customizer of the application's own can still
	 * change the service.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	AtprotoClientBuilderCustomizer atprotoConnectionDetailsCustomizer(AtprotoConnectionDetails connectionDetails) {
		return (builder) -> {
			String service = connectionDetails.getService();
			try {
				builder.service(service);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("The AtprotoConnectionDetails " + connectionDetails.getClass().getName()
						+ " name a service that is not an http or https URL: '" + service + "'");
			}
		};
	}

}
