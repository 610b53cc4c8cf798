package io.github.atprotospring.autoconfigure.actuate;

import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.SessionStore;

/**
 * Says whether the sessions a {@link SessionStore} keeps survive a restart of the
 * application, for the {@code atproto} health contributor and endpoint. Declare a bean of
 * it to tell for a store of your own; without one, only an {@link InMemorySessionStore}
 * is known (it does not).
 */
@FunctionalInterface
public interface SessionStoreDurability {

	/**
	 * Whether the store's sessions survive a restart.
	 * @param store the store
	 * @return {@code true} if they do, {@code false} if a restart loses them (and the
	 * client has to log in again), {@code null} if it cannot be told
	 */
	Boolean survivesRestart(SessionStore store);

	/**
	 * What is known without help: an {@link InMemorySessionStore} loses its sessions.
	 * @return the durability
	 */
	static SessionStoreDurability known() {
		return (store) -> (store instanceof InMemorySessionStore) ? Boolean.FALSE : null;
	}

}
