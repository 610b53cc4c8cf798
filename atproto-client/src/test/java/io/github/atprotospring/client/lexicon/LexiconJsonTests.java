package io.github.atprotospring.client.lexicon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The generated records read and write the JSON of real answers and records: a read and a
 * write give back the JSON read, {@code $type} included or left out as it was, unions are
 * read by {@code $type} and always write their member's, and a member of an unknown
 * {@code $type} is kept and written back as it was.
 */
class LexiconJsonTests {

	/** The client's default mapper. */
	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	@Test
	void postRecordWithFacetsReplyAndRecordWithMediaEmbedRoundTrips() {
		AppBskyFeedPost.Record post = assertRoundTrip("post-record.json", AppBskyFeedPost.Record.class);
		assertThat(post.facets()).hasSize(3);
		assertThat(post.facets().get(0).features().get(0)).isInstanceOfSatisfying(AppBskyRichtextFacet.Mention.class,
				(mention) -> assertThat(mention.did()).isEqualTo("did:plc:z72i7hdynmk6r22z27h6tvur"));
		assertThat(post.facets().get(0).index().byteStart()).isEqualTo(12L);
		assertThat(post.facets().get(1).features().get(0)).isInstanceOf(AppBskyRichtextFacet.Link.class);
		assertThat(post.facets().get(2).features().get(0)).isInstanceOfSatisfying(AppBskyRichtextFacet.Tag.class,
				(tag) -> assertThat(tag.tag()).isEqualTo("atproto"));
		assertThat(post.reply().parent().uri().rkey()).isEqualTo("3lbgh5kyw4k2s");
		assertThat(post.reply().root().uri().authority()).isEqualTo("did:plc:z72i7hdynmk6r22z27h6tvur");
		assertThat(post.embed()).isInstanceOfSatisfying(AppBskyEmbedRecordWithMedia.Main.class, (embed) -> {
			assertThat(embed.record().record().uri().collection()).isEqualTo("app.bsky.feed.post");
			assertThat(embed.media()).isInstanceOfSatisfying(AppBskyEmbedImages.Main.class, (images) -> {
				Blob blob = images.images().get(0).image();
				assertThat(blob.mimeType()).isEqualTo("image/jpeg");
				assertThat(blob.size()).isEqualTo(356215);
				assertThat(blob.ref().link()).startsWith("bafkrei");
				assertThat(images.images().get(0).aspectRatio().width()).isEqualTo(2000L);
			});
		});
		assertThat(post.labels()).isInstanceOfSatisfying(ComAtprotoLabelDefs.SelfLabels.class,
				(labels) -> assertThat(labels.values().get(0).val()).isEqualTo("graphic-media"));
		assertThat(post.createdAt().toInstant()).isEqualTo(Instant.parse("2024-11-21T09:41:07.123Z"));
	}

	@Test
	void timelineOfPostViewsWithImagesExternalAndRecordEmbedsRoundTrips() {
		AppBskyFeedGetTimeline.Output timeline = assertRoundTrip("timeline.json", AppBskyFeedGetTimeline.Output.class);
		assertThat(timeline.cursor()).startsWith("2024-11-21T11:00:00.901Z");
		assertThat(timeline.feed()).hasSize(3);

		AppBskyFeedDefs.FeedViewPost reposted = timeline.feed().get(0);
		assertThat(reposted.reason()).isInstanceOfSatisfying(AppBskyFeedDefs.ReasonRepost.class,
				(reason) -> assertThat(reason.by().handle()).isEqualTo("bsky.app"));
		assertThat(reposted.post().author().viewer().following().collection()).isEqualTo("app.bsky.graph.follow");
		assertThat(reposted.post().likeCount()).isEqualTo(311L);
		assertThat(reposted.post().embed()).isInstanceOfSatisfying(AppBskyEmbedImages.View.class,
				(images) -> assertThat(images.images().get(0).alt()).isEqualTo("Diagram of the network"));
		AppBskyFeedPost.Record record = this.json.treeToValue(reposted.post().record(), AppBskyFeedPost.Record.class);
		assertThat(record.embed()).isInstanceOf(AppBskyEmbedImages.Main.class);

		AppBskyFeedDefs.FeedViewPost reply = timeline.feed().get(1);
		assertThat(reply.post().embed()).isInstanceOfSatisfying(AppBskyEmbedExternal.View.class,
				(external) -> assertThat(external.external().title()).isEqualTo("An article"));
		assertThat(reply.reply().root()).isInstanceOf(AppBskyFeedDefs.PostView.class);
		assertThat(reply.reply().parent()).isInstanceOfSatisfying(AppBskyFeedDefs.NotFoundPost.class,
				(parent) -> assertThat(parent.notFound()).isTrue());

		AppBskyFeedDefs.PostView quote = timeline.feed().get(2).post();
		assertThat(quote.embed()).isInstanceOfSatisfying(AppBskyEmbedRecord.View.class,
				(view) -> assertThat(view.record()).isInstanceOfSatisfying(AppBskyEmbedRecord.ViewRecord.class,
						(quoted) -> {
							assertThat(quoted.author().handle()).isEqualTo("atproto.com");
							assertThat(quoted.embeds().get(0)).isInstanceOf(AppBskyEmbedImages.View.class);
						}));
		assertThat(quote.labels().get(0).sig().length()).isEqualTo(64);
	}

