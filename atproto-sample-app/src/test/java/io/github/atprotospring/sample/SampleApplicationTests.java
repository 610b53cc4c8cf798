package io.github.atprotospring.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a newcomer runs it, with no credentials: the first start logs in to the
 * local demo PDS, a restart on the same H2 file imports the stored session, and a forced
 * refresh rotates it.
 */
class SampleApplicationTests {

	@TempDir
	Path workDir;

	@Test
	void firstStartLogsInAndARestartImportsTheStoredSession() throws IOException {
		int pdsPort = freePort();
		// Command-line arguments, as a user would pass them: they win over
		// application.yml.
		String[] arguments = { "--server.port=0", "--sample.local-pds.port=" + pdsPort,
				"--sample.local-pds.state-file=" + this.workDir.resolve("local-pds.json"),
				"--spring.datasource.url=jdbc:h2:file:" + this.workDir.resolve("atproto-sample"), "--atproto.handle=",
				"--atproto.password=" };

		try (ConfigurableApplicationContext first = start(arguments)) {
			assertThat(first.getEnvironment().getProperty("atproto.service")).isEqualTo("http://127.0.0.1:" + pdsPort);
			assertThat(events(first)).containsExactly(SessionEvent.CREATE);
			RestClient http = http(first);
			String status = http.get().uri("/session").retrieve().body(String.class);
			assertThat(status).contains("local-demo-pds", "demo.test", "\"lastEvent\"", "CREATE");
			assertNoToken(first, status);
			String post = http.post()
				.uri("/posts")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"text\":\"Hello from the sample\"}")
				.retrieve()
				.body(String.class);
			assertThat(post).contains("app.bsky.feed.post");
			assertThat(http.get().uri("/profile").retrieve().body(String.class)).contains("\"postsCount\":1");
		}

		try (ConfigurableApplicationContext second = start(arguments)) {
			assertThat(events(second)).containsExactly(SessionEvent.IMPORT);
			String refreshed = http(second).post()
				.uri("/session/refresh")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.body(String.class);
			assertThat(events(second)).containsExactly(SessionEvent.IMPORT, SessionEvent.REFRESH);
			assertThat(refreshed).contains("REFRESH");
			assertNoToken(second, refreshed);
		}

		try (ConfigurableApplicationContext third = start(arguments)) {
			assertThat(events(third)).containsExactly(SessionEvent.IMPORT);
			assertThat(http(third).get().uri("/profile").retrieve().body(String.class)).contains("demo.test");
		}
	}

	private static ConfigurableApplicationContext start(String[] arguments) {
		// The main class as when the sample runs: in AOT mode it names the generated
		// initializer.
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(arguments);
	}

	private static List<SessionEvent> events(ConfigurableApplicationContext context) {
		return context.getBean(SessionActivity.class).changes().stream().map(SessionActivity.Change::type).toList();
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		return RestClient.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private static void assertNoToken(ConfigurableApplicationContext context, String body) {
		Session session = context.getBean(AtprotoClient.class).session().orElseThrow();
		assertThat(body).doesNotContain(session.accessJwt()).doesNotContain(session.refreshJwt());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
