package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionStore;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of many accounts in one application: a client bean per named account
 * ({@code atproto.accounts.<name>.*}, see {@link AtprotoAccountsRegistrar}) made ready at
 * start, the {@link AtprotoClients} registry of accounts added at runtime, and the
 * {@link AtprotoSessionKeepAlive} task that keeps idle sessions alive. All of them share
 * the primary client's store, login budget, coordinator, HTTP transport and event
 * publisher.
 */
@AutoConfiguration(after = AtprotoAutoConfiguration.class,
		afterName = { "io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration",
				"io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration",
				"io.github.atprotospring.autoconfigure.jpa.AtprotoKeepAliveClaimsAutoConfiguration" })
@ConditionalOnClass(AtprotoClient.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
public final class AtprotoAccountsAutoConfiguration {

	@Bean
	static AtprotoAccountsRegistrar atprotoAccountsRegistrar() {
		return new AtprotoAccountsRegistrar();
	}

	@Bean
	AtprotoClientFactory atprotoClientFactory(AtprotoProperties properties, LoginBudget loginBudget, SessionStore store,
			ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<Clock> clock,
			ObjectProvider<SessionCoordinator> coordinator, AtprotoHttpClientConfiguration.Transport transport,
			ObjectProvider<AtprotoClientBuilderCustomizer> customizers, SessionEventPublisher events) {
		return new AtprotoClientFactory(properties, loginBudget, store, restClientBuilder, clock, coordinator,
				transport, customizers, events);
	}

	@Bean
	AtprotoAccountsInitializer atprotoAccountsInitializer(BeanFactory beanFactory, Environment environment,
			AtprotoProperties properties) {
		return new AtprotoAccountsInitializer(beanFactory, AtprotoAccountsRegistrar.accounts(environment), properties);
	}

	@Bean
	@ConditionalOnMissingBean
	AtprotoClients atprotoClients(AtprotoClientFactory factory, SessionStore store, AtprotoProperties properties,
			ObjectProvider<AtprotoClient> clients, SessionEventPublisher events) {
		int maxResident = properties.getRegistry().getMaxResident();
		if (maxResident < 1) {
			throw new AtprotoConfigurationException("atproto.registry.max-resident",
					"atproto.registry.max-resident must be at least 1, but is " + maxResident + ".",
					"Set atproto.registry.max-resident to how many accounts added at runtime may stay in memory, "
							+ "such as 1000.");
		}
		return AtprotoClients.builder()
			.service(properties.getService())
			.sessionStore(store)
			.clientBuilder(factory::registryClient)
			.restClient(factory.registryRestClient())
			.maxResident(maxResident)
			.loadTimeout(AtprotoPropertiesCheck.positive("atproto.session.change-timeout",
					properties.getSession().getChangeTimeout()))
			.pinned(clients.orderedStream().toList())
			.sessionChangeListener((client, event, session) -> events.publish(client, session.did(), event, session))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "atproto.keep-alive.enabled", matchIfMissing = true)
	AtprotoSessionKeepAlive atprotoSessionKeepAlive(AtprotoClients registry, ObjectProvider<AtprotoClient> clients,
			SessionStore store, ObjectProvider<SessionKeepAliveClaims> claims, ObjectProvider<Clock> clock,
			AtprotoProperties properties) {
		AtprotoProperties.KeepAlive keepAlive = properties.getKeepAlive();
		return new AtprotoSessionKeepAlive(registry, clients.orderedStream().toList(), store,
				claims.getIfUnique(SessionKeepAliveClaims::local), clock.getIfUnique(Clock::systemUTC),
				keepAlive.getRefreshBefore(), keepAlive.getPeriod(), keepAlive.getMaxPerMinute());
	}

}
