package io.github.atprotospring.autoconfigure.actuate;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code atproto} health contributor
 * ({@link AtprotoHealthIndicator}); {@code management.health.atproto.enabled=false} turns
 * it off.
 */
@AutoConfiguration(after = AtprotoAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ AtprotoClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(AtprotoClient.class)
@ConditionalOnEnabledHealthIndicator("atproto")
@Import(AtprotoSessionMonitorConfiguration.class)
public final class AtprotoHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "atprotoHealthIndicator")
	AtprotoHealthIndicator atprotoHealthIndicator(AtprotoSessionMonitor monitor) {
		return new AtprotoHealthIndicator(monitor);
	}

}
