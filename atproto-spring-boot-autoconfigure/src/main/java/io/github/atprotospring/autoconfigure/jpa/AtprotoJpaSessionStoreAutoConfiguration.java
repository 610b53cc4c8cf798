package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoProperties;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.SessionStore;
import jakarta.persistence.EntityManagerFactory;
import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactory;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of the JPA {@link SessionStore}: the {@link StoredSession} entity
 * (added to the application's persistence unit, with or without its own
 * {@code @EntityScan}), the {@link SessionRepository}, the coordination of refreshes
 * among instances on one database, the login budget kept in the database, and the schema,
 * migrated by a Flyway of its own.
 */
@AutoConfiguration(before = AtprotoAutoConfiguration.class,
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ AtprotoClient.class, EntityManagerFactory.class, JpaRepository.class })
@ConditionalOnBean(EntityManagerFactory.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "atproto.session.store", havingValue = "jpa", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class AtprotoJpaSessionStoreAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static StoredSessionManagedTypesPostProcessor atprotoStoredSessionManagedTypesPostProcessor() {
		return new StoredSessionManagedTypesPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	SessionRepository atprotoSessionRepository(ObjectProvider<EntityManagerFactory> entityManagerFactory) {
		return new JpaRepositoryFactory(
				SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory.getObject()))
			.getRepository(SessionRepository.class);
	}

	@Bean
	@ConditionalOnMissingBean(SessionStore.class)
	JpaSessionStore atprotoJpaSessionStore(ObjectProvider<SessionRepository> repositories,
			ObjectProvider<PlatformTransactionManager> transactionManager, ObjectProvider<Clock> clock) {
		// An application whose repository scan covers our package registers the
		// repository a second time.
		SessionRepository repository = repositories.orderedStream().findFirst().orElseThrow();
		return new JpaSessionStore(repository, transactionManager.getObject(), clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean(LoginBudget.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "atproto.login-budget.enabled", matchIfMissing = true)
	JdbcLoginBudget atprotoJdbcLoginBudget(ObjectProvider<DataSource> dataSource,
			ObjectProvider<PlatformTransactionManager> transactionManager, AtprotoProperties properties,
			ObjectProvider<Clock> clock) {
		AtprotoProperties.LoginBudget budget = properties.getLoginBudget();
		return new JdbcLoginBudget(dataSource.getObject(), transactionManager.getObject(), properties.getService(),
				clock.getIfUnique(Clock::systemUTC),
				List.of(new LoginBudget.Window(budget.getMaxPerFiveMinutes(), Duration.ofMinutes(5)),
						new LoginBudget.Window(budget.getMaxPerDay(), Duration.ofDays(1))));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flyway.class)
	@ConditionalOnBean(DataSource.class)
	@ConditionalOnBooleanProperty(name = "atproto.session.flyway.enabled", matchIfMissing = true)
	static class SchemaConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AtprotoSchemaInitializer atprotoSchemaInitializer(ObjectProvider<DataSource> dataSource,
				AtprotoProperties properties) {
			return new AtprotoSchemaInitializer(dataSource.getObject(), properties.getSession().getFlyway().getTable());
		}

	}

}
