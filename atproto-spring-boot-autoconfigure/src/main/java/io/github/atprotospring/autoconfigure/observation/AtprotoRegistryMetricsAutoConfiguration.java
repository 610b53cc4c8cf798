package io.github.atprotospring.autoconfigure.observation;

import io.github.atprotospring.autoconfigure.AtprotoAccountsAutoConfiguration;
import io.github.atprotospring.client.AtprotoClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Gauges of the registry of accounts added at runtime ({@link AtprotoClients}), bound to
 * the application's meter registries (with Actuator): {@code atproto.registry.resident},
 * its clients in memory now, and {@code atproto.registry.resident.max},
 * {@code atproto.registry.max-resident}. A registry that stays at its maximum reloads
 * accounts from the store: raise the maximum, or expect the reloads.
 */
@AutoConfiguration(after = AtprotoAccountsAutoConfiguration.class)
@ConditionalOnClass({ AtprotoClients.class, MeterBinder.class })
@ConditionalOnBean(AtprotoClients.class)
public final class AtprotoRegistryMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "atprotoRegistryMeterBinder")
	MeterBinder atprotoRegistryMeterBinder(AtprotoClients registry) {
		return (meters) -> {
			Gauge.builder("atproto.registry.resident", registry, AtprotoClients::residentCount)
				.description("Accounts of the atproto registry whose clients are in memory")
				.baseUnit("accounts")
				.register(meters);
			Gauge.builder("atproto.registry.resident.max", registry, AtprotoClients::maxResident)
				.description(
						"How many accounts of the atproto registry may be in memory (atproto.registry.max-resident)")
				.baseUnit("accounts")
				.register(meters);
		};
	}

}
