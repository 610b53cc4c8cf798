package io.github.atprotospring.client;

import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.client.RawHttpServer.Answer;
import io.github.atprotospring.client.RawHttpServer.Request;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The client's default transport against a server on plain sockets that shows what really
 * crosses the wire.
 */
class AtprotoHttpClientsTests {

	private static final String BEARER = "Bearer not-a-real-token";

	private static final Duration BOUND = Duration.ofSeconds(20);

	private static final String UNAUTHORIZED = "{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}";

	@Test
	void aRedirectOfAQueryIsReturnedToTheCallerAndNotFollowed() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> request.path().startsWith("/xrpc/")
				? Answer.redirect("/elsewhere") : Answer.json(200, "{}"))) {
			int status = rest().get()
				.uri(server.url() + "/xrpc/com.atproto.server.getSession")
				.header(HttpHeaders.AUTHORIZATION, BEARER)
				.exchange((request, response) -> response.getStatusCode().value());

			assertThat(status).isEqualTo(302);
			assertThat(server.requests()).extracting(Request::path)
				.containsExactly("/xrpc/com.atproto.server.getSession");
		}
	}

	@Test
	void aRedirectOfAProcedureIsReturnedToTheCallerAndNotFollowed() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> request.path().startsWith("/xrpc/")
				? new Answer(307, java.util.Map.of("Location", "/elsewhere"), "", false) : Answer.json(200, "{}"))) {
			int status = rest().post()
				.uri(server.url() + "/xrpc/com.atproto.server.createSession")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"identifier\":\"alice.test\",\"password\":\"secret\"}")
				.exchange((request, response) -> response.getStatusCode().value());

			assertThat(status).isEqualTo(307);
			assertThat(server.requests()).extracting(Request::path)
				.containsExactly("/xrpc/com.atproto.server.createSession");
		}
	}

	@Test
	void aServerThatSendsNoAnswerMakesTheCallFailAfterTheReadTimeout() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.silence())) {
			RestClient rest = RestClient.builder()
				.requestFactory(AtprotoHttpClients.requestFactory(Duration.ofSeconds(10), Duration.ofMillis(300)))
				.build();

			assertTimeoutPreemptively(BOUND,
					() -> assertThatThrownBy(() -> rest.get()
						.uri(server.url() + "/xrpc/com.atproto.server.getSession")
						.retrieve()
						.toBodilessEntity()).isInstanceOf(ResourceAccessException.class)
						.hasRootCauseInstanceOf(SocketTimeoutException.class));
		}
	}

	@Test
	void anAnswerThatTricklesIsCutOffWhenTheReadTimeoutHasPassedForTheWholeAnswer() throws Exception {
		// Each byte comes well within the read timeout; the whole body would take hours.
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.trickle(20))) {
			RestClient rest = RestClient.builder()
				.requestFactory(AtprotoHttpClients.requestFactory(Duration.ofSeconds(10), Duration.ofMillis(400)))
				.build();

			assertTimeoutPreemptively(BOUND,
					() -> assertThatThrownBy(() -> rest.get()
						.uri(server.url() + "/xrpc/com.atproto.server.getSession")
						.retrieve()
						.body(String.class)).isInstanceOf(RestClientException.class)
						.hasRootCauseInstanceOf(SocketTimeoutException.class)
						.rootCause()
						.hasMessageContaining("within the read timeout of 400 ms"));
		}
	}

	@Test
	void aQueryAnswered401KeepsItsBodyAndTheJvmsAuthenticatorIsNeverAsked() throws Exception {
		AtomicInteger asked = new AtomicInteger();
		Authenticator before = Authenticator.getDefault();
		Authenticator.setDefault(new Authenticator() {
			@Override
			protected PasswordAuthentication getPasswordAuthentication() {
				asked.incrementAndGet();
				return new PasswordAuthentication("someone", "secret".toCharArray());
			}
		});
		try (RawHttpServer server = new RawHttpServer(
				(request) -> Answer.json(401, UNAUTHORIZED, Map.of("WWW-Authenticate", "Basic realm=\"pds\"")))) {
			String answer = rest().get()
				.uri(server.url() + "/xrpc/com.atproto.server.getSession")
				.header(HttpHeaders.AUTHORIZATION, BEARER)
				.exchange((request, response) -> response.getStatusCode().value() + " "
						+ new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));

			assertThat(answer).isEqualTo("401 " + UNAUTHORIZED);
			assertThat(asked).hasValue(0);
			assertThat(server.requests()).hasSize(1);
		}
		finally {
			Authenticator.setDefault(before);
		}
	}

	@Test
	void aProcedureAnswered401KeepsItsBodyAndIsSentOnce() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(401, UNAUTHORIZED))) {
			String answer = rest().post()
				.uri(server.url() + "/xrpc/com.atproto.server.createSession")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"identifier\":\"alice.test\",\"password\":\"wrong\"}")
				.exchange((request, response) -> response.getStatusCode().value() + " "
						+ new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));

			assertThat(answer).isEqualTo("401 " + UNAUTHORIZED);
			assertThat(server.requests()).hasSize(1);
		}
	}

	@Test
	void aWrongPasswordIsToldApartOnTheDefaultTransport() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(401, UNAUTHORIZED))) {
			AtprotoClient client = AtprotoClient.builder().service(server.url()).build();

			assertThatThrownBy(() -> client.login("alice.test", "wrong"))
				.isInstanceOf(AuthenticationRequiredException.class);
			assertThat(server.requests()).hasSize(1);
		}
	}

	@Test
	void itSpeaksHttp11ToAPlainHttpServerAndNeverAsksToUpgrade() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(200, "{}"))) {
			rest().get().uri(server.url() + "/xrpc/com.atproto.server.describeServer").retrieve().toBodilessEntity();
			rest().post()
				.uri(server.url() + "/xrpc/com.atproto.repo.createRecord")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{}")
				.retrieve()
				.toBodilessEntity();

			assertThat(server.requests()).hasSize(2).allSatisfy((request) -> {
				assertThat(request.version()).isEqualTo("HTTP/1.1");
				assertThat(request.header("Upgrade")).isNull();
				assertThat(request.header("HTTP2-Settings")).isNull();
			});
		}
	}

	@Test
	void sequentialCallsReuseOneConnectionForQueriesAndOneForProcedures() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(200, "{\"did\":\"did:plc:alice\"}"))) {
			RestClient rest = rest();
			for (int i = 0; i < 20; i++) {
				rest.get()
					.uri(server.url() + "/xrpc/com.atproto.server.getSession")
					.header(HttpHeaders.AUTHORIZATION, BEARER)
					.retrieve()
					.body(String.class);
				rest.post()
					.uri(server.url() + "/xrpc/com.atproto.repo.createRecord")
					.contentType(MediaType.APPLICATION_JSON)
					.body("{\"n\":" + i + "}")
					.retrieve()
					.body(String.class);
			}

			assertThat(server.requests()).hasSize(40);
			// Queries on HttpURLConnection, procedures on the JDK HttpClient.
			assertThat(server.connections()).isEqualTo(2);
			// Every query's deadline was withdrawn when its answer was read.
			assertThat(UrlConnectionQueries.Deadlines.inFlight()).isZero();
		}
	}

	/**
	 * The thread that keeps queries' deadlines ends once queries stop, so that it does
	 * not outlive an application that an application server undeploys, and the next query
	 * starts another.
	 */
	@Test
	void theDeadlineThreadEndsWhenQueriesStopAndTheNextQueryStartsAnother() throws Exception {
		// The server reads the watchdog while a query is in flight, when one must run.
		List<Thread> seen = new CopyOnWriteArrayList<>();
		try (RawHttpServer server = new RawHttpServer((request) -> {
			seen.add(UrlConnectionQueries.Deadlines.watchdog());
			return Answer.json(200, "{\"did\":\"did:plc:alice\"}");
		})) {
			UrlConnectionQueries.Deadlines.idleNanos(Duration.ofMillis(50).toNanos());
			RestClient rest = rest();
			String url = server.url() + "/xrpc/com.atproto.server.getSession";
			assertThat(rest.get().uri(url).retrieve().body(String.class)).contains("did:plc:alice");
			Thread first = seen.get(0);
			assertThat(first.getName()).isEqualTo("atproto-http-deadlines");
			assertThat(first.getContextClassLoader()).isNull();
			first.join(BOUND.toMillis());
			assertThat(first.isAlive()).isFalse();
			assertThat(UrlConnectionQueries.Deadlines.watchdog()).isNull();

			assertThat(rest.get().uri(url).retrieve().body(String.class)).contains("did:plc:alice");
			Thread second = seen.get(1);
			assertThat(second).isNotNull().isNotSameAs(first);
			second.join(BOUND.toMillis());
			assertThat(second.isAlive()).isFalse();
		}
		finally {
			UrlConnectionQueries.Deadlines.idleNanos(UrlConnectionQueries.Deadlines.IDLE_NANOS);
		}
	}

	@Test
	void aProcedureWithoutInputIsSentWithALengthOfZeroAndNotChunked() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(200, "{}"))) {
			rest().post()
				.uri(server.url() + "/xrpc/com.atproto.server.refreshSession")
				.header(HttpHeaders.AUTHORIZATION, BEARER)
				.retrieve()
				.toBodilessEntity();
			rest().post()
				.uri(server.url() + "/xrpc/com.atproto.server.createSession")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"identifier\":\"alice.test\"}")
				.retrieve()
				.toBodilessEntity();

			List<Request> requests = server.requests();
			assertThat(requests.get(0).header("Content-Length")).isEqualTo("0");
			assertThat(requests.get(0).header("Transfer-Encoding")).isNull();
			assertThat(requests.get(1).header("Content-Length")).isEqualTo("27");
			assertThat(new String(requests.get(1).body(), java.nio.charset.StandardCharsets.UTF_8))
				.isEqualTo("{\"identifier\":\"alice.test\"}");
		}
	}

	@Test
	void aLoginWhoseConnectionDropsBeforeTheAnswerIsNotSentAgain() throws Exception {
		try (RawHttpServer server = new RawHttpServer(
				(request) -> request.method().equals("POST") ? Answer.drop() : Answer.json(200, "{}"))) {
			RestClient rest = rest();
			// A kept-alive connection first, as in a running application.
			rest.get().uri(server.url() + "/xrpc/_health").retrieve().toBodilessEntity();

			assertTimeoutPreemptively(BOUND,
					() -> assertThatThrownBy(() -> rest.post()
						.uri(server.url() + "/xrpc/com.atproto.server.createSession")
						.contentType(MediaType.APPLICATION_JSON)
						.body("{\"identifier\":\"alice.test\",\"password\":\"secret\"}")
						.retrieve()
						.toBodilessEntity()).isInstanceOf(ResourceAccessException.class));

			assertThat(posts(server, "/xrpc/com.atproto.server.createSession")).isOne();
		}
	}

	@Test
	void aRefreshWithoutBodyWhoseConnectionDropsBeforeTheAnswerIsNotSentAgain() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.drop())) {
			assertTimeoutPreemptively(BOUND,
					() -> assertThatThrownBy(() -> rest().post()
						.uri(server.url() + "/xrpc/com.atproto.server.refreshSession")
						.header(HttpHeaders.AUTHORIZATION, BEARER)
						.retrieve()
						.toBodilessEntity()).isInstanceOf(ResourceAccessException.class));

			assertThat(posts(server, "/xrpc/com.atproto.server.refreshSession")).isOne();
		}
	}

	@Test
	void theClientRunsOnItAgainstThePdsDouble() {
		try (io.github.atprotospring.test.PdsDouble pds = io.github.atprotospring.test.PdsDouble.builder().start()) {
			pds.createAccount("alice.test", "alice@example.com", "alice-password");
			AtprotoClient client = AtprotoClient.builder()
				.service(pds.url())
				.restClientBuilder(RestClient.builder().requestFactory(AtprotoHttpClients.requestFactory()))
				.build();

			client.login("alice.test", "alice-password");
			client.refreshSession();

			assertThat(client.getSession().handle()).isEqualTo("alice.test");
			assertThat(pds.callCount("com.atproto.server.refreshSession")).isOne();
		}
	}

	@Test
	void aTimeoutOfZeroIsRefusedSinceItWouldMeanNoLimit() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AtprotoHttpClients.requestFactory(Duration.ZERO, Duration.ofSeconds(30)))
			.withMessageContaining("connectTimeout must be at least 1 ms");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AtprotoHttpClients.requestFactory(Duration.ofSeconds(10), Duration.ofNanos(500)))
			.withMessageContaining("readTimeout must be at least 1 ms");
	}

	@Test
	void aNegativeOrHugeTimeoutIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AtprotoHttpClients.requestFactory(Duration.ofSeconds(-1), Duration.ofSeconds(30)))
			.withMessageContaining("connectTimeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AtprotoHttpClients.requestFactory(Duration.ofSeconds(10), Duration.ofDays(30)))
			.withMessageContaining("readTimeout must be at most");
	}

	private static RestClient rest() {
		return RestClient.builder().requestFactory(AtprotoHttpClients.requestFactory()).build();
	}

	private static long posts(RawHttpServer server, String path) {
		List<Request> requests = server.requests();
		return requests.stream()
			.filter((request) -> request.method().equals("POST") && request.path().equals(path))
			.count();
	}

}
