package io.github.atprotospring.autoconfigure.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.SessionEvent;

/**
 * What is known of one client's session, from memory alone (no network call). Never a
 * token.
 *
 * @param up whether the client can call the server: it holds a session that can still be
 * refreshed, or a password to log in again
 * @param reason why it cannot, or {@code null}
 * @param service the service the client logs in to
 * @param sessionPresent whether the client holds a session
 * @param handle the session's handle, or {@code null}
 * @param did the session's DID, or {@code null}
 * @param pds the PDS the session's calls go to, or {@code null}
 * @param accessExpiresAt when the access token expires (its {@code exp}), or {@code null}
 * @param refreshExpiresAt when the refresh token expires (its {@code exp}), or
 * {@code null}
 * @param passwordConfigured whether the client holds a password to log in again by itself
 * @param lastEvent the last session change seen since the application started, or
 * {@code null}
 * @param lastEventAt when it was seen, or {@code null}
 * @param lastRefreshFailureAt when a refresh last failed for a passing reason (the
 * session was kept), or {@code null}
 * @param store the simple class name of the application's session store, or {@code null}
 * if there is not one
 * @param storeSurvivesRestart whether the store keeps sessions across restarts, or
 * {@code null} if that cannot be told
 * @param warnings what an operator should know, in words
 */
public record AccountStatus(boolean up, String reason, String service, boolean sessionPresent, String handle,
		String did, String pds, Instant accessExpiresAt, Instant refreshExpiresAt, boolean passwordConfigured,
		SessionEvent lastEvent, Instant lastEventAt, Instant lastRefreshFailureAt, String store,
		Boolean storeSurvivesRestart, List<String> warnings) {

	/**
	 * The status as a map of plain values (times as ISO-8601 text), without the absent
	 * ones, as the health contributor and the endpoint show it.
	 * @return the map
	 */
	public Map<String, Object> toMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("status", this.up ? "UP" : "DOWN");
		put(map, "reason", this.reason);
		map.put("service", this.service);
		map.put("sessionPresent", this.sessionPresent);
		put(map, "handle", this.handle);
		put(map, "did", this.did);
		put(map, "pds", this.pds);
		put(map, "accessExpiresAt", this.accessExpiresAt);
		put(map, "refreshExpiresAt", this.refreshExpiresAt);
		map.put("passwordConfigured", this.passwordConfigured);
		put(map, "lastEvent", this.lastEvent);
		put(map, "lastEventAt", this.lastEventAt);
		put(map, "lastRefreshFailureAt", this.lastRefreshFailureAt);
		put(map, "store", this.store);
		map.put("storeSurvivesRestart", (this.storeSurvivesRestart != null) ? this.storeSurvivesRestart : "unknown");
		if (!this.warnings.isEmpty()) {
			map.put("warnings", this.warnings);
		}
		return map;
	}

	private static void put(Map<String, Object> map, String key, Object value) {
		if (value != null) {
			map.put(key, value.toString());
		}
	}

}
