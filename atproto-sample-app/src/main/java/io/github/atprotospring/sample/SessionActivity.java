package io.github.atprotospring.sample;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs every session change (never a token) and remembers them for the status endpoint.
 */
@Component
public class SessionActivity {

	private static final Logger logger = LoggerFactory.getLogger(SessionActivity.class);

	private final List<Change> changes = new CopyOnWriteArrayList<>();

	@EventListener
	public void on(SessionChangedEvent event) {
		Session session = event.getSession();
		this.changes.add(new Change(event.getType(), Instant.ofEpochMilli(event.getTimestamp())));
		logger.info("Session {}: {} ({}) at {}, access token valid until {}", event.getType(), session.handle(),
				session.did(), session.pdsEndpoint(), session.accessExpiresAt().orElse(null));
	}

	/**
	 * The changes seen since the application started, oldest first.
	 */
	public List<Change> changes() {
		return List.copyOf(this.changes);
	}

	/**
	 * One session change.
	 *
	 * @param type what happened
	 * @param at when
	 */
	public record Change(SessionEvent type, Instant at) {
	}

}
