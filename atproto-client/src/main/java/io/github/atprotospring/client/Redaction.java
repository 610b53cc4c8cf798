package io.github.atprotospring.client;

/**
 * Takes the tokens of a session out of a text that came from elsewhere (an exception
 * thrown by a listener, a store's error) before it is logged.
 */
final class Redaction {

	static final String REDACTED = "<redacted>";

	private Redaction() {
	}

	static String redact(String text, Session session) {
		if (text == null || session == null) {
			return text;
		}
		return text.replace(session.accessJwt(), REDACTED).replace(session.refreshJwt(), REDACTED);
	}

	static String describe(Throwable ex, Session session) {
		return ex.getClass().getName() + ": " + redact(ex.getMessage(), session);
	}

}
