package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import io.github.atprotospring.autoconfigure.AtprotoProperties;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.LoginBudget;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of what the starter keeps in the application's database with no more
 * than a {@link DataSource}: the schema, migrated by a Flyway of its own, and the login
 * budget shared by restarts and instances ({@link JdbcLoginBudget}). Off with
 * {@code atproto.session.store=memory}.
 */
@AutoConfiguration(before = AtprotoAutoConfiguration.class,
		afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration" })
@ConditionalOnClass({ AtprotoClient.class, JdbcTemplate.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "atproto.session.store", havingValue = "jpa", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class AtprotoJdbcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(LoginBudget.class)
	@ConditionalOnBooleanProperty(name = "atproto.login-budget.enabled", matchIfMissing = true)
	@DependsOnDatabaseInitialization
	JdbcLoginBudget atprotoJdbcLoginBudget(DataSource dataSource,
			ObjectProvider<PlatformTransactionManager> transactionManager, AtprotoProperties properties,
			ObjectProvider<Clock> clock, ObjectProvider<AtprotoConnectionDetails> connectionDetails) {
		// The budget is kept per service: the one the client logs in to.
		String service = connectionDetails.getIfAvailable(() -> properties::getService).getService();
		return new JdbcLoginBudget(dataSource,
				transactionManager.getIfUnique(() -> new DataSourceTransactionManager(dataSource)), service,
				clock.getIfUnique(Clock::systemUTC), properties.getLoginBudget().windows());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	@ConditionalOnBooleanProperty(name = "atproto.session.flyway.enabled", matchIfMissing = true)
	static class SchemaConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AtprotoSchemaInitializer atprotoSchemaInitializer(DataSource dataSource, AtprotoProperties properties) {
			return new AtprotoSchemaInitializer(dataSource, properties.getSession().getFlyway().getTable());
		}

	}

}
