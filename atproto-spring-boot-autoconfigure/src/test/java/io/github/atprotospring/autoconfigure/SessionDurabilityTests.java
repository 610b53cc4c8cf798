package io.github.atprotospring.autoconfigure;

import java.nio.file.Path;
import java.util.Optional;

import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.jpa.repository.JpaRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warning at startup when sessions cannot survive a restart, and the
 * {@link SessionDurability} behind it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionDurabilityTests {

	private static final String WARNING = "atproto sessions will not survive a restart";

	// No atproto.handle: the client starts without a session and calls no server.
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class))
		.withConfiguration(StarterAutoConfigurations.all());

	@Test
	void theInMemoryStoreChosenByPropertyIsReportedWithThatProperty(CapturedOutput output) {
		this.runner.withPropertyValues("atproto.session.store=memory").run((context) -> {
			SessionDurability durability = context.getBean(SessionDurability.class);
			assertThat(durability.store()).isEqualTo("memory");
			assertThat(durability.survivesRestarts()).isFalse();
			assertThat(durability.reason()).contains("atproto.session.store=memory");
		});
		assertThat(output).contains(WARNING, "atproto.session.store=memory", "every restart logs in again");
	}

	@Test
	void theInMemoryStoreForWantOfJpaIsReportedWithTheDependencyToAdd(CapturedOutput output) {
		this.runner.withClassLoader(new FilteredClassLoader(JpaRepository.class)).run((context) -> {
			assertThat(context.getBean(SessionDurability.class).survivesRestarts()).isFalse();
		});
		assertThat(output).contains(WARNING, "org.springframework.boot:spring-boot-starter-data-jpa");
	}

	@Test
	void theJpaStoreOnAnInMemoryDatabaseIsReportedWithThePropertyToSet(CapturedOutput output) {
		// Only the in-memory prefix of the URL is logged: the rest may hold credentials.
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:mem:durability-secret4711").run((context) -> {
			SessionDurability durability = context.getBean(SessionDurability.class);
			assertThat(durability.store()).isEqualTo("jpa");
			assertThat(durability.survivesRestarts()).isFalse();
			assertThat(durability.reason()).contains("in-memory H2 database", "spring.datasource.url");
		});
		assertThat(output).contains(WARNING, "spring.datasource.url=jdbc:h2:mem:...", "jdbc:h2:file:");
		assertThat(output).doesNotContain("secret4711");
	}

	@Test
	void theJpaStoreOnSpringBootsEmbeddedDatabaseSaysThatNoUrlIsSet(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SessionDurability.class).survivesRestarts()).isFalse();
		});
		assertThat(output).contains(WARNING, "Spring Boot starts when spring.datasource.url is not set");
	}

	@Test
	void otherInMemoryDatabasesAreRecognisedToo(CapturedOutput output) {
		this.runner
			.withPropertyValues("spring.datasource.url=jdbc:hsqldb:mem:durability",
					"atproto.session.flyway.enabled=false", "spring.jpa.hibernate.ddl-auto=create")
			.run((context) -> assertThat(context.getBean(SessionDurability.class).survivesRestarts()).isFalse());
		assertThat(output).contains(WARNING, "in-memory HSQLDB database");
	}

	@Test
	void theJpaStoreOnADatabaseInAFileSurvivesRestartsWithoutAWarning(@TempDir Path directory, CapturedOutput output) {
		this.runner.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + directory.resolve("sessions"))
			.run((context) -> {
				SessionDurability durability = context.getBean(SessionDurability.class);
				assertThat(durability.store()).isEqualTo("jpa");
				assertThat(durability.survivesRestarts()).isTrue();
				assertThat(durability.reason()).contains("H2");
			});
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void aStoreOfTheApplicationsOwnIsTrustedWithoutAWarning(CapturedOutput output) {
		this.runner.withBean(SessionStore.class, FileStore::new).run((context) -> {
			SessionDurability durability = context.getBean(SessionDurability.class);
			assertThat(durability.store()).isEqualTo(FileStore.class.getName());
			assertThat(durability.survivesRestarts()).isTrue();
		});
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void nothingIsJudgedWhenTheClientIsOff() {
		this.runner.withPropertyValues("atproto.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionDurability.class));
	}

	/** A store of the application's own; what it does does not matter here. */
	static class FileStore implements SessionStore {

		@Override
		public Optional<Session> find(String service, String identifier) {
			return Optional.empty();
		}

		@Override
		public void save(String service, Session session) {
		}

		@Override
		public void delete(String service, String did) {
		}

	}

}
