package io.github.atprotospring.autoconfigure;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of the {@link SessionDurability} of the atproto client's session
 * store, and of the warning at startup when sessions cannot survive a restart.
 */
@AutoConfiguration(after = { AtprotoJpaSessionStoreAutoConfiguration.class, AtprotoAutoConfiguration.class })
@ConditionalOnClass(AtprotoClient.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
public final class AtprotoSessionDurabilityAutoConfiguration {

	@Bean
	@ConditionalOnBean(SessionStore.class)
	@ConditionalOnMissingBean
	SessionDurability atprotoSessionDurability(SessionStore store, ObjectProvider<DataSource> dataSource,
			Environment environment, ResourceLoader resourceLoader) {
		return new SessionDurabilityInspector(environment, resourceLoader.getClassLoader()).inspect(store,
				dataSource.getIfUnique());
	}

	@Bean
	@ConditionalOnBean(SessionStore.class)
	SessionDurabilityWarning atprotoSessionDurabilityWarning(SessionDurability durability) {
		return new SessionDurabilityWarning(durability);
	}

}
