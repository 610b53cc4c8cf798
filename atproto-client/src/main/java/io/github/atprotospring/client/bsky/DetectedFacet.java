package io.github.atprotospring.client.bsky;

import java.util.Objects;

/**
 * A mention, link or hashtag found in a text, before any network call: where it is, as
 * UTF-8 byte offsets into the text (the unit of {@code app.bsky.richtext.facet}), and
 * what it points to.
 *
 * @param kind what was found
 * @param byteStart the offset of its first byte, inclusive
 * @param byteEnd the offset after its last byte, exclusive
 * @param value the handle of a mention (without {@code @}, lower case), the URI of a link
 * ({@code https://} added to a bare domain), or the tag of a hashtag (without {@code #})
 */
public record DetectedFacet(Kind kind, int byteStart, int byteEnd, String value) {

	/**
	 * Checks the offsets.
	 * @param kind what was found
	 * @param byteStart the offset of its first byte, inclusive
	 * @param byteEnd the offset after its last byte, exclusive
	 * @param value what it points to
	 */
	public DetectedFacet {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(value, "value");
		if (byteStart < 0 || byteEnd <= byteStart) {
			throw new IllegalArgumentException(
					"A facet must span at least one byte, but was [" + byteStart + ", " + byteEnd + ")");
		}
	}

	/**
	 * What a facet is.
	 */
	public enum Kind {

		/**
		 * {@code @handle}: a mention, whose handle is resolved to a DID before posting.
		 */
		MENTION,

		/** An http(s) URL or a bare domain link. */
		LINK,

		/** {@code #tag} (or the full-width {@code ＃tag}). */
		TAG

	}

}