	@Test
	void profileViewDetailedRoundTrips() {
		AppBskyActorDefs.ProfileViewDetailed profile = assertRoundTrip("profile-view-detailed.json",
				AppBskyActorDefs.ProfileViewDetailed.class);
		assertThat(profile.followersCount()).isEqualTo(32456789L);
		assertThat(profile.associated().chat().allowIncoming()).isEqualTo("none");
		assertThat(profile.pinnedPost().uri().rkey()).isEqualTo("3l6oveex3ii2l");
		assertThat(profile.description()).contains("👆");
	}

	@Test
	void getRecordOutputRoundTripsAndItsValueReadsAsTheRecord() {
		ComAtprotoRepoGetRecord.Output output = assertRoundTrip("get-record.json",
				ComAtprotoRepoGetRecord.Output.class);
		assertThat(output.uri()).isEqualTo(AtUri.of("did:plc:abc123", "app.bsky.feed.post", "3lbgi2a3kz22x"));
		AppBskyFeedPost.Record post = this.json.treeToValue(output.value(), AppBskyFeedPost.Record.class);
		assertThat(post.embed()).isInstanceOfSatisfying(AppBskyEmbedExternal.Main.class,
				(external) -> assertThat(external.external().thumb().size()).isEqualTo(45910));
		assertThat(written(post)).isEqualTo(output.value());
	}

	@Test
	void chatConversationsRoundTripWithAnUnknownKindOfConversation() {
		ChatBskyConvoListConvos.Output convos = assertRoundTrip("list-convos.json",
				ChatBskyConvoListConvos.Output.class);
		ChatBskyConvoDefs.ConvoView convo = convos.convos().get(0);
		assertThat(convo.members()).extracting(ChatBskyActorDefs.ProfileViewBasic::handle)
			.containsExactly("alice.example.com", "bsky.app");
		assertThat(convo.lastMessage()).isInstanceOfSatisfying(ChatBskyConvoDefs.MessageView.class,
				(message) -> assertThat(message.sender().did()).isEqualTo("did:plc:z72i7hdynmk6r22z27h6tvur"));
		assertThat(convo.kind()).isInstanceOfSatisfying(ChatBskyConvoDefs.ConvoViewKind.Unknown.class,
				(kind) -> assertThat(kind.json().path("topic").asString()).isEqualTo("meetups"));
	}

	@Test
	void unionMemberOfAnUnknownTypeIsKeptAndWrittenBackUnchanged() {
		AppBskyFeedPost.Record post = assertRoundTrip("unknown-union.json", AppBskyFeedPost.Record.class);
		JsonNode original = read("unknown-union.json");
		assertThat(post.embed()).isInstanceOfSatisfying(AppBskyFeedPost.RecordEmbed.Unknown.class, (unknown) -> {
			assertThat(unknown.type()).isEqualTo("app.example.embed.poll");
			assertThat(unknown.json()).isEqualTo(original.get("embed"));
		});
		assertThat(this.json.writeValueAsString(post.embed()))
			.isEqualTo(this.json.writeValueAsString(original.get("embed")))
			.contains("\"nothing\":null", "\"ratio\":0.5");
	}

	@Test
	void unknownMembersOfAListUnionAndOfAMemberWithoutTypeAreKept() {
		String facet = "{\"index\":{\"byteStart\":0,\"byteEnd\":4},\"features\":[{\"$type\":\"app.example.facet#spoiler\","
				+ "\"reason\":\"plot\"},{\"tag\":\"untyped\"},{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":\"t\"}]}";
		AppBskyRichtextFacet.Main read = this.json.readValue(facet, AppBskyRichtextFacet.Main.class);
		assertThat(read.features()).hasSize(3);
		assertThat(read.features().get(0)).isInstanceOfSatisfying(AppBskyRichtextFacet.MainFeatures.Unknown.class,
				(unknown) -> assertThat(unknown.type()).isEqualTo("app.example.facet#spoiler"));
		assertThat(read.features().get(1)).isInstanceOfSatisfying(AppBskyRichtextFacet.MainFeatures.Unknown.class,
				(unknown) -> assertThat(unknown.type()).isNull());
		assertThat(read.features().get(2)).isInstanceOf(AppBskyRichtextFacet.Tag.class);
		assertThat(written(read)).isEqualTo(this.json.readTree(facet));
	}

