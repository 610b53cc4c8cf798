package io.github.atprotospring.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.imageio.ImageIO;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.bsky.ImageUpload;
import io.github.atprotospring.client.bsky.PostDraft;
import io.github.atprotospring.client.lexicon.AppBskyEmbedDefs;
import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyFeedLike;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.AppBskyGraphFollow;
import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;
import io.github.atprotospring.client.lexicon.AtUri;
import io.github.atprotospring.client.lexicon.Blob;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoGetRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoListRecords;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;
import io.github.atprotospring.client.lexicon.ComAtprotoSyncGetBlob;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Bluesky conveniences against the reference PDS: a post with a mention, a link, a
 * hashtag and an image, a reply, a like and a follow, read back through the typed repo
 * calls ({@code com.atproto.repo.getRecord}, {@code listRecords}) into the generated
 * types. Facet offsets are checked against what the PDS stored: the bytes each facet
 * spans in the stored text, encoded as UTF-8, must be the mention, link or tag.
 */
@ExtendWith(ReferencePdsExtension.class)
class BlueskyIT {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	@Test
	void postReplyLikeAndFollowReadBackAsTypedRecords(ReferencePds pds) {
		ReferencePds.Account alice = pds.createAccount();
		ReferencePds.Account bob = pds.createAccount();
		AtprotoClient aliceClient = login(pds, alice);
		AtprotoClient bobClient = login(pds, bob);
		byte[] png = png(96, 64);

		String text = "Hello @" + bob.handle() + "! Docs: https://example.com/docs?page=1. #atproto";
		ComAtprotoRepoStrongRef.Main post = aliceClient.bsky()
			.post(PostDraft.text(text)
				.image(ImageUpload.of(png, "image/png", "A blue rectangle with a white bar").withAspectRatio(96, 64))
				.langs("en")
				.build());
		ComAtprotoRepoStrongRef.Main reply = bobClient.bsky().reply(post, "Thanks, @" + alice.handle());
		ComAtprotoRepoStrongRef.Main replyToReply = aliceClient.bsky().reply(reply, "You're welcome");
		ComAtprotoRepoStrongRef.Main like = bobClient.bsky().like(post);
		ComAtprotoRepoStrongRef.Main follow = bobClient.bsky().follow(alice.did());

		// the post, as the PDS stored it
		ComAtprotoRepoGetRecord.Output read = getRecord(bobClient, post.uri());
		assertThat(read.uri()).isEqualTo(post.uri());
		assertThat(read.cid()).isEqualTo(post.cid());
		AppBskyFeedPost.Record stored = JSON.treeToValue(read.value(), AppBskyFeedPost.Record.class);
		assertRoundTrips(read.value(), AppBskyFeedPost.Record.class);
		assertThat(stored.text()).isEqualTo(text);
		assertThat(stored.langs()).containsExactly("en");
		assertThat(stored.facets()).containsExactly(
				facet(text, "@" + bob.handle(), AppBskyRichtextFacet.Mention.builder().did(bob.did()).build()),
				facet(text, "https://example.com/docs?page=1",
						AppBskyRichtextFacet.Link.builder().uri("https://example.com/docs?page=1").build()),
				facet(text, "#atproto", AppBskyRichtextFacet.Tag.builder().tag("atproto").build()));
		assertThat(spans(stored)).containsExactly("@" + bob.handle(), "https://example.com/docs?page=1", "#atproto");

		// its image: the blob the PDS keeps is the PNG, under the CID of its bytes
		AppBskyEmbedImages.Main images = (AppBskyEmbedImages.Main) stored.embed();
		assertThat(images.images()).singleElement().satisfies((image) -> {
			assertThat(image.alt()).isEqualTo("A blue rectangle with a white bar");
			assertThat(image.aspectRatio())
				.isEqualTo(AppBskyEmbedDefs.AspectRatio.builder().width(96).height(64).build());
			Blob blob = image.image();
			assertThat(blob.mimeType()).isEqualTo("image/png");
			assertThat(blob.size()).isEqualTo(png.length);
			// the double gives a blob the CID the reference PDS gives it
			assertThat(blob.ref().link()).isEqualTo(PdsDouble.blobCid(png));
			byte[] served = aliceClient.com()
				.atproto()
				.sync()
				.getBlob(ComAtprotoSyncGetBlob.Params.builder().did(alice.did()).cid(blob.ref().link()).build());
			assertThat(served).isEqualTo(png);
		});

		// the replies: both in the thread of the post
		ComAtprotoRepoGetRecord.Output readReply = getRecord(aliceClient, reply.uri());
		AppBskyFeedPost.Record storedReply = record(readReply, AppBskyFeedPost.Record.class);
		assertRoundTrips(readReply.value(), AppBskyFeedPost.Record.class);
		// as the official app writes them: facets with their $type, strong refs without
		assertThat(readReply.value().path("facets").path(0).path("$type").asString())
			.isEqualTo(AppBskyRichtextFacet.Main.TYPE);
		assertThat(readReply.value().path("reply").path("root").has("$type")).isFalse();
		assertThat(readReply.value().path("reply").path("parent").has("$type")).isFalse();
		assertThat(storedReply.reply().root()).isEqualTo(post);
		assertThat(storedReply.reply().parent()).isEqualTo(post);
		assertThat(storedReply.facets()).singleElement()
			.isEqualTo(facet(storedReply.text(), "@" + alice.handle(),
					AppBskyRichtextFacet.Mention.builder().did(alice.did()).build()));
		AppBskyFeedPost.Record storedSecond = record(getRecord(bobClient, replyToReply.uri()),
				AppBskyFeedPost.Record.class);
		assertThat(storedSecond.reply().root()).isEqualTo(post);
		assertThat(storedSecond.reply().parent()).isEqualTo(reply);

		// the like and the follow, listed from Bob's repository
		List<ComAtprotoRepoListRecords.Record> likes = listRecords(aliceClient, bob.did(), "app.bsky.feed.like");
		assertThat(likes).singleElement().satisfies((listed) -> {
			assertRoundTrips(listed.value(), AppBskyFeedLike.Record.class);
			assertThat(listed.uri()).isEqualTo(like.uri());
			assertThat(JSON.treeToValue(listed.value(), AppBskyFeedLike.Record.class).subject()).isEqualTo(post);
		});
		List<ComAtprotoRepoListRecords.Record> follows = listRecords(aliceClient, bob.did(), "app.bsky.graph.follow");
		assertThat(follows).singleElement().satisfies((listed) -> {
			assertRoundTrips(listed.value(), AppBskyGraphFollow.Record.class);
			assertThat(listed.uri()).isEqualTo(follow.uri());
			assertThat(JSON.treeToValue(listed.value(), AppBskyGraphFollow.Record.class).subject())
				.isEqualTo(alice.did());
		});

		// undone: the records are gone
		bobClient.bsky().unlike(like.uri());
		bobClient.bsky().unfollow(follow.uri());
		assertThat(listRecords(aliceClient, bob.did(), "app.bsky.feed.like")).isEmpty();
		assertThat(listRecords(aliceClient, bob.did(), "app.bsky.graph.follow")).isEmpty();
	}

