package io.github.atprotospring.client;

/**
 * The one normal form of the service URLs that key sessions: the client, the stores and
 * the login budgets all use it, so that {@code https://bsky.social/} and
 * {@code https://bsky.social} are the same service everywhere.
 */
public final class AtprotoUrls {

	private AtprotoUrls() {
	}

	/**
	 * A service or PDS URL in normal form: without surrounding blanks and trailing
	 * slashes.
	 * @param url the URL
	 * @return the URL in normal form
	 */
	public static String normalize(String url) {
		return Endpoints.normalize(url);
	}

}
