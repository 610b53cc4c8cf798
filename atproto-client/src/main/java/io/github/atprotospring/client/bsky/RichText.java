package io.github.atprotospring.client.bsky;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;

/**
 * A post's text with its facets ({@code app.bsky.richtext.facet}): mentions, links and
 * hashtags as UTF-8 byte ranges of the text. Made by {@link #detect(String, Function)}
 * from plain text, or by a {@link TextBuilder} piece by piece. Each facet carries its
 * {@code $type} ({@link AppBskyRichtextFacet.Main#TYPE}), as the official Bluesky app and
 * the TypeScript SDK's {@code RichText} write it; its features carry theirs, as members
 * of a union.
 *
 * @param text the text
 * @param facets the facets, by their first byte
 */
public record RichText(String text, List<AppBskyRichtextFacet.Main> facets) {

	/**
	 * Copies the facets.
	 * @param text the text
	 * @param facets the facets ({@code null} for none)
	 */
	public RichText {
		Objects.requireNonNull(text, "text");
		facets = (facets != null) ? List.copyOf(facets) : List.of();
	}

	/**
	 * A text without facets.
	 * @param text the text
	 * @return the rich text
	 */
	public static RichText plain(String text) {
		return new RichText(text, List.of());
	}

	/**
	 * The facets of a text ({@link Facets#detect(String)}), with each mention's handle
	 * resolved to a DID. A mention whose handle does not resolve stays plain text.
	 * @param text the text
	 * @param resolveHandle resolves a handle (lower case, without {@code @}) to a DID, or
	 * empty when it cannot be resolved
	 * @return the text with its facets
	 */
	public static RichText detect(String text, Function<String, Optional<String>> resolveHandle) {
		Objects.requireNonNull(resolveHandle, "resolveHandle");
		List<AppBskyRichtextFacet.Main> facets = new ArrayList<>();
		for (DetectedFacet detected : Facets.detect(text)) {
			AppBskyRichtextFacet.MainFeatures feature = switch (detected.kind()) {
				case MENTION -> resolveHandle.apply(detected.value())
					.map((did) -> AppBskyRichtextFacet.Mention.builder().did(did).build())
					.orElse(null);
				case LINK -> AppBskyRichtextFacet.Link.builder().uri(detected.value()).build();
				case TAG -> AppBskyRichtextFacet.Tag.builder().tag(detected.value()).build();
			};
			if (feature != null) {
				facets.add(facet(detected.byteStart(), detected.byteEnd(), feature));
			}
		}
		return new RichText(text, facets);
	}

	static AppBskyRichtextFacet.Main facet(int byteStart, int byteEnd, AppBskyRichtextFacet.MainFeatures feature) {
		return AppBskyRichtextFacet.Main.builder()
			.lexiconType(AppBskyRichtextFacet.Main.TYPE)
			.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(byteStart).byteEnd(byteEnd).build())
			.features(List.of(feature))
			.build();
	}

}
