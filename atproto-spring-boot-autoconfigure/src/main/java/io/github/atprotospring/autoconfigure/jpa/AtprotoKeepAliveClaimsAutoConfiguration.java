package io.github.atprotospring.autoconfigure.jpa;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.AtprotoProperties;
import io.github.atprotospring.autoconfigure.SessionKeepAliveClaims;
import io.github.atprotospring.client.AtprotoClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Auto-configuration of the keep-alive task's claims in the JPA store's table
 * ({@link JdbcSessionKeepAliveClaims}), so that the instances sharing it refresh each
 * idle account once.
 */
@AutoConfiguration(after = AtprotoJpaSessionStoreAutoConfiguration.class,
		beforeName = "io.github.atprotospring.autoconfigure.AtprotoAccountsAutoConfiguration")
@ConditionalOnClass({ AtprotoClient.class, JdbcTemplate.class })
@ConditionalOnBean(type = "io.github.atprotospring.autoconfigure.jpa.JpaSessionStore")
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "atproto.keep-alive.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
public final class AtprotoKeepAliveClaimsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SessionKeepAliveClaims atprotoSessionKeepAliveClaims(DataSource dataSource, AtprotoProperties properties) {
		// A claim waits at most as long as a refresh may hold the row locked.
		Duration lockTimeout = properties.getSession().getLockTimeout();
		long seconds = (lockTimeout != null) ? lockTimeout.toSeconds() : 5;
		return new JdbcSessionKeepAliveClaims(dataSource, (int) Math.min(60, Math.max(1, seconds)));
	}

}
