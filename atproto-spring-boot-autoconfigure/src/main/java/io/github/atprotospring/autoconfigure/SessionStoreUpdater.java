package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;

import org.springframework.context.ApplicationListener;

/**
 * Saves the session to the {@link SessionStore} on every login and refresh. An import is not saved:
 * it came from the store. Runs before calls waiting for the change go on, so new tokens are stored
 * before they are used; a failing store is logged by the client and the session is kept.
 */
final class SessionStoreUpdater implements ApplicationListener<SessionChangedEvent> {

	private final SessionStore store;

	SessionStoreUpdater(SessionStore store) {
		this.store = store;
	}

	@Override
	public void onApplicationEvent(SessionChangedEvent event) {
		if (event.getType() == SessionEvent.CREATE || event.getType() == SessionEvent.REFRESH) {
			this.store.save(event.getClient().service(), event.getSession());
		}
	}

}
