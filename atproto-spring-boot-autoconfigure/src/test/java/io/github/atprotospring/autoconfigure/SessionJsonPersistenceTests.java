package io.github.atprotospring.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.AtprotoJpaSessionStoreAutoConfiguration;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session imported in the JSON form of the PHP or TypeScript SDK is kept by the JPA
 * store like any other: saved on import, resumed after a restart without a login, with
 * its PDS endpoint.
 */
class SessionJsonPersistenceTests {

	static final String PASSWORD = "app-password-1234";

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final JsonMapper JSON = JsonMapper.builder().build();

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	String pdsByName;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		// The didDoc names the PDS under another name than the service, as the reference
		// PDS does: the endpoint a session came with can be told from the service.
		this.pdsByName = "http://localhost:" + this.pds.port();
		this.pds.setDidDocPdsEndpoint(this.pdsByName);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
							RestClientAutoConfiguration.class, AtprotoJpaSessionStoreAutoConfiguration.class,
							AtprotoJdbcAutoConfiguration.class, AtprotoAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withBean(RecordedEvents.class)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"spring.jpa.hibernate.ddl-auto=validate", "atproto.service=" + this.pds.url(),
					"atproto.handle=alice.test");
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void thePhpFormIsStoredAndResumedAfterARestartWithItsDidDocsPds() {
		importAndRestart(createSessionAnswer(), this.pdsByName);
	}

	@Test
	void theTypeScriptFormIsStoredAndResumedAfterARestartWithTheServiceAsItsPds() {
		ObjectNode answer = (ObjectNode) JSON.readTree(createSessionAnswer());
		answer.remove("didDoc");
		importAndRestart(answer.toString(), this.pds.url());
	}

	private void importAndRestart(String json, String expectedPds) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.session()).isEmpty();
			Session imported = client.importSession(json);
			assertThat(imported.pdsEndpoint()).isEqualTo(expectedPds);
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("select count(*) from atproto_session where did = ?", Integer.class, imported.did()))
				.isEqualTo(1);
		});

		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RecordedEvents.class).types()).containsExactly(SessionEvent.IMPORT);
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.session()).get().extracting(Session::pdsEndpoint).isEqualTo(expectedPds);
			assertThat(client.getSession().handle()).isEqualTo("alice.test");
		});
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
		assertThat(this.pds.callCount(REFRESH)).isZero();
	}

	/** The createSession answer as the PHP SDK keeps it; the one login of each test. */
	private String createSessionAnswer() {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		try {
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/" + CREATE))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString("{\"identifier\":\"alice.test\",\"password\":\"" + PASSWORD + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(List.copyOf(JSON.readTree(answer.body()).propertyNames())).contains("didDoc");
			return answer.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
