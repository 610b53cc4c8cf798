package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RepoTest {

	private static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	private PdsDouble pds;

	private Xrpc xrpc;

	private PdsDouble.Account alice;

	private String access;

	@BeforeEach
	void start() {
		pds = PdsDouble.builder().clock(MutableClock.at(java.time.Instant.parse("2025-06-01T12:00:00Z"))).start();
		alice = pds.createAccount("alice.test", "alice@example.com", "hunter2");
		pds.createAccount("bob.test", "bob@example.com", "pw");
		xrpc = new Xrpc(pds);
		access = xrpc.login("alice.test", "hunter2").text("accessJwt");
	}

	@AfterEach
	void stop() {
		pds.close();
	}

	private static Map<String, Object> post(String text) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("$type", "app.bsky.feed.post");
		record.put("text", text);
		record.put("createdAt", "2025-06-01T12:00:00.000Z");
		return record;
	}

	private Xrpc.Reply create(String repo, String collection, Object record) {
		return xrpc.post(CREATE_RECORD, Map.of("repo", repo, "collection", collection, "record", record), access);
	}

	@Test
	void createsAndReadsBackAPost() {
		Xrpc.Reply created = create(alice.did(), "app.bsky.feed.post", post("hello"));
		assertThat(created.status()).isEqualTo(200);
		String uri = created.text("uri");
		assertThat(uri).matches("at://" + alice.did() + "/app\\.bsky\\.feed\\.post/[2-7a-z]{13}");
		assertThat(created.text("cid")).matches("bafyrei[a-z2-7]{52}");
		assertThat(created.body().at("/commit/cid").asString()).startsWith("bafyrei");
		assertThat(created.body().at("/commit/rev").asString()).hasSize(13);
		assertThat(created.text("validationStatus")).isEqualTo("valid");

		String rkey = uri.substring(uri.lastIndexOf('/') + 1);
		Xrpc.Reply read = xrpc
			.get("com.atproto.repo.getRecord?repo=alice.test&collection=app.bsky.feed.post&rkey=" + rkey, null);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.text("uri")).isEqualTo(uri);
		assertThat(read.text("cid")).isEqualTo(created.text("cid"));
		assertThat(read.body().at("/value/text").asString()).isEqualTo("hello");
	}

	@Test
	void recordKeysAreUniqueAndSortableEvenWhenTheClockStandsStill() {
		String first = create("alice.test", "app.bsky.feed.post", post("one")).text("uri");
		String second = create("alice.test", "app.bsky.feed.post", post("two")).text("uri");
		assertThat(second).isNotEqualTo(first);
		assertThat(second.compareTo(first)).isPositive();
	}

	@Test
	void invalidRecordsAreRejectedWithTheFieldNamed() {
		Map<String, Object> noText = post("x");
		noText.remove("text");
		Xrpc.Reply missingText = create(alice.did(), "app.bsky.feed.post", noText);
		assertThat(missingText.status()).isEqualTo(400);
		assertThat(missingText.error()).isEqualTo("InvalidRequest");
		assertThat(missingText.message())
			.isEqualTo("Invalid app.bsky.feed.post record: Missing required key \"text\" at $.record");

		Map<String, Object> noDate = post("x");
		noDate.remove("createdAt");
		assertThat(create(alice.did(), "app.bsky.feed.post", noDate).message())
			.isEqualTo("Invalid app.bsky.feed.post record: Missing required key \"createdAt\" at $.record");

		Map<String, Object> noType = post("x");
		noType.remove("$type");
		// The reference PDS fills in a missing $type with the collection.
		Xrpc.Reply missingType = create(alice.did(), "app.bsky.feed.post", noType);
		assertThat(missingType.status()).isEqualTo(200);

		Xrpc.Reply otherRepo = create("bob.test", "app.bsky.feed.post", post("x"));
		assertThat(otherRepo.status()).isEqualTo(401);
		assertThat(otherRepo.error()).isEqualTo("AuthenticationRequired");
		Xrpc.Reply unknownRepo = create("nobody.test", "app.bsky.feed.post", post("x"));
		assertThat(unknownRepo.status()).isEqualTo(403);
		assertThat(unknownRepo.error()).isEqualTo("AccountNotFound");
		assertThat(unknownRepo.message()).isEqualTo("Account not found");
	}

	@Test
	void otherCollectionsAreUnknownToTheValidator() {
		Xrpc.Reply created = create(alice.did(), "com.example.thing", Map.of("$type", "com.example.thing", "n", 1));
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.text("validationStatus")).isEqualTo("unknown");
	}

	@Test
	void createRecordNeedsAValidAccessToken() {
		Xrpc.Reply none = xrpc.post(CREATE_RECORD,
				Map.of("repo", alice.did(), "collection", "app.bsky.feed.post", "record", post("x")), null);
		assertThat(none.status()).isEqualTo(401);
		assertThat(none.error()).isEqualTo("AuthMissing");
	}

	@Test
	void missingRecordIsRecordNotFound() {
		Xrpc.Reply reply = xrpc.get(
				"com.atproto.repo.getRecord?repo=" + alice.did() + "&collection=app.bsky.feed.post&rkey=3zzzzzzzzzzzz",
				null);
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error()).isEqualTo("RecordNotFound");
		assertThat(reply.message())
			.isEqualTo("Could not locate record: at://" + alice.did() + "/app.bsky.feed.post/3zzzzzzzzzzzz");
	}

	@Test
	void profileCountsPostsAndShowsTheProfileRecord() {
		create(alice.did(), "app.bsky.feed.post", post("one"));
		create(alice.did(), "app.bsky.feed.post", post("two"));
		Xrpc.Reply profileRecord = xrpc.post(CREATE_RECORD,
				Map.of("repo", alice.did(), "collection", "app.bsky.actor.profile", "rkey", "self", "record",
						Map.of("$type", "app.bsky.actor.profile", "displayName", "Alice", "description", "Hi")),
				access);
		assertThat(profileRecord.text("uri")).isEqualTo("at://" + alice.did() + "/app.bsky.actor.profile/self");

		Xrpc.Reply profile = xrpc.get("app.bsky.actor.getProfile?actor=alice.test", access);
		assertThat(profile.status()).isEqualTo(200);
		assertThat(profile.text("did")).isEqualTo(alice.did());
		assertThat(profile.text("handle")).isEqualTo("alice.test");
		assertThat(profile.text("displayName")).isEqualTo("Alice");
		assertThat(profile.text("description")).isEqualTo("Hi");
		assertThat(profile.body().get("postsCount").intValue()).isEqualTo(2);
		assertThat(profile.body().get("followersCount").intValue()).isZero();

		Xrpc.Reply bob = xrpc.get("app.bsky.actor.getProfile?actor=bob.test", access);
		assertThat(bob.body().has("displayName")).isFalse();
		assertThat(bob.body().get("postsCount").intValue()).isZero();

		Xrpc.Reply unknown = xrpc.get("app.bsky.actor.getProfile?actor=nobody.test", access);
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.error()).isEqualTo("InvalidRequest");
		assertThat(unknown.message()).isEqualTo("Profile not found");
	}

	@Test
	void aPdsWithoutAppViewCannotAnswerAppBsky() {
		try (PdsDouble lone = PdsDouble.builder().appView(false).start()) {
			lone.createAccount("alice.test", "alice@example.com", "pw");
			Xrpc client = new Xrpc(lone);
			String token = client.login("alice.test", "pw").text("accessJwt");
			Xrpc.Reply reply = client.get("app.bsky.actor.getProfile?actor=alice.test", token);
			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.rawBody()).isEqualTo(
					"{\"error\":\"InvalidRequest\",\"message\":\"No service configured for app.bsky.actor.getProfile\"}");
		}
	}

	@Test
	void uploadBlobAnswersTheBlobReferenceOfTheBytesAndNeedsAnAccessToken() throws Exception {
		byte[] image = { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3 };
		HttpResponse<String> uploaded = uploadBlob(image, access);
		HttpResponse<String> anonymous = uploadBlob(image, null);

		assertThat(uploaded.statusCode()).isEqualTo(200);
		JsonNode blob = Xrpc.JSON.readTree(uploaded.body()).path("blob");
		assertThat(blob.path("$type").asString()).isEqualTo("blob");
		// a blob's CID has the raw codec, as the reference PDS answers: "bafkrei..."
		assertThat(blob.at("/ref/$link").asString()).startsWith("bafkrei");
		assertThat(blob.path("mimeType").asString()).isEqualTo("image/png");
		assertThat(blob.path("size").asInt()).isEqualTo(image.length);
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> uploadBlob(byte[] content, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(pds.url() + "/xrpc/com.atproto.repo.uploadBlob"))
			.header("Content-Type", "image/png")
			.POST(HttpRequest.BodyPublishers.ofByteArray(content));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
