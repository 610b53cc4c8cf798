package io.github.atprotospring.client.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.micrometer.observation.Observation;

/**
 * The context of the observation of one session change: what was asked, why, and the
 * session events it led to. It holds no token. The account's DID and handle are here for
 * a convention of the application's own; the default convention does not tag them.
 * <p>
 * The change's failure, if any, is the context's {@linkplain #getError() error}.
 */
public class SessionObservationContext extends Observation.Context {

	private final String service;

	private final String type;

	private final SessionChangeTrigger trigger;

	private final List<String> events = new ArrayList<>();

	private String did;

	private String handle;

	private String xrpcError;

	private boolean loginRefused;

	/**
	 * @param service the service the client logs in to
	 * @param type the change asked for: the name of the session event it is meant to lead
	 * to ({@code CREATE}, {@code REFRESH}, {@code IMPORT} or {@code DELETE})
	 * @param trigger what made the client change its session
	 */
	public SessionObservationContext(String service, String type, SessionChangeTrigger trigger) {
		this.service = Objects.requireNonNull(service, "service");
		this.type = Objects.requireNonNull(type, "type");
		this.trigger = Objects.requireNonNull(trigger, "trigger");
	}

	/**
	 * The service the client logs in to.
	 * @return the service URL
	 */
	public String getService() {
		return this.service;
	}

	/**
	 * The change asked for.
	 * @return {@code CREATE}, {@code REFRESH}, {@code IMPORT} or {@code DELETE}
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * What made the client change its session.
	 * @return the trigger
	 */
	public SessionChangeTrigger getTrigger() {
		return this.trigger;
	}

	/**
	 * The session events the change led to, in order: none when another caller's change
	 * was used, two for a dead session replaced by a login ({@code DELETE},
	 * {@code CREATE}).
	 * @return the names of the events
	 */
	public List<String> getEvents() {
		return List.copyOf(this.events);
	}

	/**
	 * Adds a session event the change led to.
	 * @param event the name of the event
	 * @param did the DID of the account concerned
	 * @param handle the handle of the account concerned
	 */
	public void addEvent(String event, String did, String handle) {
		this.events.add(Objects.requireNonNull(event, "event"));
		this.did = did;
		this.handle = handle;
	}

	/**
	 * The DID of the account of the last event.
	 * @return the DID, or {@code null} when the change led to no event
	 */
	public String getDid() {
		return this.did;
	}

	/**
	 * The handle of the account of the last event.
	 * @return the handle, or {@code null} when the change led to no event
	 */
	public String getHandle() {
		return this.handle;
	}

	/**
	 * The XRPC error name of a change that failed on an XRPC error.
	 * @return the name, such as {@code ExpiredToken}, or {@code null}
	 */
	public String getXrpcError() {
		return this.xrpcError;
	}

	/**
	 * Sets the XRPC error name of a failed change.
	 * @param xrpcError the name, or {@code null}
	 */
	public void setXrpcError(String xrpcError) {
		this.xrpcError = xrpcError;
	}

	/**
	 * Whether the client's login budget refused a login, without a call to the server.
	 * @return {@code true} if the budget refused it
	 */
	public boolean isLoginRefused() {
		return this.loginRefused;
	}

	/**
	 * Says whether the client's login budget refused a login.
	 * @param loginRefused {@code true} if the budget refused it
	 */
	public void setLoginRefused(boolean loginRefused) {
		this.loginRefused = loginRefused;
	}

}
