package io.github.atprotospring.client.bsky;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.atprotospring.client.lexicon.AppBskyRichtextFacet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RichText} and {@link TextBuilder}: the facets they make, with offsets computed
 * here from the UTF-8 encoding of the text before each facet.
 */
class RichTextTests {

	private static AppBskyRichtextFacet.Main facet(String text, String spanned, int fromIndex,
			AppBskyRichtextFacet.MainFeatures feature) {
		int index = text.indexOf(spanned, fromIndex);
		assertThat(index).as("'%s' in '%s'", spanned, text).isNotNegative();
		long byteStart = text.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
		long byteEnd = byteStart + spanned.getBytes(StandardCharsets.UTF_8).length;
		return AppBskyRichtextFacet.Main.builder()
			.lexiconType(AppBskyRichtextFacet.Main.TYPE)
			.index(AppBskyRichtextFacet.ByteSlice.builder().byteStart(byteStart).byteEnd(byteEnd).build())
			.features(List.of(feature))
			.build();
	}

	private static AppBskyRichtextFacet.Main facet(String text, String spanned,
			AppBskyRichtextFacet.MainFeatures feature) {
		return facet(text, spanned, 0, feature);
	}

	private static AppBskyRichtextFacet.Mention mention(String did) {
		return AppBskyRichtextFacet.Mention.builder().did(did).build();
	}

	private static AppBskyRichtextFacet.Link link(String uri) {
		return AppBskyRichtextFacet.Link.builder().uri(uri).build();
	}

	private static AppBskyRichtextFacet.Tag tag(String tag) {
		return AppBskyRichtextFacet.Tag.builder().tag(tag).build();
	}

	@Test
	void detectResolvesMentionsAndLeavesUnresolvedOnesAsText() {
		String text = "ЁЖ @alice.test and @ghost.test: bsky.app #тег";
		List<String> asked = new ArrayList<>();
		RichText rich = RichText.detect(text, (handle) -> {
			asked.add(handle);
			return Optional.ofNullable(Map.of("alice.test", "did:plc:alice").get(handle));
		});
		assertThat(asked).containsExactly("alice.test", "ghost.test");
		assertThat(rich.text()).isEqualTo(text);
		assertThat(rich.facets()).containsExactly(facet(text, "@alice.test", mention("did:plc:alice")),
				facet(text, "bsky.app", link("https://bsky.app")), facet(text, "#тег", tag("тег")));
	}

	@Test
	void textBuilderPutsEachFacetOnItsBytes() {
		String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
		RichText rich = new TextBuilder().text(family + " こんにちは ")
			.mention("@アリス", "did:plc:alice")
			.text(" مرحبا ")
			.link("नमस्ते", "https://example.com/hi")
			.text(" e\u0301 🇯🇵 ")
			.tag("#タグ", "タグ")
			.build();
		String text = family + " こんにちは @アリス مرحبا नमस्ते e\u0301 🇯🇵 #タグ";
		assertThat(rich.text()).isEqualTo(text);
		assertThat(rich.facets()).containsExactly(facet(text, "@アリス", mention("did:plc:alice")),
				facet(text, "नमस्ते", link("https://example.com/hi")), facet(text, "#タグ", tag("タグ")));
	}

	@Test
	void textBuilderBuildsTextAndFacetsApartAsThePythonSdkDoes() {
		TextBuilder builder = new TextBuilder().text("see ").link("this", "https://example.com");
		assertThat(builder.buildText()).isEqualTo("see this");
		assertThat(builder.buildFacets()).containsExactly(facet("see this", "this", link("https://example.com")));
		builder.text(" and ").tag("#that", "that");
		assertThat(builder.buildFacets()).hasSize(2);
	}

	@Test
	void textBuilderCountsASurrogatePairSplitAcrossTwoPiecesAsOneCodePoint() {
		String smile = "\uD83D\uDE00";
		RichText rich = new TextBuilder().text(smile.substring(0, 1))
			.text(smile.substring(1))
			.link("x", "https://example.com")
			.build();
		assertThat(rich.facets()).containsExactly(facet(smile + "x", "x", link("https://example.com")));
	}

	@Test
	void textBuilderRefusesAnEmptyFacetText() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TextBuilder().link("", "https://example.com"));
	}

	@Test
	void plainTextHasNoFacets() {
		assertThat(RichText.plain("@alice.test").facets()).isEmpty();
	}

}
