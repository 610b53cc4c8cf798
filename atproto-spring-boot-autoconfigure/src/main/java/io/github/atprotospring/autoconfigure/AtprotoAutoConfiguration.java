package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.InMemoryLoginBudget;
import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Auto-configuration of an {@link AtprotoClient}: built on Boot's
 * {@link RestClient.Builder}, its session changes published as
 * {@link SessionChangedEvent}s, its sessions kept in a {@link SessionStore} and resumed
 * at startup.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration" })
@ConditionalOnClass(AtprotoClient.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
@Import(AtprotoHttpClientConfiguration.class)
public final class AtprotoAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LoginBudget atprotoLoginBudget(AtprotoProperties properties, ObjectProvider<Clock> clock) {
		AtprotoProperties.LoginBudget budget = properties.getLoginBudget();
		if (!budget.isEnabled()) {
			return LoginBudget.unlimited();
		}
		return new InMemoryLoginBudget(clock.getIfUnique(Clock::systemUTC),
				List.of(new LoginBudget.Window(budget.getMaxPerFiveMinutes(), Duration.ofMinutes(5)),
						new LoginBudget.Window(budget.getMaxPerDay(), Duration.ofDays(1))));
	}

	@Bean
	@ConditionalOnMissingBean
	AtprotoClient atprotoClient(AtprotoProperties properties, LoginBudget loginBudget,
			ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<Clock> clock,
			ObjectProvider<SessionCoordinator> coordinator, AtprotoHttpClientConfiguration.Transport transport) {
		AtprotoClient.Builder builder = AtprotoClient.builder();
		AtprotoPropertiesCheck.service(builder, properties);
		builder.refreshMargin(AtprotoPropertiesCheck.refreshMargin(properties))
			.clock(clock.getIfUnique(Clock::systemUTC))
			.loginBudget(loginBudget);
		transport.configure(builder, restClientBuilder);
		coordinator.ifUnique(builder::sessionCoordinator);
		if (StringUtils.hasText(properties.getHandle()) && StringUtils.hasText(properties.getPassword())) {
			builder.credentials(properties.getHandle(), properties.getPassword());
		}
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionStore atprotoSessionStore() {
		return new InMemorySessionStore();
	}

	@Bean
	SessionEventPublisher atprotoSessionEventPublisher(ObjectProvider<AtprotoClient> clients,
			ApplicationEventPublisher publisher) {
		return new SessionEventPublisher(clients, publisher);
	}

	@Bean
	SessionStoreUpdater atprotoSessionStoreUpdater(SessionStore store) {
		return new SessionStoreUpdater(store);
	}

	@Bean
	@ConditionalOnMissingBean
	AtprotoSessionInitializer atprotoSessionInitializer(AtprotoClient client, SessionStore store,
			AtprotoProperties properties) {
		return new AtprotoSessionInitializer(client, store, properties);
	}

}