	@Test
	void facetOffsetsInEmojiAndNonLatinTextMatchWhatThePdsStored(ReferencePds pds) {
		ReferencePds.Account alice = pds.createAccount();
		ReferencePds.Account bob = pds.createAccount();
		AtprotoClient client = login(pds, alice);
		String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
		// a handle no account has stays plain text
		String text = family + " 🇯🇵 こんにちは @" + bob.handle()
				+ " @nosuchaccount.test مرحبا #العربية नमस्ते #हिन्दी e\u0301 " + "https://example.com/東京 #日本語" + family
				+ " 👍🏽";

		ComAtprotoRepoStrongRef.Main post = client.bsky().post(text);

		AppBskyFeedPost.Record stored = record(getRecord(client, post.uri()), AppBskyFeedPost.Record.class);
		assertThat(stored.text()).isEqualTo(text);
		assertThat(spans(stored)).containsExactly("@" + bob.handle(), "#العربية", "#हिन्दी", "https://example.com/東京",
				"#日本語" + family);
		assertThat(stored.facets()).extracting((facet) -> facet.features().get(0))
			.containsExactly(AppBskyRichtextFacet.Mention.builder().did(bob.did()).build(),
					AppBskyRichtextFacet.Tag.builder().tag("العربية").build(),
					AppBskyRichtextFacet.Tag.builder().tag("हिन्दी").build(),
					AppBskyRichtextFacet.Link.builder().uri("https://example.com/東京").build(),
					AppBskyRichtextFacet.Tag.builder().tag("日本語" + family).build());
	}

