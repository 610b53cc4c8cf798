package io.github.atprotospring.client;

import java.util.regex.Pattern;

/**
 * Makes text that came from a server fit for an exception message or a log line: no
 * control characters (a CR/LF would forge log lines), nothing that looks like a token (a
 * hostile server may repeat one it was sent or issued), and a bounded length.
 */
final class ServerText {

	static final String REDACTED = "<redacted>";

	/** Three base64url parts, the first a JSON object: every atproto JWT looks so. */
	private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

	private ServerText() {
	}

	/**
	 * The text, cleaned.
	 * @param text the server's text, may be {@code null}
	 * @param maxLength the most characters kept
	 * @return the cleaned text, or {@code null}
	 */
	static String clean(String text, int maxLength) {
		if (text == null) {
			return null;
		}
		String shortened = (text.length() > maxLength + 1024) ? text.substring(0, maxLength + 1024) : text;
		StringBuilder cleaned = new StringBuilder(shortened.length());
		shortened.codePoints()
			.forEach((c) -> cleaned.appendCodePoint((Character.isISOControl(c) || isLineBreak(c)) ? ' ' : c));
		String redacted = JWT.matcher(cleaned).replaceAll(REDACTED);
		return (redacted.length() > maxLength) ? redacted.substring(0, maxLength) + "..." : redacted;
	}

	/**
	 * Whether a text holds something that looks like a JWT.
	 * @param text the text
	 * @return {@code true} if it does
	 */
	static boolean looksLikeJwt(String text) {
		return text != null && JWT.matcher(text).find();
	}

	/**
	 * Whether a text holds whitespace or a control character, which no token, DID, handle
	 * or URL may hold.
	 * @param text the text
	 * @return {@code true} if it does
	 */
	static boolean hasWhitespaceOrControl(String text) {
		return text.codePoints()
			.anyMatch((c) -> Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
					|| isLineBreak(c) || c == '\u200b' || c == '\ufeff');
	}

	/**
	 * Whether a text holds a control character.
	 * @param text the text
	 * @return {@code true} if it does
	 */
	static boolean hasControl(String text) {
		return text.codePoints().anyMatch((c) -> Character.isISOControl(c) || isLineBreak(c));
	}

	private static boolean isLineBreak(int c) {
		return c == '\u2028' || c == '\u2029' || c == '\u0085';
	}

}
