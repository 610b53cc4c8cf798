package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the session of an auto-configured {@link AtprotoClient} changes: a login
 * ({@link SessionEvent#CREATE}), a token rotation ({@link SessionEvent#REFRESH}) or a
 * session taken over from the store ({@link SessionEvent#IMPORT}).
 * <p>
 * Published synchronously on the thread that changed the session, after the new session
 * is in place and before any call waiting for it goes on; an exception thrown by a
 * listener is logged and does not lose the session. Handle it with
 * {@code @EventListener void on(SessionChangedEvent event)}. The session holds tokens:
 * never log it as a string other than through its {@code toString()}.
 */
public class SessionChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient SessionEvent type;

	private final transient Session session;

	/**
	 * @param client the client whose session changed
	 * @param type what happened
	 * @param session the session now held
	 */
	public SessionChangedEvent(AtprotoClient client, SessionEvent type, Session session) {
		super(client);
		this.type = type;
		this.session = session;
	}

	/**
	 * The client whose session changed.
	 * @return the client
	 */
	public AtprotoClient getClient() {
		return (AtprotoClient) getSource();
	}

	/**
	 * What happened.
	 * @return CREATE, REFRESH or IMPORT
	 */
	public SessionEvent getType() {
		return this.type;
	}

	/**
	 * The session now held.
	 * @return the session
	 */
	public Session getSession() {
		return this.session;
	}

	@Override
	public String toString() {
		return "SessionChangedEvent[type=" + this.type + ", session=" + this.session + "]";
	}

}
