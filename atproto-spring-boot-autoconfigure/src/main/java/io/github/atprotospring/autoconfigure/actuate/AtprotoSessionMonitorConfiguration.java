package io.github.atprotospring.autoconfigure.actuate;

import java.time.Clock;

import io.github.atprotospring.client.SessionStore;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link AtprotoSessionMonitor} that the health contributor and the endpoint share.
 */
@Configuration(proxyBeanMethods = false)
class AtprotoSessionMonitorConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AtprotoSessionMonitor atprotoSessionMonitor(ListableBeanFactory beans, ObjectProvider<SessionStore> store,
			ObjectProvider<SessionStoreDurability> durability, ObjectProvider<Clock> clock) {
		return new AtprotoSessionMonitor(beans, store::getIfUnique,
				durability.getIfUnique(SessionStoreDurability::known), clock.getIfUnique(Clock::systemUTC));
	}

}
