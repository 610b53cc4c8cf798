package io.github.atprotospring.client.bsky;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.lexicon.AppBskyActorDefs;
import io.github.atprotospring.client.lexicon.AppBskyFeedDefs;
import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The paged AppView reads (timeline, author feed, followers, follows) against a server
 * with canned answers: what they ask for and how they read the answers. The PDS double
 * serves no AppView feeds, and the reference PDS none at all.
 */
class BlueskyFeedsTests {

	private static final String DID = "did:plc:reader1234";

	private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	private HostilePds server;

	private Bluesky bsky;

	@BeforeEach
	void start() {
		this.server = HostilePds.start();
		long now = this.clock.instant().getEpochSecond();
		String token = HostilePds.jwt(now, now + Duration.ofHours(2).toSeconds());
		AtprotoClient client = AtprotoClient.builder().service(this.server.url()).clock(this.clock).build();
		client.importSession(new Session("reader.test", DID, token, token, this.server.url()));
		this.bsky = client.bsky();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private static String post(String rkey, String text) {
		return """
				{"post":{"uri":"at://did:plc:author/app.bsky.feed.post/%s","cid":"bafyreicid%s",
				"author":{"did":"did:plc:author","handle":"author.test"},
				"record":{"$type":"app.bsky.feed.post","text":"%s","createdAt":"2026-11-23T11:00:00.000Z"},
				"indexedAt":"2026-11-23T11:00:01.000Z"}}""".formatted(rkey, rkey, text);
	}

	private List<String> targets(String nsid) {
		return this.server.requests()
			.stream()
			.filter((request) -> nsid.equals(request.nsid()))
			.map(HostilePds.ReceivedRequest::target)
			.toList();
	}

	@Test
	void timelineReadsTypedItemsAndStopsWhenTheCursorRepeats() {
		this.server.on("app.bsky.feed.getTimeline",
				Answer.json(200, "{\"cursor\":\"c1\",\"feed\":[" + post("a", "one") + "," + post("b", "two") + "]}"));

		List<AppBskyFeedDefs.FeedViewPost> items = this.bsky.timeline().toList();

		// the same page twice: the second answer repeats the cursor, so paging stops
		assertThat(items).extracting((item) -> item.post().record().path("text").asString())
			.containsExactly("one", "two", "one", "two");
		assertThat(items.get(0).post().author().handle()).isEqualTo("author.test");
		assertThat(items.get(0).post().uri().rkey()).isEqualTo("a");
		assertThat(targets("app.bsky.feed.getTimeline")).hasSize(2)
			.satisfiesExactly((first) -> assertThat(first).contains("limit=100").doesNotContain("cursor="),
					(second) -> assertThat(second).contains("limit=100").contains("cursor=c1"));
	}

	@Test
	void authorFeedAsksForTheActorAndEndsWithoutACursor() {
		this.server.on("app.bsky.feed.getAuthorFeed", Answer.json(200, "{\"feed\":[" + post("a", "mine") + "]}"));

		assertThat(this.bsky.authorFeed("author.test")).singleElement()
			.satisfies((item) -> assertThat(item.post().cid()).isEqualTo("bafyreicida"));
		assertThat(targets("app.bsky.feed.getAuthorFeed")).singleElement()
			.satisfies((target) -> assertThat(target).contains("actor=author.test"));
	}

	@Test
	void followersAndFollowsAreProfiles() {
		String profiles = "[{\"did\":\"did:plc:f1\",\"handle\":\"f1.test\"},{\"did\":\"did:plc:f2\",\"handle\":\"f2.test\"}]";
		String subject = "{\"did\":\"did:plc:author\",\"handle\":\"author.test\"}";
		this.server.on("app.bsky.graph.getFollowers",
				Answer.json(200, "{\"subject\":" + subject + ",\"followers\":" + profiles + "}"));
		this.server.on("app.bsky.graph.getFollows",
				Answer.json(200, "{\"subject\":" + subject + ",\"follows\":" + profiles + "}"));

		assertThat(this.bsky.followers("author.test")).extracting(AppBskyActorDefs.ProfileView::handle)
			.containsExactly("f1.test", "f2.test");
		assertThat(this.bsky.follows("did:plc:author")).extracting(AppBskyActorDefs.ProfileView::did)
			.containsExactly("did:plc:f1", "did:plc:f2");
	}

	@Test
	void nothingIsAskedUntilTheStreamIsUsed() {
		this.server.on("app.bsky.feed.getTimeline", Answer.json(200, "{\"feed\":[]}"));
		var timeline = this.bsky.timeline();
		assertThat(targets("app.bsky.feed.getTimeline")).isEmpty();
		assertThat(timeline).isEmpty();
		assertThat(targets("app.bsky.feed.getTimeline")).hasSize(1);
	}

}
