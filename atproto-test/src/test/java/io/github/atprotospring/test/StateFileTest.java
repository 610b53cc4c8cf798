package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StateFileTest {

	private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

	private static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	private static final String REFRESH = "com.atproto.server.refreshSession";

	private static final String GET_SESSION = "com.atproto.server.getSession";

	@TempDir
	Path dir;

	private final MutableClock clock = MutableClock.at(START);

	private PdsDouble.Builder builder(Path file) {
		return PdsDouble.builder().clock(clock).stateFile(file);
	}

	private static Map<String, Object> post(String text) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("$type", "app.bsky.feed.post");
		record.put("text", text);
		record.put("createdAt", "2025-06-01T12:00:00.000Z");
		return record;
	}

	private static Xrpc.Reply createPost(Xrpc xrpc, String did, String access, String text) {
		return xrpc.post(CREATE_RECORD, Map.of("repo", did, "collection", "app.bsky.feed.post", "record", post(text)),
				access);
	}

	private static String jti(String refreshJwt) {
		return Xrpc.jwtPayload(refreshJwt).get("jti").asString();
	}

	private static String rkey(String uri) {
		return uri.substring(uri.lastIndexOf('/') + 1);
	}

	@Test
	void aRestartedDoubleKeepsAccountsSessionsAndRecords() throws IOException {
		Path file = dir.resolve("state.json");
		PdsDouble.Account alice;
		String access;
		String refresh;
		Xrpc.Reply created;
		String successor;
		int port;
		String url;
		try (PdsDouble first = builder(file).start()) {
			port = first.port();
			url = first.url();
			alice = first.createAccount("alice.test", "alice@example.com", "hunter2");
			Xrpc xrpc = new Xrpc(first);
			Xrpc.Reply login = xrpc.login("alice.test", "hunter2");
			assertThat(login.status()).isEqualTo(200);
			access = login.text("accessJwt");
			refresh = login.text("refreshJwt");
			created = createPost(xrpc, alice.did(), access, "before the restart");
			assertThat(created.status()).isEqualTo(200);
		}

		String saved = Files.readString(file);
		assertThat(saved).contains(alice.did(), "alice.test", rkey(created.text("uri")))
			.doesNotContain("hunter2", access, refresh);
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files).containsExactly(file);
		}

		// The same port, as a demo server restarted by a newcomer would use.
		try (PdsDouble second = builder(file).port(port).start()) {
			assertThat(second.url()).isEqualTo(url);
			Xrpc xrpc = new Xrpc(second);

			Xrpc.Reply session = xrpc.get(GET_SESSION, access);
			assertThat(session.status()).isEqualTo(200);
			assertThat(session.text("did")).isEqualTo(alice.did());
			assertThat(session.text("handle")).isEqualTo("alice.test");

			Xrpc.Reply read = xrpc.get("com.atproto.repo.getRecord?repo=alice.test&collection=app.bsky.feed.post&rkey="
					+ rkey(created.text("uri")), null);
			assertThat(read.status()).isEqualTo(200);
			assertThat(read.text("uri")).isEqualTo(created.text("uri"));
			assertThat(read.text("cid")).isEqualTo(created.text("cid"));
			assertThat(read.body().at("/value/text").asString()).isEqualTo("before the restart");
			Xrpc.Reply profile = xrpc.get("app.bsky.actor.getProfile?actor=alice.test", access);
			assertThat(profile.body().get("postsCount").intValue()).isEqualTo(1);

			// The clock has not moved: record keys made now must still not collide with
			// saved ones.
			Xrpc.Reply again = createPost(xrpc, alice.did(), access, "after the restart");
			assertThat(again.status()).isEqualTo(200);
			assertThat(again.text("uri")).isGreaterThan(created.text("uri"));

			assertThat(second.findAccount("alice.test")).contains(alice);
			assertThat(second.findAccount("ALICE.test")).contains(alice);
			assertThat(second.findAccount(alice.did())).contains(alice);
			assertThat(second.findAccount("nobody.test")).isEmpty();
			assertThatThrownBy(() -> second.createAccount("alice.test", "other@example.com", "pw"))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("Handle already taken");
			Xrpc.Reply viaHttp = xrpc.post("com.atproto.server.createAccount",
					Map.of("handle", "alice.test", "email", "other@example.com", "password", "pw"));
			assertThat(viaHttp.status()).isEqualTo(400);
			assertThat(viaHttp.message()).isEqualTo("Handle already taken: alice.test");

			clock.advance(Duration.ofMinutes(1));
			Xrpc.Reply rotated = xrpc.post(REFRESH, null, refresh);
			assertThat(rotated.status()).isEqualTo(200);
			assertThat(rotated.text("did")).isEqualTo(alice.did());
			successor = jti(rotated.text("refreshJwt"));
			assertThat(successor).isNotEqualTo(jti(refresh));
			Xrpc.Reply reuse = xrpc.post(REFRESH, null, refresh);
			assertThat(reuse.status()).isEqualTo(200);
			assertThat(jti(reuse.text("refreshJwt"))).isEqualTo(successor);

			// The password survives as its digest; counters start afresh.
			assertThat(xrpc.login("alice@example.com", "hunter2").status()).isEqualTo(200);
			assertThat(xrpc.login("alice.test", "wrong").status()).isEqualTo(401);
			assertThat(second.callCount("com.atproto.server.createSession")).isEqualTo(2);
		}

		// The rotation itself was saved: after another restart a reuse within grace still
		// names the successor.
		clock.advance(Duration.ofMinutes(30));
		try (PdsDouble third = builder(file).port(port).start()) {
			Xrpc xrpc = new Xrpc(third);
			assertThat(third.totalCalls()).isZero();
			Xrpc.Reply reuse = xrpc.post(REFRESH, null, refresh);
			assertThat(reuse.status()).isEqualTo(200);
			assertThat(jti(reuse.text("refreshJwt"))).isEqualTo(successor);
			assertThat(xrpc.post(REFRESH, null, reuse.text("refreshJwt")).status()).isEqualTo(200);
			// The grace period still counts from the first use, made before this restart.
			clock.advance(Duration.ofMinutes(90));
			Xrpc.Reply late = xrpc.post(REFRESH, null, refresh);
			assertThat(late.status()).isEqualTo(400);
			assertThat(late.message()).isEqualTo("Token has been revoked");
		}
	}

	@Test
	void accountFlagsAndRevocationsSurviveARestart() {
		Path file = dir.resolve("state.json");
		String revoked;
		try (PdsDouble first = builder(file).start()) {
			first.takedown(first.createAccount("bob.test", "bob@example.com", "pw").did());
			first.deactivate(first.createAccount("carol.test", "carol@example.com", "pw").did());
			first.requireAuthFactor(first.createAccount("dave.test", "dave@example.com", "pw").did(), "123456");
			Xrpc xrpc = new Xrpc(first);
			// An account made over HTTP is saved as well.
			Xrpc.Reply erin = xrpc.post("com.atproto.server.createAccount",
					Map.of("handle", "erin.test", "email", "erin@example.com", "password", "pw"));
			assertThat(erin.status()).isEqualTo(200);
			revoked = erin.text("refreshJwt");
			assertThat(xrpc.post("com.atproto.server.deleteSession", null, revoked).status()).isEqualTo(200);
		}
		try (PdsDouble second = builder(file).start()) {
			Xrpc xrpc = new Xrpc(second);
			assertThat(xrpc.login("bob.test", "pw").error()).isEqualTo("AccountTakedown");
			assertThat(xrpc.login("carol.test", "pw").error()).isEqualTo("AccountDeactivated");
			assertThat(xrpc.login("dave.test", "pw").error()).isEqualTo("AuthFactorTokenRequired");
			assertThat(xrpc
				.post("com.atproto.server.createSession",
						Map.of("identifier", "dave.test", "password", "pw", "authFactorToken", "123456"))
				.status()).isEqualTo(200);
			assertThat(xrpc.login("erin.test", "pw").status()).isEqualTo(200);
			Xrpc.Reply refresh = xrpc.post(REFRESH, null, revoked);
			assertThat(refresh.status()).isEqualTo(400);
			assertThat(refresh.message()).isEqualTo("Token has been revoked");
		}
	}

	@Test
	void theSavedSecretIsUsedUnlessOneIsConfigured() {
		Path file = dir.resolve("state.json");
		String secret;
		String access;
		try (PdsDouble first = builder(file).start()) {
			secret = first.jwtSecret();
			first.createAccount("alice.test", "alice@example.com", "pw");
			access = new Xrpc(first).login("alice.test", "pw").text("accessJwt");
		}
		try (PdsDouble second = builder(file).start()) {
			assertThat(second.jwtSecret()).isEqualTo(secret);
		}
		try (PdsDouble configured = builder(file).jwtSecret("explicit").start()) {
			assertThat(configured.jwtSecret()).isEqualTo("explicit");
			Xrpc.Reply refused = new Xrpc(configured).get(GET_SESSION, access);
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.error()).isEqualTo("InvalidToken");
		}
		try (PdsDouble after = builder(file).start()) {
			assertThat(after.jwtSecret()).isEqualTo("explicit");
		}
	}

	@Test
	void theFileIsWrittenAtStartInANewDirectoryAndHoldsNoPlainPassword() throws IOException {
		Path file = dir.resolve("a/b/state.json");
		try (PdsDouble pds = builder(file).start()) {
			assertThat(pds.stateFile()).contains(file);
			assertThat(file).exists();
			pds.createAccount("alice.test", "alice@example.com", "hunter2");
			JsonNode saved = Xrpc.JSON.readTree(file.toFile());
			assertThat(saved.get("version").intValue()).isEqualTo(1);
			assertThat(saved.get("jwtSecret").asString()).isEqualTo(pds.jwtSecret());
			assertThat(saved.at("/accounts/0/handle").asString()).isEqualTo("alice.test");
			assertThat(saved.at("/accounts/0/passwordSha256").asString()).isNotBlank();
			assertThat(saved.toString()).doesNotContain("hunter2");
			try (Stream<Path> files = Files.list(file.getParent())) {
				assertThat(files).containsExactly(file);
			}
		}
		try (PdsDouble inMemory = PdsDouble.builder().start()) {
			assertThat(inMemory.stateFile()).isEmpty();
		}
	}

	/** Sends all requests at once and returns the answers in order. */
	private static List<JsonNode> concurrently(PdsDouble pds, String nsid, byte[] body, List<String> bearers) {
		HttpClient http = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
		for (String bearer : bearers) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/" + nsid));
			if (body != null) {
				request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
			}
			else {
				request.POST(HttpRequest.BodyPublishers.noBody());
			}
			if (bearer != null) {
				request.header("Authorization", "Bearer " + bearer);
			}
			pending.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
		}
		List<JsonNode> answers = new ArrayList<>();
		for (CompletableFuture<HttpResponse<String>> answer : pending) {
			HttpResponse<String> response = answer.join();
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			answers.add(Xrpc.JSON.readTree(response.body()));
		}
		return answers;
	}

	@Test
	void concurrentChangesAreAllSaved() {
		Path file = dir.resolve("state.json");
		byte[] login = "{\"identifier\":\"alice.test\",\"password\":\"pw\"}".getBytes(StandardCharsets.UTF_8);
		List<String> refreshTokens = new ArrayList<>();
		List<String> successors = new ArrayList<>();
		try (PdsDouble first = builder(file).start()) {
			first.createAccount("alice.test", "alice@example.com", "pw");
			for (JsonNode session : concurrently(first, "com.atproto.server.createSession", login,
					Collections.nCopies(40, null))) {
				refreshTokens.add(session.get("refreshJwt").asString());
			}
		}
		try (PdsDouble second = builder(file).start()) {
			// Every login made it into the file, and so does every rotation made now.
			for (JsonNode session : concurrently(second, REFRESH, null, refreshTokens)) {
				successors.add(jti(session.get("refreshJwt").asString()));
			}
		}
		try (PdsDouble third = builder(file).start()) {
			List<String> again = new ArrayList<>();
			for (JsonNode session : concurrently(third, REFRESH, null, refreshTokens)) {
				again.add(jti(session.get("refreshJwt").asString()));
			}
			assertThat(again).isEqualTo(successors).doesNotHaveDuplicates();
		}
	}

	@Test
	void aCorruptStateFileFailsStartNamingTheFile() throws IOException {
		Path file = dir.resolve("state.json");
		try (PdsDouble pds = builder(file).start()) {
			pds.createAccount("alice.test", "alice@example.com", "pw");
		}
		String whole = Files.readString(file);
		ObjectNode laterVersion = (ObjectNode) Xrpc.JSON.readTree(whole);
		laterVersion.put("version", 99);
		ObjectNode badDigest = (ObjectNode) Xrpc.JSON.readTree(whole);
		((ObjectNode) badDigest.get("accounts").get(0)).put("passwordSha256", "not base64!");
		ObjectNode noRecords = (ObjectNode) Xrpc.JSON.readTree(whole);
		noRecords.remove("records");
		for (String content : new String[] { whole.substring(0, whole.length() / 2), "", "[]", "{\"version\":1}",
				laterVersion.toString(), badDigest.toString(), noRecords.toString() }) {
			Files.writeString(file, content);
			assertThatThrownBy(() -> builder(file).start()).as(content)
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining(file.toString())
				.hasMessageContaining("is corrupt")
				.hasMessageContaining("delete it");
		}
		Files.delete(file);
		try (PdsDouble fresh = builder(file).start()) {
			assertThat(fresh.findAccount("alice.test")).isEmpty();
		}
	}

	@Test
	void aFixedPortIsUsed() throws IOException {
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			port = probe.getLocalPort();
		}
		try (PdsDouble pds = PdsDouble.builder().port(port).start()) {
			assertThat(pds.port()).isEqualTo(port);
			assertThat(pds.url()).isEqualTo("http://127.0.0.1:" + port);
			assertThat(new Xrpc(pds).get("_health", null).status()).isEqualTo(200);
		}
	}

	@Test
	void aBusyPortFailsStartNamingThePort() throws IOException {
		try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			int port = busy.getLocalPort();
			assertThatThrownBy(() -> PdsDouble.builder().port(port).start()).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("127.0.0.1:" + port)
				.hasMessageContaining("already in use");
		}
		assertThatThrownBy(() -> PdsDouble.builder().port(65536)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> PdsDouble.builder().port(-1)).isInstanceOf(IllegalArgumentException.class);
	}

}
