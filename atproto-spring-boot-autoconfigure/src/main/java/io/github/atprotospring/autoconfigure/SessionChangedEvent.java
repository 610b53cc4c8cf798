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
 * {@link #getAccount()} names the account: the name of the client's bean
 * ({@value #PRIMARY_ACCOUNT} for the client of {@code atproto.handle}, {@code <name>} for
 * that of {@code atproto.accounts.<name>}), or the account's DID for a client of the
 * {@link io.github.atprotospring.client.AtprotoClients} registry.
 * <p>
 * Published synchronously on the thread that changed the session, after the new session
 * is in place and before any call waiting for it goes on; an exception thrown by a
 * listener is logged and does not lose the session. Handle it with
 * {@code @EventListener void on(SessionChangedEvent event)}. The session holds tokens:
 * never log it as a string other than through its {@code toString()}.
 */
public class SessionChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	/**
	 * The account name of the auto-configured client of {@code atproto.handle}: the name
	 * of its bean.
	 */
	public static final String PRIMARY_ACCOUNT = "atprotoClient";

	private final String account;

	private final transient SessionEvent type;

	private final transient Session session;

	/**
	 * @param client the client whose session changed
	 * @param type what happened
	 * @param session the session now held
	 */
	public SessionChangedEvent(AtprotoClient client, SessionEvent type, Session session) {
		this(client, null, type, session);
	}

	/**
	 * @param client the client whose session changed
	 * @param account the name of the account (see {@link #getAccount()}), or {@code null}
	 * @param type what happened
	 * @param session the session now held
	 */
	public SessionChangedEvent(AtprotoClient client, String account, SessionEvent type, Session session) {
		super(client);
		this.account = account;
		this.type = type;
		this.session = session;
	}

	/**
	 * The account whose session changed: the name of its client's bean
	 * ({@value #PRIMARY_ACCOUNT} for that of {@code atproto.handle}, the key of
	 * {@code atproto.accounts.<name>} for a named account), or the account's DID for a
	 * client of the {@link io.github.atprotospring.client.AtprotoClients} registry.
	 * @return the account's name, or {@code null} for an event made without one
	 */
	public String getAccount() {
		return this.account;
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
		return "SessionChangedEvent[account=" + this.account + ", type=" + this.type + ", session=" + this.session
				+ "]";
	}

}
