package com.example.bot;

import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.bsky.Bluesky;
import io.github.atprotospring.client.bsky.ImageUpload;
import io.github.atprotospring.client.bsky.PostDraft;
import io.github.atprotospring.client.bsky.RichText;
import io.github.atprotospring.client.bsky.TextBuilder;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;

import org.springframework.stereotype.Service;

@Service
public class Poster {

	private final Bluesky bsky;

	public Poster(AtprotoClient client) {
		this.bsky = client.bsky();
	}

	/** Mentions, links and hashtags become facets; the image is uploaded first. */
	public ComAtprotoRepoStrongRef.Main announce(byte[] png) {
		return this.bsky.post(PostDraft.text("Thanks @bob.test! Notes: https://example.com/notes #release")
			.image(ImageUpload.of(png, "image/png", "The new logo").withAspectRatio(800, 600))
			.langs("en")
			.build());
	}

	/** A reply (its thread's root is read from the parent), a like and a follow. */
	public ComAtprotoRepoStrongRef.Main welcome(ComAtprotoRepoStrongRef.Main post, String authorDid) {
		this.bsky.like(post);
		this.bsky.follow(authorDid);
		RichText text = new TextBuilder().text("Welcome! Start ")
			.link("here", "https://example.com/start")
			.text(" ")
			.tag("#newhere", "newhere")
			.build();
		return this.bsky.post(PostDraft.richText(text).replyTo(post).build());
	}

	/**
	 * Paged lazily: no page more than 50 posts need is fetched (served by an AppView).
	 */
	public List<String> latestTexts() {
		return this.bsky.timeline().limit(50).map((item) -> item.post().record().path("text").asString()).toList();
	}

}
