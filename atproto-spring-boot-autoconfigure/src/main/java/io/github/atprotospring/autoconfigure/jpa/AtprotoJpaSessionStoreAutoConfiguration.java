package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.time.Duration;

import io.github.atprotospring.autoconfigure.AtprotoAutoConfiguration;
import io.github.atprotospring.autoconfigure.AtprotoConfigurationException;
import io.github.atprotospring.autoconfigure.AtprotoProperties;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionStore;
import jakarta.persistence.EntityManagerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactory;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Auto-configuration of the JPA {@link SessionStore}: the {@link StoredSession} entity
 * (added to the application's persistence unit, with or without its own
 * {@code @EntityScan}), the {@link SessionRepository}, the {@link JpaSessionStore}, and
 * the {@link JpaSessionCoordinator} that coordinates refreshes among instances on one
 * database. The schema and the login budget need only a {@code DataSource}: see
 * {@link AtprotoJdbcAutoConfiguration}.
 */
@AutoConfiguration(before = AtprotoAutoConfiguration.class,
		afterName = "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration")
@ConditionalOnClass({ AtprotoClient.class, EntityManagerFactory.class, JpaRepository.class })
@ConditionalOnBean(EntityManagerFactory.class)
@ConditionalOnBooleanProperty(name = "atproto.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "atproto.session.store", havingValue = "jpa", matchIfMissing = true)
@EnableConfigurationProperties(AtprotoProperties.class)
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
	@ConditionalOnMissingBean(SessionCipher.class)
	@ConditionalOnProperty(name = "atproto.session.encryption.key")
	AesGcmSessionCipher atprotoSessionCipher(AtprotoProperties properties) {
		AtprotoProperties.Encryption encryption = properties.getSession().getEncryption();
		try {
			return AesGcmSessionCipher.fromBase64(encryption.getKey(), encryption.getOldKeys());
		}
		catch (IllegalArgumentException ex) {
			throw new AtprotoConfigurationException("atproto.session.encryption.key",
					"atproto.session.encryption.key or one of its old-keys is not a usable key: " + ex.getMessage()
							+ ".",
					"Set atproto.session.encryption.key to base64 of 32 random bytes, for example the output of "
							+ "'openssl rand -base64 32'.");
		}
	}

	@Bean
	@ConditionalOnMissingBean(SessionStore.class)
	JpaSessionStore atprotoJpaSessionStore(ObjectProvider<SessionRepository> repositories,
			ObjectProvider<PlatformTransactionManager> transactionManager, ObjectProvider<Clock> clock,
			ObjectProvider<SessionCipher> cipher) {
		// An application whose repository scan covers our package registers the
		// repository a second time.
		SessionRepository repository = repositories.orderedStream().findFirst().orElseThrow();
		JpaSessionStore store = new JpaSessionStore(repository, transactionManager.getObject(),
				clock.getIfUnique(Clock::systemUTC), cipher.getIfUnique());
		store.checkKeys();
		return store;
	}

	@Bean
	@ConditionalOnMissingBean(SessionCoordinator.class)
	@ConditionalOnBean(JpaSessionStore.class)
	JpaSessionCoordinator atprotoJpaSessionCoordinator(JpaSessionStore store,
			ObjectProvider<EntityManagerFactory> entityManagerFactory, AtprotoProperties properties) {
		AtprotoProperties.Session session = properties.getSession();
		return new JpaSessionCoordinator(store,
				SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory.getObject()),
				positive("atproto.session.lock-timeout", session.getLockTimeout()),
				positive("atproto.session.change-timeout", session.getChangeTimeout()).dividedBy(2));
	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalStateException(property + " must be a positive duration, such as 30s, but is " + value);
		}
		return value;
	}

}
