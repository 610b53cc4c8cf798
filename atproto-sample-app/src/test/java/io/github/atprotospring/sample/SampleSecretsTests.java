package io.github.atprotospring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.test.CheckSecrets;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The sample as a user runs it against a configured service, under {@link CheckSecrets}:
 * its starts and restarts, each endpoint (with good and bad input), a forced refresh, a
 * session that dies and a start with a wrong password. No log line of any logger at any
 * level, no exception, nothing on standard out or err and no answer of an endpoint may
 * hold a password, a token or a session string.
 */
@CheckSecrets
class SampleSecretsTests {

	static final String PASSWORD = "sample-app-password-1";

	@TempDir
	Path workDir;

	PdsDouble pds;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@BeforeEach
	void startPds() {
		this.pds = PdsDouble.builder().start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
	}

	@AfterEach
	void stopPds() {
		this.pds.close();
	}

	@Test
	void theSamplesEndpointsStartsAndFailuresWriteNoSecret(Secrets secrets) throws Exception {
		secrets.register(PASSWORD);
		// Known and left to the owner of the JPA store: with encryption at rest off,
		// Hibernate's DEBUG and TRACE logging prints the session row's values (the
		// starter's StarterSecretsTests shows that encryption at rest ends it).
		for (String logger : List.of("org.hibernate.orm.core", "org.hibernate.orm.jdbc.bind",
				"org.hibernate.orm.jdbc.extract", "org.hibernate.orm.resource.registry")) {
			secrets.tolerate(logger, "Hibernate's DEBUG and TRACE logging of the values of the session row");
		}
		List<String> answers = new ArrayList<>();
		try (ConfigurableApplicationContext first = start(PASSWORD)) {
			answers.add(get(first, "/session"));
			answers.add(post(first, "/session/refresh", "{}"));
			answers.add(get(first, "/profile"));
			answers.add(post(first, "/posts", "{\"text\":\"Hello\"}"));
			answers.add(post(first, "/posts", "{\"text\":5}"));
			answers.add(post(first, "/session/refresh", "{\"force\":true}"));
			answers.add(get(first, "/session"));
		}
		try (ConfigurableApplicationContext second = start(PASSWORD)) {
			answers.add(get(second, "/session"));
			// The session dies: revoked elsewhere; the next refresh logs in again.
			Session held = second.getBean(AtprotoClient.class).session().orElseThrow();
			AtprotoClient elsewhere = AtprotoClient.builder().service(this.pds.url()).build();
			elsewhere.importSession(held);
			elsewhere.logout();
			answers.add(post(second, "/session/refresh", "{}"));
			answers.add(get(second, "/session"));
			// The server fails the next calls.
			this.pds.failNext(2, PdsDouble.Fault.INTERNAL_SERVER_ERROR);
			answers.add(post(second, "/session/refresh", "{}"));
			answers.add(get(second, "/profile"));
		}
		secrets.inspect(catchThrowable(() -> start("wrong-password-123").close()));
		secrets.inspect(answers.toArray());
		assertThat(answers).hasSize(12);
		// Each refresh token is new (it has a jti); access tokens of one second may be
		// equal.
		assertThat(secrets.count()).isGreaterThanOrEqualTo(5);
	}

	private ConfigurableApplicationContext start(String password) {
		return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:file:" + this.workDir.resolve("sample"),
				"--atproto.service=" + this.pds.url(), "--atproto.handle=alice.test", "--atproto.password=" + password);
	}

	private String get(ConfigurableApplicationContext context, String path) throws Exception {
		return send(context, HttpRequest.newBuilder(uri(context, path)).GET());
	}

	private String post(ConfigurableApplicationContext context, String path, String body) throws Exception {
		return send(context,
				HttpRequest.newBuilder(uri(context, path))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private String send(ConfigurableApplicationContext context, HttpRequest.Builder request) throws Exception {
		HttpResponse<String> answer = this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		return answer.statusCode() + " " + answer.body();
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
	}

}
