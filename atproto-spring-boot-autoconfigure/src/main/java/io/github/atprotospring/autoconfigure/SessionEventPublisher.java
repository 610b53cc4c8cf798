package io.github.atprotospring.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionChangeListener;
import io.github.atprotospring.client.SessionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the session changes of every {@link AtprotoClient} bean, the application's
 * own included, as {@link SessionChangedEvent}s. The client has already saved a session
 * when it tells this publisher, so events are only news: changes made while the context
 * is still being built (a stored session resumed when the client bean is created, a login
 * made by a bean's {@code @PostConstruct}) are held back until every singleton exists, so
 * that {@code @EventListener} methods hear of them too. Each event names its account
 * ({@link SessionChangedEvent#getAccount()}).
 */
final class SessionEventPublisher implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Logger logger = LoggerFactory.getLogger(SessionEventPublisher.class);

	private final ObjectProvider<AtprotoClient> clients;

	private final ApplicationEventPublisher publisher;

	private final Set<AtprotoClient> wired = Collections
		.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	/** Guarded by this. */
	private List<Supplier<SessionChangedEvent>> early = new ArrayList<>();

	/** To name the application's own clients after their beans, if known. */
	private ListableBeanFactory beanFactory;

	SessionEventPublisher(ObjectProvider<AtprotoClient> clients, ApplicationEventPublisher publisher) {
		this.clients = clients;
		this.publisher = publisher;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ListableBeanFactory listable) {
			this.beanFactory = listable;
		}
	}

	/**
	 * A listener for a client that is being built.
	 * @param client the client, known once it is built (events come later than that)
	 * @return the listener
	 */
	SessionChangeListener listenerFor(Supplier<AtprotoClient> client) {
		return listenerFor(SessionChangedEvent.PRIMARY_ACCOUNT, client);
	}

	/**
	 * A listener for a named client that is being built.
	 * @param account the account's name, as events tell it
	 * @param client the client, known once it is built
	 * @return the listener
	 */
	SessionChangeListener listenerFor(String account, Supplier<AtprotoClient> client) {
		return (event, session) -> publish(() -> new SessionChangedEvent(client.get(), account, event, session));
	}

	/**
	 * Publishes a session change of a client that is no bean (one of the registry's).
	 */
	void publish(AtprotoClient client, String account, SessionEvent type, Session session) {
		publish(() -> new SessionChangedEvent(client, account, type, session));
	}

	/** Says that a client already has its listener. */
	void wired(AtprotoClient client) {
		this.wired.add(client);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Map<AtprotoClient, String> names = new IdentityHashMap<>();
		if (this.beanFactory != null) {
			this.beanFactory.getBeansOfType(AtprotoClient.class).forEach((name, client) -> names.put(client, name));
		}
		this.clients.orderedStream().filter(this.wired::add).forEach((client) -> {
			String account = names.get(client);
			client.onSessionChange(
					(event, session) -> publish(() -> new SessionChangedEvent(client, account, event, session)));
		});
		List<Supplier<SessionChangedEvent>> held;
		synchronized (this) {
			held = this.early;
			this.early = null;
		}
		for (Supplier<SessionChangedEvent> event : held) {
			SessionChangedEvent published = event.get();
			try {
				this.publisher.publishEvent(published);
			}
			catch (RuntimeException ex) {
				// As the client does for listeners it calls itself: the session is saved
				// already, and a listener's failure must not stop the application.
				logger.warn("A listener of SessionChangedEvent failed on {} for {}; the session is kept ({})",
						published.getType(), published.getSession().did(), ex.getClass().getName());
			}
		}
	}

	private void publish(Supplier<SessionChangedEvent> event) {
		synchronized (this) {
			if (this.early != null) {
				this.early.add(event);
				return;
			}
		}
		this.publisher.publishEvent(event.get());
	}

}
