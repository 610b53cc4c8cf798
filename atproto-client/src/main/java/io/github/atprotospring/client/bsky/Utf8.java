package io.github.atprotospring.client.bsky;

/**
 * UTF-8 lengths of Java (UTF-16) text, for facet byte offsets.
 */
final class Utf8 {

	private Utf8() {
	}

	/**
	 * The number of UTF-8 bytes of {@code text[from, to)}. A lone surrogate counts as the
	 * three bytes of the replacement character, as the JavaScript PDS and AppView encode
	 * it.
	 * @param text the text
	 * @param from the first UTF-16 index, inclusive
	 * @param to the last UTF-16 index, exclusive
	 * @return the number of bytes
	 */
	static int length(CharSequence text, int from, int to) {
		int bytes = 0;
		int i = from;
		while (i < to) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else {
				bytes += 3;
			}
			i++;
		}
		return bytes;
	}

	/**
	 * The number of UTF-8 bytes of a whole text.
	 * @param text the text
	 * @return the number of bytes
	 */
	static int length(CharSequence text) {
		return length(text, 0, text.length());
	}

}
