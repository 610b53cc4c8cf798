package io.github.atprotospring.sample;

import java.nio.file.Path;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code /actuator/health} as an operator reads it: the account's session
 * while it lives, DOWN once it is dead and no password can replace it, and never a token.
 */
class SampleHealthTests {

	static final String PASSWORD = "demo-app-password";

	static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path workDir;

	@Test
	void healthShowsTheAccountAndGoesDownForADeadSessionWithNoPassword() {
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount("demo.test", "demo@example.test", PASSWORD);
			String database = "--spring.datasource.url=jdbc:h2:file:" + this.workDir.resolve("atproto-sample");

			try (ConfigurableApplicationContext first = start("--server.port=0", "--atproto.service=" + pds.url(),
					"--atproto.handle=demo.test", "--atproto.password=" + PASSWORD, database)) {
				ResponseEntity<String> health = get(first, "/actuator/health");
				assertThat(health.getStatusCode().value()).isEqualTo(200);
				JsonNode atproto = JSON.readTree(health.getBody()).at("/components/atproto");
				assertThat(atproto.path("status").asString()).isEqualTo("UP");
				JsonNode account = atproto.at("/details/atprotoClient");
				assertThat(account.path("handle").asString()).isEqualTo("demo.test");
				assertThat(account.path("sessionPresent").asBoolean()).isTrue();
				assertThat(account.path("passwordConfigured").asBoolean()).isTrue();
				assertThat(account.path("lastEvent").asString()).isEqualTo("CREATE");
				assertThat(account.path("store").asString()).isEqualTo("JpaSessionStore");
				assertThat(account.path("refreshExpiresAt").asString()).isNotEmpty();
				String listed = get(first, "/actuator/atproto").getBody();
				assertThat(JSON.readTree(listed).at("/accounts/atprotoClient/handle").asString())
					.isEqualTo("demo.test");
				assertThat(JSON.readTree(listed).at("/registry/maxResident").asInt()).isEqualTo(1000);
				assertThat(JSON.readTree(listed).at("/registry/resident").isInt()).isTrue();
				assertNoToken(first, health.getBody());
				assertNoToken(first, listed);
			}

			// A restart without the password resumes the stored session; then another
			// holder of the same session logs out, which revokes its refresh token.
			try (ConfigurableApplicationContext second = start("--server.port=0", "--atproto.service=" + pds.url(),
					"--atproto.handle=demo.test", "--atproto.password=", database)) {
				Session held = second.getBean(AtprotoClient.class).session().orElseThrow();
				JsonNode resumed = JSON.readTree(get(second, "/actuator/health").getBody()).at("/components/atproto");
				assertThat(resumed.path("status").asString()).isEqualTo("UP");
				assertThat(resumed.at("/details/atprotoClient/passwordConfigured").asBoolean()).isFalse();
				assertThat(resumed.at("/details/atprotoClient/lastEvent").asString()).isEqualTo("IMPORT");
				AtprotoClient other = AtprotoClient.builder().service(pds.url()).build();
				other.importSession(held);
				other.logout();

				ResponseEntity<String> refresh = http(second).post()
					.uri("/session/refresh")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{}")
					.retrieve()
					.onStatus((status) -> true, (request, response) -> {
					})
					.toEntity(String.class);
				assertThat(refresh.getStatusCode().is2xxSuccessful()).isFalse();

				ResponseEntity<String> health = get(second, "/actuator/health");
				assertThat(health.getStatusCode().value()).isEqualTo(503);
				JsonNode down = JSON.readTree(health.getBody());
				assertThat(down.path("status").asString()).isEqualTo("DOWN");
				assertThat(down.at("/components/atproto/status").asString()).isEqualTo("DOWN");
				JsonNode dead = down.at("/components/atproto/details/atprotoClient");
				assertThat(dead.path("reason").asString()).contains("no session and no password");
				assertThat(dead.path("sessionPresent").asBoolean()).isFalse();
				assertThat(dead.path("lastEvent").asString()).isEqualTo("DELETE");
				assertThat(health.getBody()).doesNotContain(held.accessJwt()).doesNotContain(held.refreshJwt());
			}
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		// The main class as when the sample runs: in AOT mode it names the generated
		// initializer.
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(arguments);
	}

	private static ResponseEntity<String> get(ConfigurableApplicationContext context, String path) {
		return http(context).get().uri(path).retrieve().onStatus((status) -> true, (request, response) -> {
		}).toEntity(String.class);
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		return RestClient.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private static void assertNoToken(ConfigurableApplicationContext context, String body) {
		Session session = context.getBean(AtprotoClient.class).session().orElseThrow();
		assertThat(body).doesNotContain(session.accessJwt()).doesNotContain(session.refreshJwt());
	}

}
