package io.github.atprotospring.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns once at startup, before the session is resumed, when the atproto sessions cannot
 * survive a restart: the message names the property or dependency that fixes it. Silence
 * it with
 * {@code logging.level.io.github.atprotospring.autoconfigure.SessionDurability=error}.
 */
class SessionDurabilityWarning implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(SessionDurability.class);

	private final SessionDurability durability;

	SessionDurabilityWarning(SessionDurability durability) {
		this.durability = durability;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.durability.survivesRestarts()) {
			logger.warn("atproto sessions will not survive a restart. {}", this.durability.reason());
		}
	}

}
