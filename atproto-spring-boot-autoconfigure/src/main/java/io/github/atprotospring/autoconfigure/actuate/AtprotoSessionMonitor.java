package io.github.atprotospring.autoconfigure.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;

import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationListener;

/**
 * Follows the session changes of every {@link AtprotoClient} bean (through the
 * {@link SessionChangedEvent}s the starter publishes) and tells, from memory alone, the
 * {@link AccountStatus} of each: what the {@code atproto} health contributor and endpoint
 * show. It never calls the server and never reads a token beyond its expiry.
 */
public class AtprotoSessionMonitor implements ApplicationListener<SessionChangedEvent> {

	/**
	 * How long before its end a refresh token that no password can replace is warned of.
	 */
	static final Duration REFRESH_WARNING = Duration.ofDays(7);

	private final ListableBeanFactory beans;

	private final Supplier<SessionStore> store;

	private final SessionStoreDurability durability;

	private final Clock clock;

	/**
	 * The last changes seen, per client (clients compare by identity). Weak keys: the
	 * clients of a registry of many accounts publish events too, and one the registry
	 * lets go must not stay in memory, with its tokens, because the monitor saw it once.
	 */
	private final Map<AtprotoClient, Activity> activity = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * @param beans where the client beans are found
	 * @param store the application's session store, or {@code null} if it has not one,
	 * asked for when a status is made
	 * @param durability whether the store keeps sessions across restarts
	 * @param clock the clock expiry is judged by
	 */
	public AtprotoSessionMonitor(ListableBeanFactory beans, Supplier<SessionStore> store,
			SessionStoreDurability durability, Clock clock) {
		this.beans = beans;
		this.store = store;
		this.durability = durability;
		this.clock = clock;
	}

	@Override
	public void onApplicationEvent(SessionChangedEvent event) {
		Instant now = this.clock.instant();
		this.activity.merge(event.getClient(), Activity.of(event.getType(), now),
				(before, next) -> before.then(event.getType(), now));
	}

	/**
	 * The status of every client bean.
	 * @return the statuses by bean name, in the order of the bean names
	 */
	public Map<String, AccountStatus> accounts() {
		Map<String, AccountStatus> accounts = new LinkedHashMap<>();
		this.beans.getBeansOfType(AtprotoClient.class, false, true)
			.forEach((name, client) -> accounts.put(name, status(client)));
		return accounts;
	}

	/**
	 * The status of one client.
	 * @param client the client
	 * @return its status
	 */
	public AccountStatus status(AtprotoClient client) {
		Instant now = this.clock.instant();
		Optional<Session> held = client.session();
		Session session = held.orElse(null);
		boolean password = client.hasCredentials();
		Instant accessExpiresAt = (session != null) ? session.accessExpiresAt().orElse(null) : null;
		Instant refreshExpiresAt = (session != null) ? session.refreshExpiresAt().orElse(null) : null;
		Activity seen = this.activity.get(client);
		SessionStore sessionStore = this.store.get();
		Boolean survives = (sessionStore != null) ? this.durability.survivesRestart(sessionStore) : null;
		String reason = null;
		List<String> warnings = new ArrayList<>();
		if (session == null && !password) {
			reason = "no session and no password: no call can be made until the application logs in or imports a "
					+ "session";
		}
		else if (session != null && !password && refreshExpiresAt != null && !now.isBefore(refreshExpiresAt)) {
			reason = "the refresh token ended at " + refreshExpiresAt
					+ " and there is no password to log in again: the session is dead";
		}
		else if (session != null && !password && refreshExpiresAt != null
				&& now.plus(REFRESH_WARNING).isAfter(refreshExpiresAt)) {
			warnings.add("the refresh token ends at " + refreshExpiresAt
					+ " and there is no password to log in again: log in before then");
		}
		if (seen != null && seen.lastEvent() == SessionEvent.REFRESH_FAILED) {
			warnings.add("the last refresh failed at " + seen.lastRefreshFailureAt()
					+ " for a passing reason; the session was kept and the client tries again");
		}
		if (Boolean.FALSE.equals(survives)) {
			warnings.add("sessions are kept where a restart loses them (" + sessionStore.getClass().getSimpleName()
					+ "): every start logs in again");
		}
		return new AccountStatus(reason == null, reason, client.service(), session != null,
				(session != null) ? session.handle() : null, (session != null) ? session.did() : null,
				(session != null) ? session.pdsEndpoint() : null, accessExpiresAt, refreshExpiresAt, password,
				(seen != null) ? seen.lastEvent() : null, (seen != null) ? seen.lastEventAt() : null,
				(seen != null) ? seen.lastRefreshFailureAt() : null,
				(sessionStore != null) ? sessionStore.getClass().getSimpleName() : null, survives,
				List.copyOf(warnings));
	}

	/**
	 * The last change seen of a client.
	 *
	 * @param lastEvent the last change
	 * @param lastEventAt when it was seen
	 * @param lastRefreshFailureAt when a refresh last failed, or {@code null}
	 */
	private record Activity(SessionEvent lastEvent, Instant lastEventAt, Instant lastRefreshFailureAt) {

		static Activity of(SessionEvent event, Instant at) {
			return new Activity(event, at, (event == SessionEvent.REFRESH_FAILED) ? at : null);
		}

		Activity then(SessionEvent event, Instant at) {
			return new Activity(event, at, (event == SessionEvent.REFRESH_FAILED) ? at : this.lastRefreshFailureAt);
		}

	}

}
