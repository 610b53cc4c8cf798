package io.github.atprotospring.e2e.support;

import java.util.ArrayList;
import java.util.List;

import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionChangeListener;
import io.github.atprotospring.client.SessionEvent;

/**
 * Records the session events a client reports, in order.
 */
public final class RecordedEvents implements SessionChangeListener {

	private final List<SessionEvent> events = new ArrayList<>();

	private final List<Session> sessions = new ArrayList<>();

	@Override
	public synchronized void onSessionChange(SessionEvent event, Session session) {
		this.events.add(event);
		this.sessions.add(session);
	}

	/**
	 * The events so far.
	 * @return the events, oldest first
	 */
	public synchronized List<SessionEvent> events() {
		return List.copyOf(this.events);
	}

	/**
	 * The sessions reported with the events.
	 * @return the sessions, oldest first
	 */
	public synchronized List<Session> sessions() {
		return List.copyOf(this.sessions);
	}

}
