package io.github.atprotospring.readme;

import java.util.List;

import com.example.bot.BotApplication;
import com.example.bot.Poster;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.bsky.Bluesky;
import io.github.atprotospring.client.bsky.RepoRecord;
import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyFeedLike;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.AppBskyGraphFollow;
import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's {@code Poster} against a {@link PdsDouble}: its posts, reply, like
 * and follow must land in the repository as the README says.
 */
@SpringBootTest(classes = BotApplication.class)
class PosterExampleTests {

	static final PdsDouble pds = PdsDouble.builder().start();

	static final PdsDouble.Account alice = pds.createAccount("alice.test", "alice@example.test", "alice-password");

	static final PdsDouble.Account bob = pds.createAccount("bob.test", "bob@example.test", "bob-password");

	@DynamicPropertySource
	static void atproto(DynamicPropertyRegistry registry) {
		registry.add("atproto.service", pds::url);
		registry.add("atproto.handle", () -> "alice.test");
		registry.add("atproto.password", () -> "alice-password");
	}

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	Poster poster;

	@Autowired
	AtprotoClient client;

	@Test
	void announceDetectsTheFacetsAndEmbedsTheImage() {
		ComAtprotoRepoStrongRef.Main post = this.poster.announce(new byte[] { (byte) 0x89, 'P', 'N', 'G' });

		AppBskyFeedPost.Record stored = this.client.bsky().getRecord(post.uri(), AppBskyFeedPost.Record.class).value();
		assertThat(stored.facets()).extracting((facet) -> facet.features().get(0))
			.containsExactly(AppBskyRichtextFacet.Mention.builder().did(bob.did()).build(),
					AppBskyRichtextFacet.Link.builder().uri("https://example.com/notes").build(),
					AppBskyRichtextFacet.Tag.builder().tag("release").build());
		assertThat(((AppBskyEmbedImages.Main) stored.embed()).images()).singleElement()
			.satisfies((image) -> assertThat(image.alt()).isEqualTo("The new logo"));
	}

	@Test
	void welcomeRepliesLikesAndFollows() {
		ComAtprotoRepoStrongRef.Main post = this.client.bsky().post("Hello, I am new here");

		ComAtprotoRepoStrongRef.Main reply = this.poster.welcome(post, bob.did());

		Bluesky bsky = this.client.bsky();
		AppBskyFeedPost.Record stored = bsky.getRecord(reply.uri(), AppBskyFeedPost.Record.class).value();
		assertThat(stored.text()).isEqualTo("Welcome! Start here #newhere");
		assertThat(stored.reply().root()).isEqualTo(post);
		assertThat(stored.facets()).hasSize(2);
		List<RepoRecord<AppBskyFeedLike.Record>> likes = bsky
			.listRecords(alice.did(), Bluesky.LIKE, AppBskyFeedLike.Record.class)
			.toList();
		assertThat(likes).anySatisfy((like) -> assertThat(like.value().subject()).isEqualTo(post));
		assertThat(bsky.listRecords(alice.did(), Bluesky.FOLLOW, AppBskyGraphFollow.Record.class))
			.anySatisfy((follow) -> assertThat(follow.value().subject()).isEqualTo(bob.did()));
	}

}