	@Test
	void mainDefinitionIsReadByItsHashMainTypeToo() {
		AppBskyFeedPost.Record post = this.json.readValue("{\"text\":\"t\",\"createdAt\":\"2024-11-21T12:00:00Z\","
				+ "\"embed\":{\"$type\":\"app.bsky.embed.external#main\",\"external\":{\"uri\":\"https://e.com\","
				+ "\"title\":\"\",\"description\":\"\"}}}", AppBskyFeedPost.Record.class);
		assertThat(post.embed()).isInstanceOf(AppBskyEmbedExternal.Main.class);
	}

	@Test
	void postOfTheOfficialAppIsWrittenBackAsItWasRead() {
		// facets with a $type though they are in no union; strong refs without one,
		// though com.atproto.repo.strongRef is a union member elsewhere
		AppBskyFeedPost.Record post = assertRoundTrip("official-app-post.json", AppBskyFeedPost.Record.class);
		assertThat(post.facets()).hasSize(3)
			.allSatisfy((facet) -> assertThat(facet.lexiconType()).isEqualTo(AppBskyRichtextFacet.Main.TYPE));
		assertThat(post.reply().root().lexiconType()).isNull();
		assertThat(post.reply().parent().lexiconType()).isNull();
		assertThat(post.embed()).isInstanceOfSatisfying(AppBskyEmbedRecordWithMedia.Main.class, (embed) -> {
			assertThat(embed.record().record().lexiconType()).isNull();
			assertThat(embed.media()).isInstanceOfSatisfying(AppBskyEmbedImages.Main.class,
					(images) -> assertThat(images.images()).extracting((image) -> image.aspectRatio().width())
						.containsExactly(2048L, 750L));
		});
		AppBskyFeedPost.Record quote = assertRoundTrip("official-app-quote.json", AppBskyFeedPost.Record.class);
		assertThat(quote.embed()).isInstanceOfSatisfying(AppBskyEmbedRecord.Main.class,
				(embed) -> assertThat(embed.record().lexiconType()).isNull());

		// an edit (putRecord) changes what it touches, and nothing else
		ObjectNode edited = (ObjectNode) read("official-app-post.json");
		edited.put("text", "edited");
		assertThat(written(post.toBuilder().text("edited").build())).isEqualTo(edited);
	}

