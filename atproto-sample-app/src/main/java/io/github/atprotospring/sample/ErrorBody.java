package io.github.atprotospring.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of every error answer of the sample: {@code error} (a name to match on),
 * {@code message} (what happened and what to do), {@code at}.
 */
final class ErrorBody {

	private ErrorBody() {
	}

	static Map<String, Object> of(String error, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("message", message);
		body.put("at", Instant.now());
		return body;
	}

}
