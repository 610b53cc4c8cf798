package io.github.atprotospring.sample;

import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;

/**
 * Reads the text of a new post from a request body and checks it as the lexicon of
 * {@code app.bsky.feed.post} does: a string, at most 300 graphemes and 3,000 bytes of
 * UTF-8. The sample also refuses a blank text, since it posts nothing else (no images, no
 * quotes) that would make an empty text meaningful.
 */
final class PostText {

	/** The lexicon's {@code maxGraphemes} of a post's text. */
	static final int MAX_GRAPHEMES = 300;

	/** The lexicon's {@code maxLength} of a post's text, in bytes of UTF-8. */
	static final int MAX_BYTES = 3000;

	private static final String EXAMPLE = "send {\"text\": \"Hello\"}";

	private PostText() {
	}

	/**
	 * The checked text of {@code body}.
	 * @param body the request body
	 * @return the text to post
	 * @throws InvalidInputException if the body or its text is not a valid post
	 */
	static String from(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw new InvalidInputException(
					"The body must be a JSON object (got " + describe(body) + "): " + EXAMPLE + ".");
		}
		JsonNode text = body.get("text");
		if (text == null || text.isNull()) {
			throw new InvalidInputException("\"text\" is required: " + EXAMPLE + ".");
		}
		if (!text.isString()) {
			throw new InvalidInputException(
					"\"text\" must be a JSON string (got " + describe(text) + "): " + EXAMPLE + ".");
		}
		String value = text.stringValue();
		if (value.isBlank()) {
			throw new InvalidInputException("\"text\" is blank: a post needs some text.");
		}
		// Bytes first: it bounds the work of counting graphemes.
		int bytes = value.getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_BYTES) {
			throw new InvalidInputException(
					"\"text\" is too long: " + bytes + " bytes in UTF-8, a post may have at most " + MAX_BYTES
							+ " (characters outside ASCII take 2 to 4 bytes each).");
		}
		int graphemes = Graphemes.count(value);
		if (graphemes > MAX_GRAPHEMES) {
			throw new InvalidInputException("\"text\" is too long: " + graphemes
					+ " characters (graphemes), a post may have at most " + MAX_GRAPHEMES + ".");
		}
		return value;
	}

	/**
	 * The JSON type of a value, for a message (never the value itself, which may be
	 * long).
	 */
	private static String describe(JsonNode value) {
		if (value == null || value.isNull()) {
			return "nothing";
		}
		if (value.isArray()) {
			return "an array";
		}
		if (value.isObject()) {
			return "an object";
		}
		if (value.isString()) {
			return "a string";
		}
		if (value.isNumber()) {
			return "a number";
		}
		if (value.isBoolean()) {
			return "a boolean";
		}
		return value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
	}

}