	private static AtprotoClient login(ReferencePds pds, ReferencePds.Account account) {
		AtprotoClient client = pds.clientBuilder().build();
		client.login(account.handle(), account.password());
		return client;
	}

	private static ComAtprotoRepoGetRecord.Output getRecord(AtprotoClient client, AtUri uri) {
		return client.com()
			.atproto()
			.repo()
			.getRecord(ComAtprotoRepoGetRecord.Params.builder()
				.repo(uri.authority())
				.collection(uri.collection())
				.rkey(uri.rkey())
				.build());
	}

	private static <T> T record(ComAtprotoRepoGetRecord.Output read, Class<T> type) {
		return JSON.treeToValue(read.value(), type);
	}

	private static List<ComAtprotoRepoListRecords.Record> listRecords(AtprotoClient client, String repo,
			String collection) {
		return client.com()
			.atproto()
			.repo()
			.listRecords(ComAtprotoRepoListRecords.Params.builder().repo(repo).collection(collection).build())
			.records();
	}

	/** The facet expected where {@code spanned} first occurs in {@code text}. */
	private static AppBskyRichtextFacet.Main facet(String text, String spanned,
			AppBskyRichtextFacet.MainFeatures feature) {
		int index = text.indexOf(spanned);
		assertThat(index).as("'%s' in '%s'", spanned, text).isNotNegative();
		long byteStart = text.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
		long byteEnd = byteStart + spanned.getBytes(StandardCharsets.UTF_8).length;
		return AppBskyRichtextFacet.Main.builder()
			.lexiconType(AppBskyRichtextFacet.Main.TYPE)
			.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(byteStart).byteEnd(byteEnd).build())
			.features(List.of(feature))
			.build();
	}

	/** What each facet of a stored post spans: its bytes of the stored text, decoded. */
	private static List<String> spans(AppBskyFeedPost.Record post) {
		byte[] bytes = post.text().getBytes(StandardCharsets.UTF_8);
		return post.facets().stream().map((facet) -> {
			int start = Math.toIntExact(facet.index().byteStart());
			int end = Math.toIntExact(facet.index().byteEnd());
			return new String(bytes, start, end - start, StandardCharsets.UTF_8);
		}).toList();
	}

	/** A small real PNG, drawn now. */
	private static byte[] png(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setColor(new Color(0x1185fe));
			graphics.fillRect(0, 0, width, height);
			graphics.setColor(Color.WHITE);
			graphics.fillRect(width / 8, height / 2 - 4, width * 3 / 4, 8);
		}
		finally {
			graphics.dispose();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (!ImageIO.write(image, "png", out)) {
				throw new IllegalStateException("No PNG writer");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * A record as the PDS stored it, read into its generated type and written again, is
	 * the same JSON (compared as trees read from text, so that numbers compare by value).
	 */
	private static void assertRoundTrips(tools.jackson.databind.JsonNode stored, Class<?> type) {
		Object typed = JSON.treeToValue(stored, type);
		assertThat(JSON.readTree(JSON.writeValueAsString(typed))).isEqualTo(stored);
	}

}
