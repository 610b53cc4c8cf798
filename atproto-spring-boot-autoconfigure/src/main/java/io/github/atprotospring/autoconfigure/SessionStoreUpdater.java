package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;

/**
 * Saves the session to the {@link SessionStore} on every login and refresh. An import is
 * not saved: it came from the store. Runs before calls waiting for the change go on, so
 * new tokens are stored before they are used. A store that fails is logged and does not
 * stop the event: the session is kept in memory and the application's own listeners still
 * hear of it.
 */
final class SessionStoreUpdater implements ApplicationListener<SessionChangedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(SessionStoreUpdater.class);

	private final SessionStore store;

	SessionStoreUpdater(SessionStore store) {
		this.store = store;
	}

	@Override
	public void onApplicationEvent(SessionChangedEvent event) {
		if (event.getType() == SessionEvent.CREATE || event.getType() == SessionEvent.REFRESH) {
			try {
				this.store.save(event.getClient().service(), event.getSession());
			}
			catch (RuntimeException ex) {
				// The exception's text may quote the session string: name its type only.
				logger.warn(
						"Could not store the session of {} after {} ({}); it is kept in memory and stored again at "
								+ "the next change",
						event.getSession().did(), event.getType(), ex.getClass().getName());
			}
		}
	}

}
