package io.github.atprotospring.autoconfigure;

import java.net.URI;
import java.time.Duration;

/**
 * Checks {@code atproto.*} values and says which property to fix, before the client would fail with
 * a message that knows nothing of properties.
 */
final class AtprotoPropertiesCheck {

	private AtprotoPropertiesCheck() {
	}

	static String service(AtprotoProperties properties) {
		String service = properties.getService();
		try {
			URI uri = URI.create((service != null) ? service.strip() : "");
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
				return service.strip();
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new IllegalStateException(
				"atproto.service must be an http or https URL, such as https://bsky.social, but is '" + service + "'");
	}

	static Duration refreshMargin(AtprotoProperties properties) {
		Duration margin = properties.getSession().getRefreshMargin();
		if (margin == null || margin.isNegative()) {
			throw new IllegalStateException("atproto.session.refresh-margin must be zero or positive, but is " + margin);
		}
		return margin;
	}

}
