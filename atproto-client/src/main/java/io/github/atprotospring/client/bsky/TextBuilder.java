package io.github.atprotospring.client.bsky;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;

/**
 * Builds a post's text piece by piece, with a facet for each link, mention and tag at the
 * right UTF-8 byte range; the Python SDK's {@code client_utils.TextBuilder}. Nothing is
 * detected or resolved: what is given is what the facets say. <pre>{@code
 * RichText text = new TextBuilder().text("Hello ")
 *     .mention("@alice", "did:plc:...")
 *     .text(", see ")
 *     .link("the docs", "https://example.com/docs")
 *     .text(" ")
 *     .tag("#atproto", "atproto")
 *     .build();
 * }</pre> Not thread-safe.
 */
public final class TextBuilder {

	private final StringBuilder text = new StringBuilder();

	private final List<AppBskyRichtextFacet.Main> facets = new ArrayList<>();

	private int bytes;

	/**
	 * Appends plain text.
	 * @param text the text
	 * @return this builder
	 */
	public TextBuilder text(String text) {
		append(text);
		return this;
	}

	/**
	 * Appends a text that links to a URI.
	 * @param text the text shown, not empty
	 * @param uri the URI linked to
	 * @return this builder
	 */
	public TextBuilder link(String text, String uri) {
		Objects.requireNonNull(uri, "uri");
		return faceted(text, AppBskyRichtextFacet.Link.builder().uri(uri).build());
	}

	/**
	 * Appends a text that mentions an account.
	 * @param text the text shown, such as {@code @alice.bsky.social}, not empty
	 * @param did the DID of the account mentioned
	 * @return this builder
	 */
	public TextBuilder mention(String text, String did) {
		Objects.requireNonNull(did, "did");
		return faceted(text, AppBskyRichtextFacet.Mention.builder().did(did).build());
	}

	/**
	 * Appends a text that stands for a hashtag.
	 * @param text the text shown, such as {@code #atproto}, not empty
	 * @param tag the tag, without {@code #}
	 * @return this builder
	 */
	public TextBuilder tag(String text, String tag) {
		Objects.requireNonNull(tag, "tag");
		return faceted(text, AppBskyRichtextFacet.Tag.builder().tag(tag).build());
	}

	/**
	 * The text so far (the Python SDK's {@code build_text}).
	 * @return the text
	 */
	public String buildText() {
		return this.text.toString();
	}

	/**
	 * The facets so far (the Python SDK's {@code build_facets}).
	 * @return the facets, in the order of the text
	 */
	public List<AppBskyRichtextFacet.Main> buildFacets() {
		return List.copyOf(this.facets);
	}

	/**
	 * The text and its facets so far.
	 * @return the rich text
	 */
	public RichText build() {
		return new RichText(buildText(), this.facets);
	}

	private TextBuilder faceted(String text, AppBskyRichtextFacet.MainFeatures feature) {
		if (text == null || text.isEmpty()) {
			throw new IllegalArgumentException("The text of a link, mention or tag must not be empty");
		}
		int start = this.bytes;
		append(text);
		this.facets.add(RichText.facet(start, this.bytes, feature));
		return this;
	}

	private void append(String text) {
		Objects.requireNonNull(text, "text");
		this.text.append(text);
		// the whole text, not the piece: a surrogate pair split across two pieces is one
		// code point of four bytes
		this.bytes = Utf8.length(this.text);
	}

}
