package io.github.atprotospring.client.bsky;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.atprotospring.client.bsky.DetectedFacet.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection of mentions, links and hashtags, and their UTF-8 byte offsets. Every expected
 * offset is computed here from {@link String#getBytes} of the text before the facet,
 * never written down as a number.
 */
class FacetsTests {

	/**
	 * The facet expected where {@code spanned} occurs in {@code text} (its first
	 * occurrence), with offsets from the UTF-8 encoding of the text's prefix.
	 */
	static DetectedFacet expected(String text, String spanned, Kind kind, String value) {
		return expected(text, spanned, 0, kind, value);
	}

	static DetectedFacet expected(String text, String spanned, int fromIndex, Kind kind, String value) {
		int index = text.indexOf(spanned, fromIndex);
		assertThat(index).as("'%s' in '%s'", spanned, text).isNotNegative();
		int byteStart = text.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
		int byteEnd = byteStart + spanned.getBytes(StandardCharsets.UTF_8).length;
		return new DetectedFacet(kind, byteStart, byteEnd, value);
	}

	/** The bytes a facet spans, decoded: what the facet covers in the text. */
	static String spanned(String text, DetectedFacet facet) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return new String(bytes, facet.byteStart(), facet.byteEnd() - facet.byteStart(), StandardCharsets.UTF_8);
	}

	@Test
	void findsAMentionALinkAndAHashtagInAsciiText() {
		String text = "hi @alice.test see https://example.com/a?b=c #spring";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "@alice.test", Kind.MENTION, "alice.test"),
				expected(text, "https://example.com/a?b=c", Kind.LINK, "https://example.com/a?b=c"),
				expected(text, "#spring", Kind.TAG, "spring"));
	}

	@Test
	void findsNothingInPlainText() {
		assertThat(Facets.detect("just words, nothing else. e.g. this file.txt")).isEmpty();
		assertThat(Facets.detect("")).isEmpty();
	}

	// --- mentions

	@Test
	void mentionAtTheStartOrAfterAParenthesisWithoutTrailingPunctuation() {
		String text = "@bob.bsky.social: hello (@carol.example.com). Bye @dave.test.";
		assertThat(Facets.detect(text)).containsExactly(
				expected(text, "@bob.bsky.social", Kind.MENTION, "bob.bsky.social"),
				expected(text, "@carol.example.com", Kind.MENTION, "carol.example.com"),
				expected(text, "@dave.test", Kind.MENTION, "dave.test"));
	}

	@Test
	void mentionOfAHandleInCapitalsIsLowerCased() {
		String text = "hey @Alice.Test";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "@Alice.Test", Kind.MENTION, "alice.test"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "mail me@example.com", "@localhost", "@alice.notatld", "@-alice.test", "@alice",
			"@alice.test_x", "x@alice.test", "@123.456", "@.test" })
	void noMention(String text) {
		assertThat(Facets.detect(text)).noneMatch((facet) -> facet.kind() == Kind.MENTION);
	}

	// --- links

	@Test
	void linkWithoutTheSentencePunctuationAfterIt() {
		String text = "Read https://example.com/page. Or https://example.org/x?y=1! And (https://example.net/z).";
		assertThat(Facets.detect(text)).containsExactly(
				expected(text, "https://example.com/page", Kind.LINK, "https://example.com/page"),
				expected(text, "https://example.org/x?y=1", Kind.LINK, "https://example.org/x?y=1"),
				expected(text, "https://example.net/z", Kind.LINK, "https://example.net/z"));
	}

	@Test
	void linkKeepsTheBracketsItOpens() {
		String text = "see https://en.wikipedia.org/wiki/Java_(programming_language), ok";
		String link = "https://en.wikipedia.org/wiki/Java_(programming_language)";
		assertThat(Facets.detect(text)).containsExactly(expected(text, link, Kind.LINK, link));
	}

	@Test
	void bareDomainIsALinkWithHttps() {
		String text = "go to example.com/path?q=1, or bsky.app";
		assertThat(Facets.detect(text)).containsExactly(
				expected(text, "example.com/path?q=1", Kind.LINK, "https://example.com/path?q=1"),
				expected(text, "bsky.app", Kind.LINK, "https://bsky.app"));
	}

	@Test
	void plainHttpLinkToAHostWithAPort() {
		String text = "http://localhost:2583/xrpc/_health";
		assertThat(Facets.detect(text)).containsExactly(expected(text, text, Kind.LINK, text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "file.txt", "e.g. this", "version 1.2.3", "https://", "https://.", "ahttps://example.com",
			"v1.example", "me@example.com" })
	void noLink(String text) {
		assertThat(Facets.detect(text)).noneMatch((facet) -> facet.kind() == Kind.LINK);
	}

	// --- hashtags

	@Test
	void hashtagWithoutTrailingPunctuation() {
		String text = "#java and #spring-boot! also #a1, #ok...";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "#java", Kind.TAG, "java"),
				expected(text, "#spring-boot", Kind.TAG, "spring-boot"), expected(text, "#a1", Kind.TAG, "a1"),
				expected(text, "#ok", Kind.TAG, "ok"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "#123", "#1,000", "# tag", "a#tag", "#\uFE0F\u20E3 keycap", "#!!!", "#", "x ＃" })
	void noHashtag(String text) {
		assertThat(Facets.detect(text)).noneMatch((facet) -> facet.kind() == Kind.TAG);
	}

	@Test
	void fullWidthHashSignStartsAHashtag() {
		String text = "東京 ＃東京タワー です";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "＃東京タワー", Kind.TAG, "東京タワー"));
	}

	@Test
	void hashtagEndsAtAZeroWidthSpace() {
		String text = "#tag\u200Bmore";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "#tag", Kind.TAG, "tag"));
	}

	@Test
	void hashtagKeepsAnEmojiZwjSequenceWhole() {
		String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
		String text = "#family" + family + "\u200D and #\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "#family" + family, Kind.TAG, "family" + family),
				expected(text, "#\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", Kind.TAG,
						"\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"));
	}

	@Test
	void hashtagOfSixtyFourGraphemesButNotSixtyFive() {
		String accented = "e\u0301";
		String longest = accented.repeat(Facets.MAX_TAG_GRAPHEMES);
		String text = "#" + longest;
		assertThat(Facets.detect(text)).containsExactly(expected(text, text, Kind.TAG, longest));
		assertThat(Facets.detect("#" + accented.repeat(Facets.MAX_TAG_GRAPHEMES + 1))).isEmpty();
	}

	@Test
	void hashtagOfMoreThan640BytesIsNone() {
		// 64 graphemes, but 25 bytes each
		String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
		assertThat(Facets.detect("#" + family.repeat(Facets.MAX_TAG_GRAPHEMES))).isEmpty();
		String text = "#" + "a".repeat(Facets.MAX_TAG_GRAPHEMES - 1) + family;
		assertThat(Facets.detect(text)).singleElement().isEqualTo(expected(text, text, Kind.TAG, text.substring(1)));
	}

	// --- offsets in text of every kind

	@Test
	void offsetsAfterEmojiZwjSequencesFlagsAndSkinTones() {
		String family = "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66";
		String flag = "\uD83C\uDDEF\uD83C\uDDF5";
		String thumbs = "\uD83D\uDC4D\uD83C\uDFFD";
		String text = family + " " + flag + " @alice.test " + thumbs + " https://example.com " + family + " #emoji"
				+ thumbs;
		assertThat(Facets.detect(text)).containsExactly(expected(text, "@alice.test", Kind.MENTION, "alice.test"),
				expected(text, "https://example.com", Kind.LINK, "https://example.com"),
				expected(text, "#emoji" + thumbs, Kind.TAG, "emoji" + thumbs));
	}

	@Test
	void offsetsInCjkText() {
		String text = "こんにちは世界 @bob.test さん、 https://example.jp/東京 を見て #日本語 #한국어 #中文";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "@bob.test", Kind.MENTION, "bob.test"),
				expected(text, "https://example.jp/東京", Kind.LINK, "https://example.jp/東京"),
				expected(text, "#日本語", Kind.TAG, "日本語"), expected(text, "#한국어", Kind.TAG, "한국어"),
				expected(text, "#中文", Kind.TAG, "中文"));
	}

	@Test
	void offsetsInArabicText() {
		String text = "مرحبا بالعالم @carol.test #مرحبا https://example.com/ar.";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "@carol.test", Kind.MENTION, "carol.test"),
				expected(text, "#مرحبا", Kind.TAG, "مرحبا"),
				expected(text, "https://example.com/ar", Kind.LINK, "https://example.com/ar"));
	}

	@Test
	void offsetsInDevanagariText() {
		String text = "नमस्ते दुनिया #हिन्दी @dave.test।";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "#हिन्दी", Kind.TAG, "हिन्दी"),
				expected(text, "@dave.test", Kind.MENTION, "dave.test"));
	}

	@Test
	void offsetsAfterCombiningMarks() {
		String text = "cafe\u0301 \u0041\u030A\u0301 #cafe\u0301 @eve.test";
		assertThat(Facets.detect(text)).containsExactly(expected(text, "#cafe\u0301", Kind.TAG, "cafe\u0301"),
				expected(text, "@eve.test", Kind.MENTION, "eve.test"));
	}

	@Test
	void everyFacetSpansExactlyItsTextInAMixedText() {
		String text = "🇫🇷 Ça va? @frank.test — voir https://exemple.fr/été! #été 😀 بالعربية #عربي नमस्ते #नमस्ते ＃全角";
		List<DetectedFacet> facets = Facets.detect(text);
		assertThat(facets).extracting((facet) -> spanned(text, facet))
			.containsExactly("@frank.test", "https://exemple.fr/été", "#été", "#عربي", "#नमस्ते", "＃全角");
	}

	@Test
	void facetsNeverOverlap() {
		String text = "https://example.com/@alice.test #x https://example.com/#y";
		List<DetectedFacet> facets = Facets.detect(text);
		for (int i = 1; i < facets.size(); i++) {
			assertThat(facets.get(i).byteStart()).isGreaterThanOrEqualTo(facets.get(i - 1).byteEnd());
		}
		assertThat(facets).extracting(DetectedFacet::kind).containsExactly(Kind.LINK, Kind.TAG, Kind.LINK);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ascii", "é", "日本", "🇯🇵", "👩‍👩‍👧‍👦", "e\u0301", "नमस्ते", "مرحبا", "a😀b😀c" })
	void utf8LengthIsTheLengthOfTheEncoding(String text) {
		assertThat(Utf8.length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		for (int i = 0; i <= text.length(); i++) {
			if (i == 0 || i == text.length() || !Character.isLowSurrogate(text.charAt(i))) {
				assertThat(Utf8.length(text, 0, i))
					.isEqualTo(text.substring(0, i).getBytes(StandardCharsets.UTF_8).length);
			}
		}
	}

}
