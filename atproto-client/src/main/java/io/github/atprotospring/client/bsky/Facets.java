package io.github.atprotospring.client.bsky;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds mentions, links and hashtags in a text the way Bluesky's own clients do, and
 * tells where they are in UTF-8 bytes, the unit of {@code app.bsky.richtext.facet}.
 * <ul>
 * <li>A mention is {@code @} and a handle, at the start of the text or after white space
 * or {@code (}; the handle must end in a known top-level domain (or {@code .test}, the
 * domain of test servers). A trailing dot or hyphen is not part of it.</li>
 * <li>A link is an {@code http://} or {@code https://} URL, or a bare domain with a known
 * top-level domain (then {@code https://} is put before it), at the start of the text or
 * after white space or {@code (}. Trailing punctuation ({@code .,;:!?} and quotes) is not
 * part of it, nor is a closing bracket that the link does not open.</li>
 * <li>A hashtag is {@code #} (or the full-width {@code ＃}) at the start of the text or
 * after white space, and the characters up to the next white space or zero-width
 * character, without trailing punctuation (zero-width joiners, which join emoji and
 * letters, do not end it). It must not be digits only, and at most 64 graphemes (640
 * bytes) long. {@code #️⃣} (the keycap emoji) is no hashtag.</li>
 * </ul>
 * Offsets are computed on the text as given: emoji (also ZWJ sequences and flags),
 * combining marks and every script take the bytes UTF-8 gives them. Facets never overlap;
 * where two would, the earlier one wins.
 */
public final class Facets {

	/**
	 * White space (Unicode's White_Space property), which ends a link or tag and may
	 * precede one.
	 */
	private static final String SPACE = "\\p{IsWhite_Space}";

	private static final Pattern MENTION = Pattern.compile("(?<![^" + SPACE + "(])@([a-zA-Z0-9.-]+)");

	private static final Pattern LINK = Pattern.compile(
			"(?<![^" + SPACE + "(])(?:(https?://[^" + SPACE + "]+)|([a-z][a-z0-9]*(?:\\.[a-z0-9]+)+)[^" + SPACE + "]*)",
			Pattern.CASE_INSENSITIVE);

	/**
	 * Characters that end a tag: white space and the invisible spaces. Unlike Bluesky's
	 * clients, the zero-width (non-)joiners do not end one: they sit inside emoji
	 * sequences (👩‍👩‍👧) and inside words of several scripts (Persian, Devanagari), and
	 * a tag cut there would end inside a grapheme.
	 */
	private static final String TAG_END = SPACE + "\\u00AD\\u2060\\u200A\\u200B\\u20E2";

	private static final Pattern TAG = Pattern.compile("(?<![^" + SPACE + "])([#\\uFF03])([^" + TAG_END + "]+)");

	private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{P}\\u200C\\u200D]+$");

	private static final Pattern TAG_LETTER = Pattern.compile("[^0-9\\p{P}]");

	private static final Pattern GRAPHEME = Pattern.compile("\\X");

	/** The most graphemes a tag may have ({@code app.bsky.richtext.facet#tag}). */
	public static final int MAX_TAG_GRAPHEMES = 64;

	/** The most bytes a tag may have ({@code app.bsky.richtext.facet#tag}). */
	public static final int MAX_TAG_BYTES = 640;

	private static final String LINK_TRAILING = ".,;:!?\"'";

	private static final Set<String> TOP_LEVEL_DOMAINS = topLevelDomains();

	private Facets() {
	}

	/**
	 * The mentions, links and hashtags of a text, in the order they appear.
	 * @param text the text
	 * @return the facets found, by their first byte; empty if none
	 */
	public static List<DetectedFacet> detect(String text) {
		List<DetectedFacet> found = new ArrayList<>();
		mentions(text, found);
		links(text, found);
		tags(text, found);
		found.sort(Comparator.comparingInt(DetectedFacet::byteStart));
		List<DetectedFacet> kept = new ArrayList<>(found.size());
		int end = 0;
		for (DetectedFacet facet : found) {
			if (facet.byteStart() >= end) {
				kept.add(facet);
				end = facet.byteEnd();
			}
		}
		return List.copyOf(kept);
	}

	/**
	 * Whether a name is a handle a mention may name: a syntactically valid domain name of
	 * two labels or more whose top-level domain is a known one or {@code test}.
	 * @param handle the handle, without {@code @}
	 * @return {@code true} if a mention may name it
	 */
	public static boolean isMentionableHandle(String handle) {
		String name = handle.toLowerCase(Locale.ROOT);
		if (name.length() > 253 || !isDomainSyntax(name)) {
			return false;
		}
		String tld = name.substring(name.lastIndexOf('.') + 1);
		return tld.equals("test") || TOP_LEVEL_DOMAINS.contains(tld);
	}

	private static void mentions(String text, List<DetectedFacet> found) {
		Matcher matcher = MENTION.matcher(text);
		while (matcher.find()) {
			int start = matcher.start(1);
			int end = matcher.end(1);
			if (end < text.length() && isWordChar(text.codePointAt(end))) {
				// "@alice.test_x" or "@alice.testé": no handle ends there
				continue;
			}
			while (end > start && !isAsciiLetterOrDigit(text.charAt(end - 1))) {
				end--;
			}
			String handle = text.substring(start, end);
			if (!isMentionableHandle(handle)) {
				continue;
			}
			int at = matcher.start();
			int byteStart = Utf8.length(text, 0, at);
			found.add(new DetectedFacet(DetectedFacet.Kind.MENTION, byteStart, byteStart + Utf8.length(text, at, end),
					handle.toLowerCase(Locale.ROOT)));
		}
	}

	private static void links(String text, List<DetectedFacet> found) {
		Matcher matcher = LINK.matcher(text);
		while (matcher.find()) {
			String domain = matcher.group(2);
			if (domain != null && !isLinkableDomain(domain)) {
				continue;
			}
			int start = matcher.start();
			int end = trimLink(text, start, matcher.end());
			String uri = text.substring(start, end);
			if (domain == null) {
				if (uri.indexOf("://") + 3 == uri.length()) {
					continue;
				}
			}
			else {
				uri = "https://" + uri;
			}
			int byteStart = Utf8.length(text, 0, start);
			found.add(new DetectedFacet(DetectedFacet.Kind.LINK, byteStart, byteStart + Utf8.length(text, start, end),
					uri));
		}
	}

	/**
	 * The end of a link without the punctuation that closes the sentence around it, and
	 * without closing brackets it does not open.
	 */
	private static int trimLink(String text, int start, int end) {
		while (end > start) {
			char last = text.charAt(end - 1);
			if (LINK_TRAILING.indexOf(last) >= 0) {
				end--;
			}
			else if ((last == ')' && count(text, start, end, ')') > count(text, start, end, '('))
					|| (last == ']' && count(text, start, end, ']') > count(text, start, end, '['))) {
				end--;
			}
			else {
				break;
			}
		}
		return end;
	}

	private static int count(String text, int from, int to, char c) {
		int n = 0;
		for (int i = from; i < to; i++) {
			if (text.charAt(i) == c) {
				n++;
			}
		}
		return n;
	}

	private static void tags(String text, List<DetectedFacet> found) {
		Matcher matcher = TAG.matcher(text);
		while (matcher.find()) {
			String body = matcher.group(2);
			if (body.charAt(0) == '\uFE0F') {
				// #️⃣, the keycap emoji
				continue;
			}
			String tag = TRAILING_PUNCTUATION.matcher(body).replaceFirst("");
			if (tag.isEmpty() || !TAG_LETTER.matcher(tag).find() || Utf8.length(tag) > MAX_TAG_BYTES
					|| graphemes(tag) > MAX_TAG_GRAPHEMES) {
				continue;
			}
			int hash = matcher.start(1);
			int byteStart = Utf8.length(text, 0, hash);
			int end = matcher.start(2) + tag.length();
			found.add(new DetectedFacet(DetectedFacet.Kind.TAG, byteStart, byteStart + Utf8.length(text, hash, end),
					tag));
		}
	}

	private static int graphemes(String text) {
		Matcher matcher = GRAPHEME.matcher(text);
		int n = 0;
		while (matcher.find()) {
			n++;
		}
		return n;
	}

	private static boolean isLinkableDomain(String domain) {
		String name = domain.toLowerCase(Locale.ROOT);
		return isDomainSyntax(name) && TOP_LEVEL_DOMAINS.contains(name.substring(name.lastIndexOf('.') + 1));
	}

	/**
	 * Two labels or more of letters, digits and inner hyphens, 63 characters at most
	 * each; the last starts with a letter.
	 */
	private static boolean isDomainSyntax(String name) {
		String[] labels = name.split("\\.", -1);
		if (labels.length < 2) {
			return false;
		}
		for (String label : labels) {
			if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
					|| !label.chars().allMatch((c) -> c == '-' || isAsciiLetterOrDigit((char) c))) {
				return false;
			}
		}
		char first = labels[labels.length - 1].charAt(0);
		return first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z';
	}

	private static boolean isAsciiLetterOrDigit(char c) {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
	}

	private static boolean isWordChar(int codePoint) {
		return codePoint == '_' || Character.isLetterOrDigit(codePoint);
	}

	private static Set<String> topLevelDomains() {
		Set<String> domains = new HashSet<>();
		try (InputStream in = Facets.class.getResourceAsStream("tlds.txt")) {
			if (in == null) {
				throw new IllegalStateException("tlds.txt is missing beside " + Facets.class.getName());
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isBlank() && !line.startsWith("#")) {
					domains.add(line.strip());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return Set.copyOf(domains);
	}

}