	@Test
	void buildersOfRecordsAndUnionMembersSetTheirTypeAndOtherObjectsHaveNone() {
		AppBskyFeedPost.Record post = AppBskyFeedPost.Record.builder()
			.text("Hello")
			.createdAt(Datetime.of(Instant.parse("2026-11-30T12:00:00Z")))
			.embed(AppBskyEmbedExternal.Main.builder()
				.external(AppBskyEmbedExternal.External.builder()
					.uri("https://example.com")
					.title("Example")
					.description("")
					.build())
				.build())
			.build();
		assertThat(post.lexiconType()).isEqualTo(AppBskyFeedPost.Record.TYPE);
		assertThat(ComAtprotoRepoStrongRef.Main.builder().uri(AtUri.parse("at://did:plc:a")).cid("c").build())
			.extracting(ComAtprotoRepoStrongRef.Main::lexiconType)
			.isEqualTo(ComAtprotoRepoStrongRef.Main.TYPE);
		JsonNode written = written(post);
		assertThat(written.path("$type").asString()).isEqualTo("app.bsky.feed.post");
		assertThat(written.path("createdAt").asString()).isEqualTo("2026-11-30T12:00:00.000Z");
		assertThat(written.path("embed").path("$type").asString()).isEqualTo(AppBskyEmbedExternal.Main.TYPE);
		assertThat(written.path("embed").path("external").has("$type")).isFalse();
		assertThat(written.has("facets")).as("no nulls written").isFalse();
		assertThat(this.json.treeToValue(written, AppBskyFeedPost.Record.class)).isEqualTo(post);

		AppBskyRichtextFacet.Main facet = AppBskyRichtextFacet.Main.builder()
			.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(0).byteEnd(1).build())
			.features(List.of(AppBskyRichtextFacet.Tag.builder().tag("t").build()))
			.build();
		assertThat(written(facet).has("$type")).isFalse();
		assertThat(
				written(facet.toBuilder().lexiconType(AppBskyRichtextFacet.Main.TYPE).build()).path("$type").asString())
			.isEqualTo("app.bsky.richtext.facet");
		assertThat(written(post.toBuilder().lexiconType(null).build()).has("$type")).isFalse();
	}

	@Test
	void aUnionWritesTheTypeOfAMemberThatHasNone() {
		AppBskyEmbedExternal.Main untyped = AppBskyEmbedExternal.Main.builder()
			.lexiconType(null)
			.external(AppBskyEmbedExternal.External.builder().uri("https://e.com").title("").description("").build())
			.build();
		assertThat(written(untyped).has("$type")).as("alone, it has none").isFalse();
		AppBskyFeedPost.Record post = AppBskyFeedPost.Record.builder()
			.text("t")
			.createdAt(Datetime.parse("2026-11-30T12:00:00Z"))
			.embed(untyped)
			.facets(List.of(AppBskyRichtextFacet.Main.builder()
				.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(0).byteEnd(1).build())
				.features(List.of(AppBskyRichtextFacet.Tag.builder().lexiconType(null).tag("t").build()))
				.build()))
			.build();
		JsonNode written = written(post);
		assertThat(written.path("embed").path("$type").asString()).isEqualTo("app.bsky.embed.external");
		assertThat(written.path("facets").path(0).path("features").path(0).path("$type").asString())
			.isEqualTo("app.bsky.richtext.facet#tag");
		assertThat(post.embed()).as("the record keeps what it was given").isSameAs(untyped);

		// a strong ref read without $type (a reply's parent) as the subject of a report
		ComAtprotoRepoStrongRef.Main ref = this.json.readValue(
				"{\"uri\":\"at://did:plc:a/app.bsky.feed.post/1\",\"cid\":\"bafyrei\"}",
				ComAtprotoRepoStrongRef.Main.class);
		assertThat(ref.lexiconType()).isNull();
		JsonNode report = written(
				ComAtprotoModerationCreateReport.Input.builder().reasonType("r").subject(ref).build());
		assertThat(report.path("subject").path("$type").asString()).isEqualTo("com.atproto.repo.strongRef");

		// a list of a union defined as an array (app.bsky.actor.defs#preferences)
		JsonNode preferences = written(AppBskyActorPutPreferences.Input.builder()
			.preferences(List.of(AppBskyActorDefs.AdultContentPref.builder().lexiconType(null).enabled(true).build()))
			.build());
		assertThat(preferences.path("preferences").path(0).path("$type").asString())
			.isEqualTo("app.bsky.actor.defs#adultContentPref");
	}

	@Test
	void theTypeAMemberWasReadWithIsWrittenBack() {
		AppBskyFeedPost.Record post = this.json.readValue("{\"text\":\"t\",\"createdAt\":\"2024-11-21T12:00:00Z\","
				+ "\"embed\":{\"$type\":\"app.bsky.embed.external#main\",\"external\":{\"uri\":\"https://e.com\","
				+ "\"title\":\"\",\"description\":\"\"}}}", AppBskyFeedPost.Record.class);
		assertThat(post.lexiconType()).isNull();
		JsonNode written = written(post);
		assertThat(written.has("$type")).isFalse();
		assertThat(written.path("embed").path("$type").asString()).isEqualTo("app.bsky.embed.external#main");
	}

	@Test
	void builderNamesTheTypeAndTheMissingRequiredProperty() {
		assertThatIllegalStateException().isThrownBy(() -> AppBskyFeedPost.Record.builder().text("no date").build())
			.withMessageContaining("AppBskyFeedPost.Record")
			.withMessageContaining("createdAt");
		AppBskyFeedPost.Record post = AppBskyFeedPost.Record.builder()
			.text("a")
			.createdAt(Datetime.parse("2024-11-21T12:00:00Z"))
			.build();
		assertThat(post.toBuilder().text("b").build().text()).isEqualTo("b");
	}

	@Test
	void paramsGiveTheQueryWithListsAsRepeatedValues() {
		Map<String, Object> query = AppBskyFeedGetPosts.Params.builder()
			.uris(List.of(AtUri.of("did:plc:a", "app.bsky.feed.post", "1"),
					AtUri.of("did:plc:b", "app.bsky.feed.post", "2")))
			.build()
			.toQuery();
		assertThat(query).containsExactly(Map.entry("uris",
				List.of("at://did:plc:a/app.bsky.feed.post/1", "at://did:plc:b/app.bsky.feed.post/2")));
		assertThat(AppBskyFeedGetTimeline.Params.builder().limit(30).cursor("c").build().toQuery())
			.containsExactly(Map.entry("limit", 30L), Map.entry("cursor", "c"));
	}

	@Test
	void secretsOfAnInputAreNotInItsText() {
		ComAtprotoServerCreateSession.Input input = ComAtprotoServerCreateSession.Input.builder()
			.identifier("alice.test")
			.password("hunter2-app-password")
			.authFactorToken("123456")
			.build();
		assertThat(input.toString()).contains("alice.test").doesNotContain("hunter2", "123456");
	}

	@Test
	void blobIsReadAndWrittenInBothForms() {
		String current = "{\"$type\":\"blob\",\"ref\":{\"$link\":\"bafkreibjfgx2gprinfvicegelk5kosd6y2frmqpqzwqkg7usac74l3t2v4\"},"
				+ "\"mimeType\":\"image/png\",\"size\":1024}";
		Blob blob = this.json.readValue(current, Blob.class);
		assertThat(blob.legacy()).isFalse();
		assertThat(blob.size()).isEqualTo(1024);
		assertThat(this.json.writeValueAsString(blob)).isEqualTo(current);
		assertThat(Blob.of(blob.ref(), "image/png", 1024)).isEqualTo(blob);
		String legacy = "{\"cid\":\"bafkreibjfgx2gprinfvicegelk5kosd6y2frmqpqzwqkg7usac74l3t2v4\",\"mimeType\":\"image/jpeg\"}";
		Blob old = this.json.readValue(legacy, Blob.class);
		assertThat(old.legacy()).isTrue();
		assertThat(old.ref()).isEqualTo(blob.ref());
		assertThat(this.json.writeValueAsString(old)).isEqualTo(legacy);
	}

	@Test
	void bytesAreUnpaddedBase64() {
		Bytes bytes = Bytes.of(new byte[] { 1, 2, 3, 4 });
		assertThat(this.json.writeValueAsString(bytes)).isEqualTo("{\"$bytes\":\"AQIDBA\"}");
		assertThat(this.json.readValue("{\"$bytes\":\"AQIDBA==\"}", Bytes.class)).isEqualTo(bytes);
		assertThat(this.json.readValue("{\"$bytes\":\"AQIDBA\"}", Bytes.class).bytes()).containsExactly(1, 2, 3, 4);
	}

	@Test
	void cidLinkIsAnObjectWithLink() {
		CidLink link = CidLink.of("bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm");
		String text = "{\"$link\":\"bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm\"}";
		assertThat(this.json.writeValueAsString(link)).isEqualTo(text);
		assertThat(this.json.readValue(text, CidLink.class)).isEqualTo(link);
	}

	@Test
	void datetimeKeepsTheTextItReadAndAtUriItsParts() {
		assertThat(this.json.readValue("\"2024-11-21T12:00:00+01:00\"", Datetime.class).toString())
			.isEqualTo("2024-11-21T12:00:00+01:00");
		assertThat(Datetime.parse("2024-11-21T12:00:00+01:00").toInstant())
			.isEqualTo(Instant.parse("2024-11-21T11:00:00Z"));
		assertThatIllegalArgumentException().isThrownBy(() -> Datetime.parse("yesterday"));
		AtUri uri = AtUri.parse("at://did:plc:abc/app.bsky.feed.post/3k2a");
		assertThat(uri.authority()).isEqualTo("did:plc:abc");
		assertThat(uri.collection()).isEqualTo("app.bsky.feed.post");
		assertThat(uri.rkey()).isEqualTo("3k2a");
		assertThat(AtUri.parse("at://did:plc:abc").collection()).isNull();
		assertThat(this.json.writeValueAsString(uri)).isEqualTo("\"at://did:plc:abc/app.bsky.feed.post/3k2a\"");
		assertThatIllegalArgumentException().isThrownBy(() -> AtUri.parse("https://example.com"));
	}

	/**
	 * Reads a fixture's text as the type, writes it again, and checks that the JSON is
	 * the same (as trees read from text, so that numbers compare by value).
	 */
	private <T> T assertRoundTrip(String fixture, Class<T> type) {
		JsonNode original = read(fixture);
		T value = this.json.readValue(text(fixture), type);
		assertThat(written(value)).isEqualTo(original);
		return value;
	}

	/**
	 * The JSON a value is written as, read back as a tree (numbers as a parser reads
	 * them).
	 */
	private JsonNode written(Object value) {
		return this.json.readTree(this.json.writeValueAsString(value));
	}

	private JsonNode read(String fixture) {
		return this.json.readTree(text(fixture));
	}

	private static String text(String fixture) {
		try (InputStream in = LexiconJsonTests.class.getResourceAsStream(fixture)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
