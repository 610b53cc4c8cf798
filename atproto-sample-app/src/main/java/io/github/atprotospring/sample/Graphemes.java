package io.github.atprotospring.sample;

import java.text.BreakIterator;
import java.util.Locale;

/**
 * Counts graphemes (user-perceived characters) as the lexicon's {@code maxGraphemes}
 * does, without ICU.
 * <p>
 * {@link BreakIterator#getCharacterInstance()} keeps a letter and its combining marks
 * together on every JDK, but before JDK 20 it splits emoji sequences that the lexicon
 * validator (Unicode extended grapheme clusters) counts as one: a skin-tone modifier, a
 * ZWJ sequence such as a family, a flag of two regional indicators, a subdivision flag's
 * tag characters. Those are joined here, so that the count agrees with the server on the
 * emoji people actually post; on a newer JDK the iterator already joins them and nothing
 * changes.
 */
final class Graphemes {

	private static final int ZERO_WIDTH_JOINER = 0x200D;

	private Graphemes() {
	}

	/**
	 * The number of graphemes in {@code text}.
	 * @param text the text
	 * @return its grapheme count
	 */
	static int count(String text) {
		BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
		clusters.setText(text);
		int count = 0;
		int start = clusters.first();
		int previousStart = -1;
		for (int end = clusters.next(); end != BreakIterator.DONE; start = end, end = clusters.next()) {
			if (previousStart < 0 || !continuesPrevious(text, previousStart, start)) {
				count++;
			}
			previousStart = start;
		}
		return count;
	}

	/**
	 * Whether the cluster at {@code start} belongs to the one before it, which began at
	 * {@code previousStart}.
	 */
	private static boolean continuesPrevious(String text, int previousStart, int start) {
		int first = text.codePointAt(start);
		int last = text.codePointBefore(start);
		if (first == ZERO_WIDTH_JOINER || isEmojiModifier(first) || isTag(first)
				|| (last == ZERO_WIDTH_JOINER && isPictographic(first))) {
			return true;
		}
		// A flag is a pair of regional indicators: join a second one to a lone first.
		return isRegionalIndicator(first) && isRegionalIndicator(last)
				&& start - previousStart == Character.charCount(last) && !pairedBefore(text, previousStart);
	}

	/**
	 * Whether the regional indicator at {@code index} is the second of a pair (an odd run
	 * of indicators before it).
	 */
	private static boolean pairedBefore(String text, int index) {
		int run = 0;
		for (int i = index; i > 0 && isRegionalIndicator(text.codePointBefore(i)); i -= 2) {
			run++;
		}
		return run % 2 == 1;
	}

	/**
	 * The blocks that hold the emoji of ZWJ sequences (an approximation of
	 * Extended_Pictographic, which the JDK does not expose).
	 */
	private static boolean isPictographic(int codePoint) {
		return (codePoint >= 0x1F000 && codePoint <= 0x1FAFF) || (codePoint >= 0x2300 && codePoint <= 0x27BF)
				|| (codePoint >= 0x2B00 && codePoint <= 0x2BFF);
	}

	private static boolean isEmojiModifier(int codePoint) {
		return codePoint >= 0x1F3FB && codePoint <= 0x1F3FF;
	}

	private static boolean isTag(int codePoint) {
		return codePoint >= 0xE0020 && codePoint <= 0xE007F;
	}

	private static boolean isRegionalIndicator(int codePoint) {
		return codePoint >= 0x1F1E6 && codePoint <= 0x1F1FF;
	}

}
