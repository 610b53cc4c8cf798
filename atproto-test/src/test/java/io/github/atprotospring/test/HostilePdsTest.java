package io.github.atprotospring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HostilePdsTest {

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final HostilePds pds = HostilePds.builder().maxStall(Duration.ofSeconds(30)).start();

	@AfterEach
	void close() {
		this.pds.close();
	}

	@Test
	void recordsEveryHeaderAndTheBodyOfWhatItReceives() throws Exception {
		this.pds.on("com.atproto.server.createSession", Answer.json(401, "{\"error\":\"AuthenticationRequired\"}"));
		HttpResponse<String> response = this.http
			.send(post("com.atproto.server.createSession", "{\"password\":\"hunter2\"}")
				.header("Authorization", "Bearer token-1")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("AuthenticationRequired");
		assertThat(this.pds.requests()).singleElement().satisfies((request) -> {
			assertThat(request.nsid()).isEqualTo("com.atproto.server.createSession");
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.header("authorization")).contains("Bearer token-1");
			assertThat(request.bodyText()).isEqualTo("{\"password\":\"hunter2\"}");
		});
		assertThat(this.pds.received("hunter2")).isTrue();
		assertThat(this.pds.received("token-1")).isTrue();
		assertThat(this.pds.received("other")).isFalse();
	}

	@Test
	void redirectsAndAnswersHeadersOfAnyValue() throws Exception {
		this.pds.on("a", Answer.redirect(307, "http://127.0.0.1:1/xrpc/a"));
		this.pds.on("b", Answer.rateLimited(Map.of("RateLimit-Reset", "9223372036854775807")));
		HttpResponse<String> redirect = this.http.send(get("a"), HttpResponse.BodyHandlers.ofString());
		assertThat(redirect.statusCode()).isEqualTo(307);
		assertThat(redirect.headers().firstValue("Location")).contains("http://127.0.0.1:1/xrpc/a");
		HttpResponse<String> limited = this.http.send(get("b"), HttpResponse.BodyHandlers.ofString());
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("RateLimit-Reset")).contains("9223372036854775807");
		assertThat(this.pds.requestCount()).isEqualTo(2);
	}

	@Test
	void anUnknownMethodIsNotImplemented() throws Exception {
		HttpResponse<String> response = this.http.send(get("x.y.z"), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("MethodNotImplemented");
	}

	@Test
	void aStallNeverAnswersAndEndsWhenTheServerCloses() throws Exception {
		this.pds.on("slow", Answer.stall());
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/slow"))
			.timeout(Duration.ofMillis(300))
			.build();
		assertThatExceptionOfType(HttpTimeoutException.class)
			.isThrownBy(() -> this.http.send(request, HttpResponse.BodyHandlers.ofString()));
		try (Socket socket = new Socket("127.0.0.1", this.pds.port())) {
			socket.getOutputStream().write(rawGet("slow"));
			socket.getOutputStream().flush();
			this.pds.close();
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(liveThreads()).isZero();
	}

	@Test
	void aStalledBodySendsItsHeadAndStops() throws Exception {
		this.pds.on("slow", Answer.stallBody(200));
		HttpResponse<InputStream> response = this.http.send(get("slow"), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(1024 * 1024);
		try (InputStream body = response.body()) {
			assertThat(body.readNBytes(2)).isEqualTo("{\"".getBytes(StandardCharsets.US_ASCII));
			this.pds.close();
			assertThatExceptionOfType(IOException.class).isThrownBy(body::readAllBytes);
		}
	}

	@Test
	void aHugeBodyIsStreamedAndStopsWhenTheClientHangsUp() throws Exception {
		long size = 2L * 1024 * 1024 * 1024;
		this.pds.on("huge", Answer.hugeBody(500, size));
		HttpResponse<InputStream> response = this.http.send(get("huge"), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
		try (InputStream body = response.body()) {
			byte[] start = body.readNBytes(1024 * 1024);
			assertThat(new String(start, 0, 16, StandardCharsets.US_ASCII)).isEqualTo("{\"items\":[{},{},");
		}
		// The next request is answered at once: the huge answer's thread has given up.
		this.pds.on("ok", Answer.json(200, "{}"));
		assertThat(this.http.send(get("ok"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
		this.pds.close();
		assertThat(liveThreads()).isZero();
		assertThat(this.pds.bodyBytesSent()).isGreaterThanOrEqualTo(1024 * 1024).isLessThan(size);
	}

	@Test
	void aHugeChunkedBodyDeclaresNoLength() throws Exception {
		long size = 2L * 1024 * 1024 * 1024;
		this.pds.on("huge", Answer.hugeChunkedBody(200, size));
		HttpResponse<InputStream> response = this.http.send(get("huge"), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Length")).isEmpty();
		assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
		try (InputStream body = response.body()) {
			assertThat(body.readNBytes(3 * 1024 * 1024)).hasSize(3 * 1024 * 1024);
		}
		this.pds.close();
		assertThat(this.pds.bodyBytesSent()).isLessThan(size);
	}

	@Test
	void aCutOffAnswerClosesTheConnectionInTheBody() throws Exception {
		this.pds.on("cut", Answer.cutOff(200));
		HttpResponse<InputStream> response = this.http.send(get("cut"), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		try (InputStream body = response.body()) {
			assertThatExceptionOfType(IOException.class).isThrownBy(body::readAllBytes);
		}
	}

	@Test
	void anEchoRepeatsTheCredentialsItWasSent() throws Exception {
		this.pds.on("e", Answer.echo(400));
		this.pds.on("r", Answer.echo(302));
		HttpResponse<String> error = this.http.send(
				post("e", "{\"password\":\"hunter2\"}").header("Authorization", "Bearer token-1").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(error.statusCode()).isEqualTo(400);
		assertThat(error.body()).contains("Bearer token-1", "hunter2");
		HttpResponse<String> redirect = this.http.send(HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/r"))
			.header("Authorization", "Bearer token-2")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(redirect.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).startsWith("http://127.0.0.1:1/").contains("token-2"));
	}

	@Test
	void aRequestHeadBeyondItsLimitEndsTheConnection() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.pds.port())) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /xrpc/a HTTP/1.1\r\nX-Long: " + "x".repeat(70 * 1024)).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(this.pds.requestCount()).isZero();
	}

	@Test
	void closingStopsListeningAndEndsEveryThread() throws Exception {
		int port = this.pds.port();
		this.pds.close();
		this.pds.close();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> new Socket("127.0.0.1", port).close());
		assertThat(liveThreads()).isZero();
	}

	@Test
	void tokensAndDidDocumentsCanBeMadeWithAnyClaims() {
		String token = HostilePds.jwt("{\"exp\":1.5e9}");
		assertThat(token.split("\\.")).hasSize(3);
		assertThat(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
			.isEqualTo("{\"exp\":1.5e9}");
		assertThat(HostilePds.jwt(1, 2)).isNotEqualTo(HostilePds.jwt(1, 2));
		String doc = HostilePds.didDoc("did:plc:other", "#atproto_pds", "AtprotoPersonalDataServer", "http://x");
		assertThat(HostilePds.sessionJson("did:plc:a", "a.test", "A", "R", doc)).contains("\"id\":\"did:plc:other\"",
				"\"serviceEndpoint\":\"http://x\"", "\"accessJwt\":\"A\"");
	}

	/**
	 * The server's threads still alive once each has had a bounded chance to finish: a
	 * pool's worker can outlive the pool's termination by a moment.
	 */
	private long liveThreads() throws InterruptedException {
		List<Thread> threads = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(this.pds.threadNamePrefix()))
			.toList();
		for (Thread thread : threads) {
			thread.join(5000);
		}
		return threads.stream().filter(Thread::isAlive).count();
	}

	private HttpRequest get(String nsid) {
		return HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/" + nsid)).build();
	}

	private HttpRequest.Builder post(String nsid, String body) {
		return HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/" + nsid))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
	}

	private static byte[] rawGet(String nsid) {
		return ("GET /xrpc/" + nsid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
	}

}
