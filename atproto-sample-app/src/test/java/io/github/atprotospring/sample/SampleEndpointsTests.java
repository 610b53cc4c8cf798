package io.github.atprotospring.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionEvent;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's endpoints as a browser, a hostile web page and a careless client reach
 * them: where it listens, the refusal of cross-site requests, and the checks of a post's
 * text. One application serves every test.
 */
class SampleEndpointsTests {

	@TempDir
	static Path workDir;

	private static ConfigurableApplicationContext context;

	private static HttpClient http;

	private static int port;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void start() throws IOException {
		int pdsPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			pdsPort = socket.getLocalPort();
		}
		// No server.address here: the default of application.yml is under test.
		context = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
				"--sample.local-pds.port=" + pdsPort, "--sample.local-pds.state-file=" + workDir.resolve("pds.json"),
				"--spring.datasource.url=jdbc:h2:file:" + workDir.resolve("sample"), "--atproto.handle=",
				"--atproto.password=");
		port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void listensOnLoopbackOnlyByDefault() throws Exception {
		assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
		Connector connector = server.getTomcat().getConnector();
		assertThat((InetAddress) connector.getProperty("address")).isEqualTo(InetAddress.getByName("127.0.0.1"));
	}

	static Stream<Arguments> crossSiteForms() {
		return Stream.of(Arguments.of("application/x-www-form-urlencoded", "a=b", "cross-site", "https://evil.example"),
				Arguments.of("multipart/form-data; boundary=x", "--x\r\n\r\n--x--\r\n", "cross-site",
						"https://evil.example"),
				Arguments.of("text/plain", "{}", "cross-site", "https://evil.example"),
				// Old browsers send no Sec-Fetch-Site; the Origin still gives them away.
				Arguments.of("application/x-www-form-urlencoded", "a=b", null, "https://evil.example"),
				// Another application on localhost is the same site, not the same origin.
				Arguments.of("text/plain", "{}", "same-site", "http://localhost:1"),
				// A DNS-rebinding page reaches this port under a name of its own.
				Arguments.of("application/json", "{}", "same-origin", "http://rebind.evil.example:" + port),
				Arguments.of("application/json", "{}", null, "null"));
	}

	@ParameterizedTest
	@MethodSource("crossSiteForms")
	void crossSiteRequestsAreRefusedAndRefreshNothing(String contentType, String body, String fetchSite, String origin)
			throws Exception {
		String before = refreshToken();
		int events = events().size();
		HttpRequest.Builder request = post("/session/refresh", contentType, body).header("Origin", origin);
		if (fetchSite != null) {
			request.header("Sec-Fetch-Site", fetchSite);
		}
		HttpResponse<String> answer = send(request);
		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(error(answer)).isEqualTo("CrossSiteRequestRefused");
		assertThat(message(answer)).contains("refuses requests", "curl");
		assertThat(events()).hasSize(events);
		assertThat(refreshToken()).isEqualTo(before);
	}

	@Test
	void crossSitePostIsRefusedAndPostsNothing() throws Exception {
		long posts = posts();
		HttpResponse<String> answer = send(
				post("/posts", "text/plain", "{\"text\":\"forged\"}").header("Origin", "https://evil.example")
					.header("Sec-Fetch-Site", "cross-site"));
		assertThat(answer.statusCode()).isEqualTo(403);
		assertThat(posts()).isEqualTo(posts);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain" })
	void aFormTypeWithoutBrowserHeadersIsRefusedAndRefreshesNothing(String contentType) throws Exception {
		String before = refreshToken();
		HttpResponse<String> answer = send(post("/session/refresh", contentType, ""));
		assertThat(answer.statusCode()).isEqualTo(415);
		assertThat(message(answer)).contains("application/json");
		assertThat(refreshToken()).isEqualTo(before);
	}

	@Test
	void aRefreshWithoutAContentTypeIsRefused() throws Exception {
		String before = refreshToken();
		HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/session/refresh")).POST(noBody()));
		assertThat(answer.statusCode()).isEqualTo(415);
		assertThat(refreshToken()).isEqualTo(before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{}" })
	void aSameOriginJsonRefreshIsAcceptedWhereTheSameFromAnotherSiteIsNot(String body) throws Exception {
		String before = refreshToken();
		int refreshes = count(SessionEvent.REFRESH);
		HttpResponse<String> forged = send(
				post("/session/refresh", "application/json", body).header("Origin", "https://evil.example")
					.header("Sec-Fetch-Site", "cross-site"));
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(refreshToken()).isEqualTo(before);

		HttpResponse<String> answer = send(
				post("/session/refresh", "application/json", body).header("Origin", "http://localhost:" + port)
					.header("Sec-Fetch-Site", "same-origin"));
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(count(SessionEvent.REFRESH)).isEqualTo(refreshes + 1);
		assertThat(refreshToken()).isNotEqualTo(before);
		assertThat(answer.body()).contains("REFRESH").doesNotContain(refreshToken());
	}

	@Test
	void aJsonRefreshFromCurlIsAcceptedWhereAFormIsNot() throws Exception {
		int refreshes = count(SessionEvent.REFRESH);
		assertThat(send(post("/session/refresh", "application/x-www-form-urlencoded", "")).statusCode()).isEqualTo(415);
		assertThat(count(SessionEvent.REFRESH)).isEqualTo(refreshes);

		HttpResponse<String> answer = send(post("/session/refresh", "application/json; charset=utf-8", "{}")
			.header("Origin", "http://127.0.0.1:" + port));
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(count(SessionEvent.REFRESH)).isEqualTo(refreshes + 1);
	}

	@Test
	void aRefreshWithInputIsRefused() throws Exception {
		HttpResponse<String> answer = send(post("/session/refresh", "application/json", "{\"force\":true}"));
		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(message(answer)).contains("send {} or no body");
	}

	@Test
	void aSameOriginPostIsAcceptedWhereTheSameFromAnotherSiteIsNot() throws Exception {
		long posts = posts();
		HttpResponse<String> forged = send(post("/posts", "application/json", "{\"text\":\"Hello\"}")
			.header("Origin", "http://localhost:" + (port + 1))
			.header("Sec-Fetch-Site", "same-site"));
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(posts()).isEqualTo(posts);

		HttpResponse<String> answer = send(
				post("/posts", "application/json", "{\"text\":\"Hello\"}").header("Origin", "http://localhost:" + port)
					.header("Sec-Fetch-Site", "same-origin"));
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(answer.body()).get("uri").stringValue()).contains("app.bsky.feed.post");
		assertThat(posts()).isEqualTo(posts + 1);
	}

	@Test
	void aBodyOverTheCapIsRefused() throws Exception {
		String text = "a".repeat((int) SameOriginGuard.MAX_BODY_BYTES);
		HttpResponse<String> answer = send(post("/posts", "application/json", "{\"text\":\"" + text + "\"}"));
		assertThat(answer.statusCode()).isEqualTo(413);
	}

	static Stream<Arguments> badPosts() {
		// 11 bytes and one grapheme each: a letter with five combining marks.
		String heavy = "a\u0301\u0302\u0303\u0304\u0305";
		return Stream.of(Arguments.of("{}", "\"text\" is required"),
				Arguments.of("{\"text\":null}", "\"text\" is required"),
				Arguments.of("{\"text\":\"\"}", "\"text\" is blank"),
				Arguments.of("{\"text\":\" \\n\\t \"}", "\"text\" is blank"),
				Arguments.of("{\"text\":\"" + "a".repeat(301) + "\"}", "301 characters (graphemes)"),
				Arguments.of("{\"text\":\"" + "\uD83D\uDC4D".repeat(301) + "\"}", "301 characters (graphemes)"),
				Arguments.of("{\"text\":\"" + heavy.repeat(280) + "\"}", "3080 bytes in UTF-8"),
				Arguments.of("{\"text\":\"" + "\u20AC".repeat(1001) + "\"}", "3003 bytes in UTF-8"),
				Arguments.of("{\"text\":5}", "must be a JSON string (got a number)"),
				Arguments.of("{\"text\":[\"Hello\"]}", "must be a JSON string (got an array)"),
				Arguments.of("{\"text\":{\"value\":\"Hello\"}}", "must be a JSON string (got an object)"),
				Arguments.of("{\"text\":true}", "must be a JSON string (got a boolean)"),
				Arguments.of("[\"Hello\"]", "must be a JSON object (got an array)"),
				Arguments.of("\"Hello\"", "must be a JSON object (got a string)"),
				Arguments.of("{\"text\":\"Hello\"", "not valid JSON"), Arguments.of("{text: Hello}", "not valid JSON"),
				Arguments.of("", "missing or is not valid JSON"));
	}

	@ParameterizedTest
	@MethodSource("badPosts")
	void badInputIsA400ThatSaysWhatToFix(String body, String expectedMessage) throws Exception {
		long posts = posts();
		HttpResponse<String> answer = send(post("/posts", "application/json", body));
		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(error(answer)).isEqualTo("InvalidRequest");
		assertThat(message(answer)).contains(expectedMessage);
		assertThat(posts()).isEqualTo(posts);
	}

	static Stream<Arguments> postsAtTheLimits() {
		String heavy = "a\u0301\u0302\u0303\u0304\u0305";
		String emoji = "\uD83D\uDC4D\uD83C\uDFFD".repeat(100)
				+ "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67".repeat(50) + "\uD83C\uDDEB\uD83C\uDDF7".repeat(100)
				+ "a".repeat(50);
		return Stream.of(Arguments.of("a".repeat(300), "a"),
				// 300 graphemes in 600 chars: counted as graphemes, not chars.
				Arguments.of("e\u0301".repeat(300), "e\u0301"),
				// 3,000 bytes exactly, in 280 graphemes.
				Arguments.of(heavy.repeat(272) + "a".repeat(8), "a"),
				// 300 emoji and letters of one grapheme each (but up to 5 code points) in
				// 2,500 bytes.
				Arguments.of(emoji, "\uD83D\uDC4D\uD83C\uDFFD"));
	}

	@ParameterizedTest
	@MethodSource("postsAtTheLimits")
	void aTextAtTheLexiconsLimitsIsPostedAndOneGraphemeMoreIsNot(String text, String oneMore) throws Exception {
		long posts = posts();
		HttpResponse<String> over = send(post("/posts", "application/json", postBody(text + oneMore)));
		assertThat(over.statusCode()).as(over.body()).isEqualTo(400);
		assertThat(message(over)).contains("too long");
		assertThat(posts()).isEqualTo(posts);

		HttpResponse<String> answer = send(post("/posts", "application/json", postBody(text)));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(posts()).isEqualTo(posts + 1);
	}

	private String postBody(String text) {
		return this.json.writeValueAsString(Map.of("text", text));
	}

	private static List<SessionEvent> events() {
		return context.getBean(SessionActivity.class).changes().stream().map(SessionActivity.Change::type).toList();
	}

	private static int count(SessionEvent type) {
		return (int) events().stream().filter(type::equals).count();
	}

	private static String refreshToken() {
		return context.getBean(AtprotoClient.class).session().orElseThrow().refreshJwt();
	}

	private long posts() throws Exception {
		HttpResponse<String> profile = send(HttpRequest.newBuilder(uri("/profile")).GET());
		return this.json.readTree(profile.body()).get("postsCount").asLong();
	}

	private static HttpRequest.Builder post(String path, String contentType, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private static HttpRequest.BodyPublisher noBody() {
		return HttpRequest.BodyPublishers.noBody();
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private String error(HttpResponse<String> answer) {
		return field(answer, "error");
	}

	private String message(HttpResponse<String> answer) {
		return field(answer, "message");
	}

	private String field(HttpResponse<String> answer, String name) {
		JsonNode body = this.json.readTree(answer.body());
		return body.get(name).stringValue();
	}

}
