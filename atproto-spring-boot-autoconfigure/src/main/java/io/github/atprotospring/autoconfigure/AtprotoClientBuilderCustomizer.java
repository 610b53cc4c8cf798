package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AtprotoClient;

/**
 * Changes the auto-configured {@link AtprotoClient}'s builder before the client is built,
 * so that an application can change one thing (a refresh policy, a listener, a JSON
 * mapper) without replacing the client bean. Beans of this type are applied in their
 * {@link org.springframework.core.annotation.Order order}, after the properties.
 */
@FunctionalInterface
public interface AtprotoClientBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder of the auto-configured client
	 */
	void customize(AtprotoClient.Builder builder);

}
