package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.autoconfigure.app.Note;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.StoredSession;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.ManagedType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's entity joins the application's persistence unit whichever way the
 * application finds its own entities, and takes none of them away.
 */
class EntityRegistrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
				AtprotoJpaSessionStoreAutoConfiguration.class, AtprotoJdbcAutoConfiguration.class,
				AtprotoAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:entities-" + System.nanoTime());

	@Test
	void anApplicationWithItsOwnEntityScanGetsBothEntities() {
		this.runner.withUserConfiguration(WithEntityScan.class).run((context) -> {
			EntityManagerFactory emf = context.getBean(EntityManagerFactory.class);
			assertThat(managedJavaTypes(emf)).contains(Note.class, StoredSession.class);
		});
	}

	@Test
	void anApplicationScanningItsAutoConfigurationPackageGetsBothEntities() {
		this.runner.withUserConfiguration(WithAutoConfigurationPackage.class).run((context) -> {
			EntityManagerFactory emf = context.getBean(EntityManagerFactory.class);
			assertThat(managedJavaTypes(emf)).contains(Note.class, StoredSession.class);
		});
	}

	private static java.util.List<Class<?>> managedJavaTypes(EntityManagerFactory emf) {
		return emf.getMetamodel().getManagedTypes().stream().<Class<?>>map(ManagedType::getJavaType).toList();
	}

	@Configuration(proxyBeanMethods = false)
	@EntityScan(basePackageClasses = Note.class)
	static class WithEntityScan {

	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage(basePackageClasses = Note.class)
	static class WithAutoConfigurationPackage {

	}

}
