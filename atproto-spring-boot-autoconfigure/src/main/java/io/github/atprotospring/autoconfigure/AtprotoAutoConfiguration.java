package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

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
 * {@link RestClient.Builder}, its sessions kept in a {@link SessionStore} (the stored one
 * resumed as the bean is created), its session changes published as
 * {@link SessionChangedEvent}s, and its session made ready while the application starts.
 * It only wires: the lifecycle itself is the client's.
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
	static AtprotoPropertiesValidator atprotoPropertiesValidator() {
		return new AtprotoPropertiesValidator();
	}

	@Bean
	@ConditionalOnMissingBean
	LoginBudget atprotoLoginBudget(AtprotoProperties properties, ObjectProvider<Clock> clock) {
		AtprotoProperties.LoginBudget budget = properties.getLoginBudget();
		if (!budget.isEnabled()) {
			return LoginBudget.unlimited();
		}
		return new InMemoryLoginBudget(clock.getIfUnique(Clock::systemUTC), budget.windows());
	}

	@Bean
	@ConditionalOnMissingBean
	SessionStore atprotoSessionStore() {
		return new InMemorySessionStore();
	}

	@Bean
	static SessionEventPublisher atprotoSessionEventPublisher(ObjectProvider<AtprotoClient> clients,
			ApplicationEventPublisher publisher) {
		return new SessionEventPublisher(clients, publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	AtprotoClient atprotoClient(AtprotoProperties properties, LoginBudget loginBudget, SessionStore store,
			ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<Clock> clock,
			ObjectProvider<SessionCoordinator> coordinator, AtprotoHttpClientConfiguration.Transport transport,
			ObjectProvider<AtprotoClientBuilderCustomizer> customizers, SessionEventPublisher events) {
		AtprotoClient.Builder builder = AtprotoClient.builder();
		AtprotoPropertiesCheck.service(builder, properties);
		builder.refreshMargin(AtprotoPropertiesCheck.refreshMargin(properties))
			.sessionChangeTimeout(AtprotoPropertiesCheck.positive("atproto.session.change-timeout",
					properties.getSession().getChangeTimeout()))
			.clock(clock.getIfUnique(Clock::systemUTC))
			.loginBudget(loginBudget)
			.sessionStore(store);
		transport.configure(builder, restClientBuilder);
		coordinator.ifUnique(builder::sessionCoordinator);
		if (StringUtils.hasText(properties.getHandle())) {
			if (StringUtils.hasText(properties.getPassword())) {
				builder.credentials(properties.getHandle(), properties.getPassword());
			}
			else {
				builder.account(properties.getHandle());
			}
		}
		AtomicReference<AtprotoClient> built = new AtomicReference<>();
		builder.sessionChangeListener(events.listenerFor(built::get));
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		AtprotoClient client = builder.build();
		built.set(client);
		events.wired(client);
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	AtprotoSessionInitializer atprotoSessionInitializer(ObjectProvider<AtprotoClient> client,
			AtprotoProperties properties) {
		return new AtprotoSessionInitializer(client, properties);
	}

}
