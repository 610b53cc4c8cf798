package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.atprotospring.client.RawHttpServer.Answer;
import io.github.atprotospring.client.RawHttpServer.Request;
import io.github.atprotospring.client.lexicon.AppBskyActorDefs;
import io.github.atprotospring.client.lexicon.AppBskyActorGetProfile;
import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyFeedGetPosts;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.AtUri;
import io.github.atprotospring.client.lexicon.ChatBskyConvoListConvos;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoCreateRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoGetRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoUploadBlob;
import io.github.atprotospring.client.lexicon.ComAtprotoSyncGetBlob;
import io.github.atprotospring.client.lexicon.Datetime;
import io.github.atprotospring.test.HostilePds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The generated calls on a client: typed records written and read back through the PDS
 * double, a blob uploaded as bytes, and the session handled as for every other call. The
 * transport details a double does not show (proxy header, repeated parameters, bytes
 * answered) are checked on a raw HTTP server.
 */
class TypedCallsTests extends PdsDoubleSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	private static final String REFRESH = "com.atproto.server.refreshSession";

	@Test
	void aTypedPostIsCreatedAndReadBackThroughTheRepoCalls() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		byte[] png = "\u0089PNG not really an image".getBytes(StandardCharsets.ISO_8859_1);

		ComAtprotoRepoUploadBlob.Output upload = client.com().atproto().repo().uploadBlob(png, "image/png");
		AppBskyFeedPost.Record post = AppBskyFeedPost.Record.builder()
			.text("Hello from the typed API 🦋")
			.createdAt(Datetime.now(this.clock))
			.langs(List.of("en"))
			.embed(AppBskyEmbedImages.Main.builder()
				.images(List.of(AppBskyEmbedImages.Image.builder().image(upload.blob()).alt("not an image").build()))
				.build())
			.build();
		ComAtprotoRepoCreateRecord.Output created = client.com()
			.atproto()
			.repo()
			.createRecord(ComAtprotoRepoCreateRecord.Input.builder()
				.repo(this.did)
				.collection(AppBskyFeedPost.Record.TYPE)
				.record(JSON.valueToTree(post))
				.build());
		ComAtprotoRepoGetRecord.Output read = client.com()
			.atproto()
			.repo()
			.getRecord(ComAtprotoRepoGetRecord.Params.builder()
				.repo(this.did)
				.collection(created.uri().collection())
				.rkey(created.uri().rkey())
				.build());

		assertThat(upload.blob().mimeType()).isEqualTo("image/png");
		assertThat(upload.blob().size()).isEqualTo(png.length);
		assertThat(created.uri().authority()).isEqualTo(this.did);
		assertThat(created.validationStatus()).isEqualTo("valid");
		assertThat(read.uri()).isEqualTo(created.uri());
		assertThat(read.cid()).isEqualTo(created.cid());
		assertThat(JSON.treeToValue(read.value(), AppBskyFeedPost.Record.class)).isEqualTo(post);
		assertThat(read.value().path("$type").asString()).isEqualTo("app.bsky.feed.post");
	}

	@Test
	void aQueryWhoseOutputIsARefReturnsTheReferencedView() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);

		AppBskyActorDefs.ProfileViewDetailed profile = client.app()
			.bsky()
			.actor()
			.getProfile(AppBskyActorGetProfile.Params.builder().actor(HANDLE).build());

		assertThat(profile.did()).isEqualTo(this.did);
		assertThat(profile.handle()).isEqualTo(HANDLE);
	}

	@Test
	void aTypedCallRefreshesAnExpiredSessionAsEveryCallDoes() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(3));

		client.com().atproto().server().getSession();

		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void anErrorAnswerIsTheClientsXrpcException() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);

		assertThatExceptionOfType(XrpcException.class)
			.isThrownBy(() -> client.com()
				.atproto()
				.repo()
				.createRecord(ComAtprotoRepoCreateRecord.Input.builder()
					.repo(this.did)
					.collection("app.bsky.feed.post")
					.record(JSON.createObjectNode().put("$type", "app.bsky.feed.like"))
					.build()))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo("InvalidRequest"));
		assertThat(this.pds.callCount(CREATE_RECORD)).isEqualTo(1);
	}

	@Test
	void chatCallsAreProxiedToTheChatServiceAndOthersAreNot() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> Answer.json(200, "{\"convos\":[]}"))) {
			AtprotoClient client = rawClient(server);

			ChatBskyConvoListConvos.Output convos = client.chat().bsky().convo().listConvos();
			client.app().bsky().feed().getTimeline();
			client.chat().withProxy("did:web:chat.example.com#bsky_chat").bsky().convo().listConvos();

			assertThat(convos.convos()).isEmpty();
			assertThat(server.requests()).extracting((request) -> request.header("atproto-proxy"))
				.containsExactly("did:web:api.bsky.chat#bsky_chat", null, "did:web:chat.example.com#bsky_chat");
		}
	}

	@Test
	void listParametersAreRepeatedAndBytesAreSentAndAnsweredAsTheyAre() throws Exception {
		try (RawHttpServer server = new RawHttpServer((request) -> request.path().contains("getBlob")
				? new Answer(200, java.util.Map.of("Content-Type", "application/octet-stream"), "raw blob bytes", false)
				: Answer.json(200, "{\"posts\":[],\"blob\":{\"$type\":\"blob\",\"ref\":{\"$link\":\"bafkreia\"},"
						+ "\"mimeType\":\"image/webp\",\"size\":3}}"))) {
			AtprotoClient client = rawClient(server);

			client.app()
				.bsky()
				.feed()
				.getPosts(AppBskyFeedGetPosts.Params.builder()
					.uris(List.of(AtUri.of(this.did, "app.bsky.feed.post", "1"),
							AtUri.of(this.did, "app.bsky.feed.post", "2")))
					.build());
			client.com().atproto().repo().uploadBlob(new byte[] { 1, 2, 3 }, "image/webp");
			byte[] blob = client.com()
				.atproto()
				.sync()
				.getBlob(ComAtprotoSyncGetBlob.Params.builder().did(this.did).cid("bafkreia").build());

			List<Request> requests = server.requests();
			assertThat(requests.get(0).path()).isEqualTo("/xrpc/app.bsky.feed.getPosts?uris=at://" + this.did
					+ "/app.bsky.feed.post/1&uris=at://" + this.did + "/app.bsky.feed.post/2");
			assertThat(requests.get(1).method()).isEqualTo("POST");
			assertThat(requests.get(1).header("Content-Type")).isEqualTo("image/webp");
			assertThat(requests.get(1).body()).containsExactly(1, 2, 3);
			assertThat(new String(blob, StandardCharsets.UTF_8)).isEqualTo("raw blob bytes");
			assertThat(requests.get(2).header("Accept")).isEqualTo("*/*");
		}
	}

	/** A client with a session on the raw server, taken over without a call. */
	private AtprotoClient rawClient(RawHttpServer server) {
		long now = this.clock.instant().getEpochSecond();
		String token = HostilePds.jwt(now, now + Duration.ofHours(2).toSeconds());
		AtprotoClient client = AtprotoClient.builder().service(server.url()).clock(this.clock).build();
		client.importSession(new Session(HANDLE, this.did, token, token, server.url()));
		return client;
	}

}
