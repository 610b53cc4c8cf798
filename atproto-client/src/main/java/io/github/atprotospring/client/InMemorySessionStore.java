package io.github.atprotospring.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} in memory: sessions do not survive a restart. The fallback when
 * no persistent store is available.
 */
public final class InMemorySessionStore implements SessionStore {

	private final Map<String, Map<String, Session>> sessionsByService = new ConcurrentHashMap<>();

	@Override
	public Optional<Session> find(String service, String identifier) {
		return sessions(service).values()
			.stream()
			.filter((session) -> SessionStore.belongsTo(session, identifier))
			.findFirst();
	}

	@Override
	public void save(String service, Session session) {
		sessions(service).put(session.did(), session);
	}

	@Override
	public void delete(String service, String did) {
		sessions(service).remove(did);
	}

	@Override
	public List<StoredAccount> accounts(String service) {
		return sessions(service).values().stream().map(StoredAccount::of).toList();
	}

	private Map<String, Session> sessions(String service) {
		return this.sessionsByService.computeIfAbsent(Endpoints.normalize(service), (key) -> new ConcurrentHashMap<>());
	}

}
