package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsAndCountersTest {

	private static final String CREATE_SESSION = "com.atproto.server.createSession";

	private static final String GET_SESSION = "com.atproto.server.getSession";

	private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

	private final MutableClock clock = MutableClock.at(START);

	private PdsDouble pds;

	private Xrpc xrpc;

	@BeforeEach
	void start() {
		pds = PdsDouble.builder().clock(clock).start();
		pds.createAccount("alice.test", "alice@example.com", "hunter2");
		xrpc = new Xrpc(pds);
	}

	@AfterEach
	void stop() {
		pds.close();
	}

	@Test
	void injectedServerErrorsTakePrecedenceAndAreCounted() {
		pds.failNext(3, PdsDouble.Fault.INTERNAL_SERVER_ERROR);
		Xrpc.Reply first = xrpc.login("alice.test", "hunter2");
		assertThat(first.status()).isEqualTo(500);
		assertThat(first.rawBody())
			.isEqualTo("{\"error\":\"InternalServerError\",\"message\":\"Internal Server Error\"}");
		assertThat(xrpc.get("com.atproto.server.getSession", null).status()).isEqualTo(500);
		assertThat(xrpc.get("no.such.method", null).status()).isEqualTo(500);
		assertThat(xrpc.login("alice.test", "hunter2").status()).isEqualTo(200);

		pds.failNext(CREATE_SESSION, 1, PdsDouble.Fault.BAD_GATEWAY);
		pds.failNext(CREATE_SESSION, 1, PdsDouble.Fault.SERVICE_UNAVAILABLE);
		assertThat(xrpc.get(GET_SESSION, null).status()).isEqualTo(401);
		assertThat(xrpc.login("alice.test", "hunter2").status()).isEqualTo(502);
		assertThat(xrpc.login("alice.test", "hunter2").status()).isEqualTo(503);
		assertThat(xrpc.login("alice.test", "hunter2").status()).isEqualTo(200);

		assertThat(pds.callCount(CREATE_SESSION)).isEqualTo(5);
		assertThat(pds.callCount(GET_SESSION)).isEqualTo(2);
		assertThat(pds.totalCalls()).isEqualTo(8);
	}

	@Test
	void droppedConnectionIsAnIOExceptionForHttpClientPost() {
		pds.failNext(CREATE_SESSION, 1, PdsDouble.Fault.DROP_CONNECTION);
		HttpRequest request = HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/" + CREATE_SESSION))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"identifier\":\"alice.test\",\"password\":\"hunter2\"}"))
			.build();
		// Warm a keep-alive connection first: a POST is not retried even on a reused
		// connection.
		assertThat(xrpc.get("_health", null).status()).isEqualTo(200);
		assertThatThrownBy(() -> xrpc.sendOrThrow(request)).isInstanceOf(IOException.class);
		assertThat(pds.callCount(CREATE_SESSION)).isEqualTo(1);
		assertThat(pds.calls()).singleElement().extracting(PdsDouble.RecordedCall::status).isEqualTo(0);
		assertThat(xrpc.login("alice.test", "hunter2").status()).isEqualTo(200);
	}

	@Test
	void droppedConnectionIsAnIOExceptionForHttpClientGetOnFreshAndReusedConnections() {
		for (HttpClient.Version version : HttpClient.Version.values()) {
			Xrpc client = new Xrpc(pds, HttpClient.newBuilder().version(version).build());
			HttpRequest request = HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/" + GET_SESSION)).GET().build();
			pds.failNext(1, PdsDouble.Fault.DROP_CONNECTION);
			assertThatThrownBy(() -> client.sendOrThrow(request)).as("fresh, %s", version)
				.isInstanceOf(IOException.class);
			assertThat(client.get("_health", null).status()).isEqualTo(200);
			pds.failNext(1, PdsDouble.Fault.DROP_CONNECTION);
			assertThatThrownBy(() -> client.sendOrThrow(request)).as("reused, %s", version)
				.isInstanceOf(IOException.class);
		}
		// Each drop was one request: no silent retry by the client.
		assertThat(pds.callCount(GET_SESSION)).isEqualTo(2 * HttpClient.Version.values().length);
	}

	@Test
	void droppedConnectionIsAnIOExceptionForHttpUrlConnection() throws IOException {
		pds.failNext(CREATE_SESSION, 1, PdsDouble.Fault.DROP_CONNECTION);
		HttpURLConnection connection = (HttpURLConnection) URI.create(pds.url() + "/xrpc/" + CREATE_SESSION)
			.toURL()
			.openConnection();
		connection.setRequestMethod("POST");
		connection.setDoOutput(true);
		connection.setRequestProperty("Content-Type", "application/json");
		try (OutputStream out = connection.getOutputStream()) {
			out.write("{\"identifier\":\"alice.test\",\"password\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8));
		}
		assertThatThrownBy(() -> {
			connection.getResponseCode();
			connection.getInputStream().readAllBytes();
		}).isInstanceOf(IOException.class);
		assertThat(pds.callCount(CREATE_SESSION)).isEqualTo(1);
		connection.disconnect();
	}

	@Test
	void callsAreRecordedWithHostAndStatusButNoSecrets() {
		String access = xrpc.login("alice.test", "hunter2").text("accessJwt");
		clock.advance(Duration.ofSeconds(5));
		xrpc.get(GET_SESSION, access);
		xrpc.send(HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/" + GET_SESSION)).GET(), access, Map.of())
			.status();

		List<PdsDouble.RecordedCall> calls = pds.calls();
		assertThat(calls).hasSize(3);
		assertThat(calls.get(0))
			.isEqualTo(new PdsDouble.RecordedCall(CREATE_SESSION, "POST", "127.0.0.1:" + pds.port(), 200, START));
		assertThat(calls.get(1).nsid()).isEqualTo(GET_SESSION);
		assertThat(calls.get(1).method()).isEqualTo("GET");
		assertThat(calls.get(1).at()).isEqualTo(START.plusSeconds(5));
		assertThat(calls.toString()).doesNotContain(access).doesNotContain("hunter2");

		pds.resetCounters();
		assertThat(pds.calls()).isEmpty();
		assertThat(pds.totalCalls()).isZero();
		assertThat(pds.callCount(GET_SESSION)).isZero();
	}

	@Test
	void healthUnknownMethodsAndWrongVerbs() {
		Xrpc.Reply health = xrpc.get("_health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.rawBody()).isEqualTo("{\"version\":\"double\"}");
		assertThat(pds.totalCalls()).isZero();

		Xrpc.Reply unknown = xrpc.get("com.example.nothing", null);
		assertThat(unknown.status()).isEqualTo(501);
		assertThat(unknown.rawBody())
			.isEqualTo("{\"error\":\"MethodNotImplemented\",\"message\":\"Method Not Implemented\"}");

		Xrpc.Reply wrongVerb = xrpc.get(CREATE_SESSION, null);
		assertThat(wrongVerb.status()).isEqualTo(400);
		assertThat(wrongVerb.error()).isEqualTo("InvalidRequest");
		assertThat(wrongVerb.message()).isEqualTo("Incorrect HTTP method (GET) expected POST");

		Xrpc.Reply bodyless = xrpc.post(CREATE_SESSION, null);
		assertThat(bodyless.status()).isEqualTo(400);
		assertThat(bodyless.error()).isEqualTo("InvalidRequest");
		assertThat(pds.callCount("com.example.nothing")).isEqualTo(1);
		assertThat(pds.callCount(CREATE_SESSION)).isEqualTo(2);
	}

	@Test
	void aStalledRequestDoesNotBlockOthers() throws Exception {
		try (Socket stalled = new Socket("127.0.0.1", pds.port())) {
			// Headers promise a body that never comes: a server thread now waits on this
			// request.
			stalled.getOutputStream()
				.write(("POST /xrpc/" + CREATE_SESSION + " HTTP/1.1\r\nHost: x\r\n"
						+ "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
					.getBytes(StandardCharsets.US_ASCII));
			stalled.getOutputStream().flush();
			HttpRequest request = HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/_health"))
				.timeout(Duration.ofSeconds(10))
				.GET()
				.build();
			assertThat(xrpc.sendOrThrow(request).status()).isEqualTo(200);
		}
	}

	@Test
	void servesManyClientsConcurrently() throws Exception {
		String access = xrpc.login("alice.test", "hunter2").text("accessJwt");
		int threads = 64;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch allInFlight = new CountDownLatch(threads);
		try {
			List<Callable<Integer>> tasks = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				tasks.add(() -> {
					allInFlight.countDown();
					allInFlight.await();
					int ok = 0;
					for (int j = 0; j < 10; j++) {
						ok += xrpc.get(GET_SESSION, access).status() == 200 ? 1 : 0;
					}
					return ok;
				});
			}
			int total = 0;
			for (Future<Integer> result : pool.invokeAll(tasks)) {
				total += result.get();
			}
			assertThat(total).isEqualTo(threads * 10);
			assertThat(pds.callCount(GET_SESSION)).isEqualTo(threads * 10);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void concurrentRefreshesOfOneTokenAllGetTheSameSuccessor() throws Exception {
		String refresh = xrpc.login("alice.test", "hunter2").text("refreshJwt");
		int threads = 16;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		Set<String> successors = ConcurrentHashMap.newKeySet();
		try {
			List<Callable<Integer>> tasks = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				tasks.add(() -> {
					Xrpc.Reply reply = xrpc.post("com.atproto.server.refreshSession", null, refresh);
					successors.add(Xrpc.jwtPayload(reply.text("refreshJwt")).get("jti").asString());
					return reply.status();
				});
			}
			for (Future<Integer> status : pool.invokeAll(tasks)) {
				assertThat(status.get()).isEqualTo(200);
			}
			assertThat(successors).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void keepsOnlyTheMostRecentCallsButCountsThemAll() {
		try (PdsDouble small = PdsDouble.builder().recordedCalls(2).start()) {
			Xrpc client = new Xrpc(small);
			client.get("com.atproto.server.getSession", null);
			client.get("com.atproto.repo.getRecord", null);
			client.post("com.atproto.server.refreshSession", null);
			assertThat(small.calls()).extracting(PdsDouble.RecordedCall::nsid)
				.containsExactly("com.atproto.repo.getRecord", "com.atproto.server.refreshSession");
			assertThat(small.totalCalls()).isEqualTo(3);
			assertThat(small.callCount("com.atproto.server.getSession")).isEqualTo(1);
		}
	}

}
