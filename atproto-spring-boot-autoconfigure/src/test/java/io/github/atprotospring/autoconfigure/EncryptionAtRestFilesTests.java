package io.github.atprotospring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With encryption on, neither token is in the database's files or in an SQL dump; with it
 * off, both are (which shows that the search finds them).
 */
class EncryptionAtRestFilesTests {

	@TempDir
	Path directory;

	@Test
	void encryptedSessionsLeaveNoTokenInTheDatabaseFilesOrAnSqlDump() {
		Exposure exposure = run(SessionPersistenceSuite.KEY_A);
		assertThat(exposure.files()).doesNotContain(exposure.session().accessJwt(), exposure.session().refreshJwt());
		assertThat(exposure.dump()).doesNotContain(exposure.session().accessJwt(), exposure.session().refreshJwt());
	}

	@Test
	void plainSessionsAreFoundInTheFilesAndTheDump() {
		Exposure exposure = run("atproto.enabled=true");
		assertThat(exposure.files()).contains(exposure.session().refreshJwt());
		assertThat(exposure.dump()).contains(exposure.session().accessJwt(), exposure.session().refreshJwt());
	}

	private Exposure run(String encryption) {
		AtomicReference<Session> session = new AtomicReference<>();
		AtomicReference<String> dump = new AtomicReference<>();
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount("alice.test", "alice@example.com", "abcd-efgh-ijkl-mnop");
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
								RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
								AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
				.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + this.directory.resolve("db"),
						"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + pds.url(),
						"atproto.handle=alice.test", "atproto.password=abcd-efgh-ijkl-mnop", encryption)
				.run((context) -> {
					session.set(context.getBean(AtprotoClient.class).session().orElseThrow());
					JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
					dump.set(String.join("\n", jdbc.queryForList("script", String.class)));
					jdbc.execute("checkpoint sync");
				});
		}
		return new Exposure(session.get(), filesText(), dump.get());
	}

	private String filesText() {
		try (Stream<Path> files = Files.walk(this.directory)) {
			StringBuilder text = new StringBuilder();
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
			}
			return text.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Exposure(Session session, String files, String dump) {
	}

}
