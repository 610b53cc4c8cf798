package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AtprotoClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the session changes of every {@link AtprotoClient} bean, the application's
 * own included, as {@link SessionChangedEvent}s.
 */
final class SessionEventPublisher implements SmartInitializingSingleton {

	private final ObjectProvider<AtprotoClient> clients;

	private final ApplicationEventPublisher publisher;

	SessionEventPublisher(ObjectProvider<AtprotoClient> clients, ApplicationEventPublisher publisher) {
		this.clients = clients;
		this.publisher = publisher;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.clients.orderedStream()
			.forEach((client) -> client.onSessionChange(
					(event, session) -> this.publisher.publishEvent(new SessionChangedEvent(client, event, session))));
	}

}
