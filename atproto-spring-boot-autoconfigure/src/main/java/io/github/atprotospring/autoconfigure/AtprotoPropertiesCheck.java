package io.github.atprotospring.autoconfigure;

import java.time.Duration;

import io.github.atprotospring.client.AtprotoClient;

/**
 * Checks {@code atproto.*} values and says which property to fix, before the client would
 * fail with a message that knows nothing of properties.
 */
final class AtprotoPropertiesCheck {

	private AtprotoPropertiesCheck() {
	}

	/** Sets the service, or says which property holds a value the client refuses. */
	static void service(AtprotoClient.Builder builder, AtprotoProperties properties) {
		try {
			builder.service(properties.getService());
		}
		catch (IllegalArgumentException ex) {
			// Not chained: the root cause a startup report shows must name the property.
			throw new IllegalStateException(
					"atproto.service must be an http or https URL, such as https://bsky.social, " + "but is '"
							+ properties.getService() + "'");
		}
	}

	static Duration refreshMargin(AtprotoProperties properties) {
		Duration margin = properties.getSession().getRefreshMargin();
		if (margin == null || margin.isNegative()) {
			throw new IllegalStateException(
					"atproto.session.refresh-margin must be zero or positive, but is " + margin);
		}
		return margin;
	}

	/** A duration property that must be positive, or which property to fix. */
	static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalStateException(property + " must be a positive duration, such as 30s, but is " + value);
		}
		return value;
	}

}
