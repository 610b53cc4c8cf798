package io.github.atprotospring.client.bsky;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.lexicon.AppBskyEmbedDefs;
import io.github.atprotospring.client.lexicon.AppBskyEmbedExternal;
import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyEmbedRecord;
import io.github.atprotospring.client.lexicon.AppBskyEmbedRecordWithMedia;
import io.github.atprotospring.client.lexicon.AppBskyFeedLike;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.AppBskyFeedRepost;
import io.github.atprotospring.client.lexicon.AppBskyGraphFollow;
import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;
import io.github.atprotospring.client.lexicon.AtUri;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;
import io.github.atprotospring.client.lexicon.Datetime;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The Bluesky conveniences against the PDS double: what each writes to the repository,
 * read back as typed records.
 */
class BlueskyTests {

	private static final String PASSWORD = "hunter2-app-password";

	private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	private PdsDouble pds;

	private PdsDouble.Account alice;

	private PdsDouble.Account bob;

	private Bluesky bsky;

	@BeforeEach
	void startPds() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.alice = this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		this.bob = this.pds.createAccount("bob.test", "bob@example.com", PASSWORD);
		this.bsky = client(this.alice).bsky();
	}

	@AfterEach
	void stopPds() {
		this.pds.close();
	}

	private AtprotoClient client(PdsDouble.Account account) {
		AtprotoClient client = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		client.login(account.handle(), PASSWORD);
		return client;
	}

	private AppBskyFeedPost.Record read(ComAtprotoRepoStrongRef.Main ref) {
		RepoRecord<AppBskyFeedPost.Record> read = this.bsky.getRecord(ref.uri(), AppBskyFeedPost.Record.class);
		assertThat(read.uri()).isEqualTo(ref.uri());
		assertThat(read.cid()).isEqualTo(ref.cid());
		return read.value();
	}

	private static AppBskyRichtextFacet.Main facet(String text, String spanned,
			AppBskyRichtextFacet.MainFeatures feature) {
		int index = text.indexOf(spanned);
		long byteStart = text.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
		long byteEnd = byteStart + spanned.getBytes(StandardCharsets.UTF_8).length;
		return AppBskyRichtextFacet.Main.builder()
			.lexiconType(AppBskyRichtextFacet.Main.TYPE)
			.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(byteStart).byteEnd(byteEnd).build())
			.features(List.of(feature))
			.build();
	}

	// --- posts

	@Test
	void postTurnsMentionsLinksAndTagsIntoFacets() {
		String text = "🙂 Hi @bob.test and @nobody.test, see https://example.com/docs. #日本語";
		ComAtprotoRepoStrongRef.Main post = this.bsky.post(text);

		assertThat(post.uri().authority()).isEqualTo(this.alice.did());
		assertThat(post.uri().collection()).isEqualTo(Bluesky.POST);
		AppBskyFeedPost.Record record = read(post);
		assertThat(record.text()).isEqualTo(text);
		assertThat(record.createdAt()).isEqualTo(Datetime.of(this.clock.instant()));
		assertThat(record.facets()).containsExactly(
				facet(text, "@bob.test", AppBskyRichtextFacet.Mention.builder().did(this.bob.did()).build()),
				facet(text, "https://example.com/docs",
						AppBskyRichtextFacet.Link.builder().uri("https://example.com/docs").build()),
				facet(text, "#日本語", AppBskyRichtextFacet.Tag.builder().tag("日本語").build()));
		assertThat(record.reply()).isNull();
		assertThat(record.embed()).isNull();
	}

	@Test
	void postOfPlainTextHasNoFacets() {
		AppBskyFeedPost.Record record = read(this.bsky.post("plain words"));
		assertThat(record.facets()).isNull();
	}

	@Test
	void postWithARichTextKeepsItsFacetsAndResolvesNothing() {
		RichText text = new TextBuilder().text("Hello ")
			.mention("Bob", this.bob.did())
			.text(" 👩‍👩‍👧 ")
			.link("docs", "https://example.com")
			.build();
		AppBskyFeedPost.Record record = read(this.bsky.post(PostDraft.richText(text).langs("en", "ja").build()));
		assertThat(record.text()).isEqualTo("Hello Bob 👩‍👩‍👧 docs");
		assertThat(record.facets()).isEqualTo(text.facets());
		assertThat(record.langs()).containsExactly("en", "ja");
		assertThat(this.pds.callCount("com.atproto.identity.resolveHandle")).isZero();
	}

	@Test
	void mentionsOfOneHandleResolveItOnce() {
		String text = "@bob.test @bob.test";
		AppBskyFeedPost.Record record = read(this.bsky.post(text));
		assertThat(record.facets()).hasSize(2);
		assertThat(this.pds.callCount("com.atproto.identity.resolveHandle")).isOne();
	}

	// --- replies

	@Test
	void replyToAPostHasThePostAsRootAndParent() {
		ComAtprotoRepoStrongRef.Main root = this.bsky.post("root");
		ComAtprotoRepoStrongRef.Main reply = client(this.bob).bsky().reply(root, "first reply");

		assertThat(reply.uri().authority()).isEqualTo(this.bob.did());
		AppBskyFeedPost.Record record = read(reply);
		assertThat(record.reply().root()).isEqualTo(root);
		assertThat(record.reply().parent()).isEqualTo(root);
	}

	@Test
	void replyToAReplyKeepsTheThreadsRoot() {
		ComAtprotoRepoStrongRef.Main root = this.bsky.post("root");
		ComAtprotoRepoStrongRef.Main first = client(this.bob).bsky().reply(root, "first reply");
		ComAtprotoRepoStrongRef.Main second = this.bsky.reply(first, "second reply");

		AppBskyFeedPost.Record record = read(second);
		assertThat(record.reply().root()).isEqualTo(root);
		assertThat(record.reply().parent()).isEqualTo(first);
	}

	// --- embeds

	@Test
	void quoteEmbedsTheQuotedPost() {
		ComAtprotoRepoStrongRef.Main quoted = this.bsky.post("quoted");
		AppBskyFeedPost.Record record = read(this.bsky.quote(quoted, "look at this"));
		assertThat(record.embed()).isEqualTo(AppBskyEmbedRecord.Main.builder().record(quoted).build());
	}

	@Test
	void imagesAreUploadedThenEmbeddedWithAltTextAndAspectRatio() {
		byte[] first = "first image bytes".getBytes(StandardCharsets.UTF_8);
		byte[] second = "second".getBytes(StandardCharsets.UTF_8);
		AppBskyFeedPost.Record record = read(this.bsky.postImages("two images",
				List.of(ImageUpload.of(first, "image/png", "A red square").withAspectRatio(640, 480),
						ImageUpload.of(second, "image/jpeg", null))));

		assertThat(this.pds.callCount("com.atproto.repo.uploadBlob")).isEqualTo(2);
		AppBskyEmbedImages.Main embed = (AppBskyEmbedImages.Main) record.embed();
		assertThat(embed.images()).hasSize(2);
		AppBskyEmbedImages.Image image = embed.images().get(0);
		assertThat(image.alt()).isEqualTo("A red square");
		assertThat(image.aspectRatio())
			.isEqualTo(AppBskyEmbedDefs.AspectRatio.builder().width(640).height(480).build());
		assertThat(image.image().mimeType()).isEqualTo("image/png");
		assertThat(image.image().size()).isEqualTo(first.length);
		assertThat(image.image().ref().link()).startsWith("bafkrei");
		assertThat(embed.images().get(1).alt()).isEmpty();
		assertThat(embed.images().get(1).aspectRatio()).isNull();
		assertThat(embed.images().get(1).image().mimeType()).isEqualTo("image/jpeg");
	}

	@Test
	void moreThanFourImagesAreRefusedBeforeAnyUpload() {
		ImageUpload image = ImageUpload.of(new byte[] { 1 }, "image/png", "x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.bsky.postImages("five", List.of(image, image, image, image, image)))
			.withMessageContaining("at most 4 images");
		assertThat(this.pds.callCount("com.atproto.repo.uploadBlob")).isZero();
	}

	@Test
	void externalCardWithAThumbnail() {
		byte[] thumb = "thumbnail".getBytes(StandardCharsets.UTF_8);
		AppBskyFeedPost.Record record = read(this.bsky.postExternal("a link card", new ExternalCard(
				"https://example.com", "Example", "An example page", ImageUpload.of(thumb, "image/jpeg", null))));

		AppBskyEmbedExternal.External external = ((AppBskyEmbedExternal.Main) record.embed()).external();
		assertThat(external.uri()).isEqualTo("https://example.com");
		assertThat(external.title()).isEqualTo("Example");
		assertThat(external.description()).isEqualTo("An example page");
		assertThat(external.thumb().size()).isEqualTo(thumb.length);
	}

	@Test
	void quoteWithImagesIsARecordWithMedia() {
		ComAtprotoRepoStrongRef.Main quoted = this.bsky.post("quoted");
		AppBskyFeedPost.Record record = read(this.bsky.post(PostDraft.text("quote and image")
			.quote(quoted)
			.image(ImageUpload.of(new byte[] { 1, 2, 3 }, "image/png", "dots"))
			.build()));

		AppBskyEmbedRecordWithMedia.Main embed = (AppBskyEmbedRecordWithMedia.Main) record.embed();
		assertThat(embed.record().record()).isEqualTo(quoted);
		assertThat(((AppBskyEmbedImages.Main) embed.media()).images()).singleElement()
			.satisfies((image) -> assertThat(image.alt()).isEqualTo("dots"));
	}

	@Test
	void recordsAreWrittenAsTheOfficialAppWritesThem() {
		ComAtprotoRepoStrongRef.Main root = this.bsky.post("root");
		ComAtprotoRepoStrongRef.Main quoted = this.bsky.post("quoted");
		Bluesky bobs = client(this.bob).bsky();
		ComAtprotoRepoStrongRef.Main reply = bobs
			.post(PostDraft.text("@alice.test look").replyTo(root).quote(quoted).build());
		ComAtprotoRepoStrongRef.Main like = bobs.like(root);

		assertThat(root.lexiconType()).as("the refs returned").isNull();
		JsonNode post = bobs.getRecord(reply.uri(), JsonNode.class).value();
		assertThat(post.path("$type").asString()).isEqualTo("app.bsky.feed.post");
		assertThat(post.path("facets").path(0).path("$type").asString()).isEqualTo("app.bsky.richtext.facet");
		assertThat(post.path("facets").path(0).path("features").path(0).path("$type").asString())
			.isEqualTo("app.bsky.richtext.facet#mention");
		assertThat(post.path("reply").path("root").has("$type")).isFalse();
		assertThat(post.path("reply").path("parent").has("$type")).isFalse();
		assertThat(post.path("embed").path("$type").asString()).isEqualTo("app.bsky.embed.record");
		assertThat(post.path("embed").path("record").has("$type")).isFalse();
		JsonNode likeRecord = bobs.getRecord(like.uri(), JsonNode.class).value();
		assertThat(likeRecord.path("subject").has("$type")).isFalse();
	}

	// --- likes, reposts, follows and their undo

	@Test
	void likeAndUnlike() {
		ComAtprotoRepoStrongRef.Main post = this.bsky.post("like me");
		Bluesky bobs = client(this.bob).bsky();
		ComAtprotoRepoStrongRef.Main like = bobs.like(post);

		assertThat(like.uri().collection()).isEqualTo(Bluesky.LIKE);
		RepoRecord<AppBskyFeedLike.Record> read = bobs.getRecord(like.uri(), AppBskyFeedLike.Record.class);
		assertThat(read.value().subject()).isEqualTo(post);
		assertThat(read.value().createdAt()).isEqualTo(Datetime.of(this.clock.instant()));

		bobs.unlike(like.uri());
		assertThat(bobs.listRecords(this.bob.did(), Bluesky.LIKE, AppBskyFeedLike.Record.class)).isEmpty();
	}

	@Test
	void repostAndUnrepost() {
		ComAtprotoRepoStrongRef.Main post = this.bsky.post("repost me");
		ComAtprotoRepoStrongRef.Main repost = this.bsky.repost(post);
		assertThat(this.bsky.getRecord(repost.uri(), AppBskyFeedRepost.Record.class).value().subject()).isEqualTo(post);

		this.bsky.unrepost(repost.uri());
		assertThat(this.bsky.listRecords(this.alice.did(), Bluesky.REPOST, AppBskyFeedRepost.Record.class)).isEmpty();
	}

	@Test
	void followAndUnfollow() {
		ComAtprotoRepoStrongRef.Main follow = this.bsky.follow(this.bob.did());
		assertThat(this.bsky.listRecords(this.alice.did(), Bluesky.FOLLOW, AppBskyGraphFollow.Record.class))
			.singleElement()
			.satisfies((record) -> {
				assertThat(record.uri()).isEqualTo(follow.uri());
				assertThat(record.value().subject()).isEqualTo(this.bob.did());
			});

		this.bsky.unfollow(follow.uri());
		assertThat(this.bsky.listRecords(this.alice.did(), Bluesky.FOLLOW, AppBskyGraphFollow.Record.class)).isEmpty();
	}

	@Test
	void followNeedsADid() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.bsky.follow("bob.test"))
			.withMessageContaining("DID");
	}

	@Test
	void undoRefusesTheUriOfAnotherCollection() {
		ComAtprotoRepoStrongRef.Main post = this.bsky.post("not a like");
		assertThatIllegalArgumentException().isThrownBy(() -> this.bsky.unlike(post.uri()))
			.withMessageContaining(Bluesky.LIKE);
		assertThat(read(post).text()).isEqualTo("not a like");
	}

	@Test
	void deletePost() {
		ComAtprotoRepoStrongRef.Main post = this.bsky.post("short-lived");
		this.bsky.deletePost(post.uri());
		assertThat(this.bsky.listRecords(this.alice.did(), Bluesky.POST, AppBskyFeedPost.Record.class)).isEmpty();
	}

	// --- paging

	@Test
	void listRecordsPagesLazilyThroughTheWholeCollection() {
		int count = Bluesky.PAGE_SIZE + 20;
		ComAtprotoRepoStrongRef.Main post = this.bsky.post("liked many times");
		for (int i = 0; i < count; i++) {
			this.bsky.like(post);
		}
		assertThat(this.bsky.listRecords(this.alice.did(), Bluesky.LIKE, AppBskyFeedLike.Record.class).limit(3))
			.hasSize(3);
		assertThat(this.pds.callCount("com.atproto.repo.listRecords")).isOne();

		List<RepoRecord<AppBskyFeedLike.Record>> likes = this.bsky
			.listRecords(this.alice.did(), Bluesky.LIKE, AppBskyFeedLike.Record.class)
			.toList();
		assertThat(likes).hasSize(count).allSatisfy((like) -> assertThat(like.value().subject()).isEqualTo(post));
		assertThat(likes).extracting(RepoRecord::uri).doesNotHaveDuplicates();
		// newest first, as the PDS lists them
		assertThat(likes).extracting((like) -> like.uri().rkey())
			.isSortedAccordingTo(java.util.Comparator.<String>reverseOrder());
		// the first call above, then two full pages and an empty one
		assertThat(this.pds.callCount("com.atproto.repo.listRecords")).isEqualTo(4);
	}

	@Test
	void clientBskyIsBoundToTheClient() {
		AtUri uri = client(this.bob).bsky().post("by bob").uri();
		assertThat(uri.authority()).isEqualTo(this.bob.did());
	}

}
