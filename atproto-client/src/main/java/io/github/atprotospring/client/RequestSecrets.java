package io.github.atprotospring.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;

/**
 * The secrets one request carries (its bearer token, a password or sign-in code in its
 * body), so that whatever the server answers can be cleaned of them before it reaches an
 * exception or a log: a hostile server may repeat them in an error message, a header or a
 * redirect.
 */
final class RequestSecrets {

	private static final RequestSecrets NONE = new RequestSecrets(List.of());

	private final List<String> secrets;

	private RequestSecrets(List<String> secrets) {
		this.secrets = secrets;
	}

	/**
	 * The secrets of a request.
	 * @param bearer the bearer token, or {@code null}
	 * @param body the request body, or {@code null}; the values of the password, token
	 * and JWT fields of a map or a JSON object are secrets
	 * @return the secrets
	 */
	static RequestSecrets of(String bearer, Object body) {
		List<String> secrets = new ArrayList<>();
		if (bearer != null && !bearer.isEmpty()) {
			secrets.add(bearer);
		}
		if (body instanceof Map<?, ?> fields) {
			fields.forEach((name, value) -> addIfSecret(secrets, String.valueOf(name), value));
		}
		else if (body instanceof ObjectNode fields) {
			fields.properties()
				.forEach((field) -> addIfSecret(secrets, field.getKey(),
						field.getValue().isString() ? field.getValue().stringValue() : null));
		}
		// The longest first, so that a secret inside another is not left half replaced.
		secrets.sort((a, b) -> Integer.compare(b.length(), a.length()));
		return secrets.isEmpty() ? NONE : new RequestSecrets(Collections.unmodifiableList(secrets));
	}

	private static void addIfSecret(List<String> secrets, String name, Object value) {
		String key = name.toLowerCase(Locale.ROOT);
		if (value instanceof String text && !text.isEmpty()
				&& (key.contains("password") || key.contains("token") || key.contains("jwt"))) {
			secrets.add(text);
		}
	}

	/**
	 * A text without the request's secrets.
	 * @param text the text, may be {@code null}
	 * @return the text with every secret replaced by {@code <redacted>}
	 */
	String redact(String text) {
		if (text == null) {
			return null;
		}
		String redacted = text;
		for (String secret : this.secrets) {
			redacted = redacted.replace(secret, ServerText.REDACTED);
		}
		return redacted;
	}

	/**
	 * An answer body without the request's secrets. A JSON body is cleaned value by value
	 * (so that an escaped secret is found too) and written again; any other body as text.
	 * @param body the body
	 * @param json the mapper to read and write JSON with
	 * @return the cleaned body
	 */
	byte[] redactBody(byte[] body, JsonMapper json) {
		if (this.secrets.isEmpty() || body.length == 0) {
			return body;
		}
		try {
			JsonNode tree = json.readTree(body);
			if (tree != null && (tree.isObject() || tree.isArray())) {
				return json.writeValueAsBytes(redactTree(tree));
			}
		}
		catch (JacksonException ex) {
			// not JSON (or cut off at the size limit): cleaned as text below
		}
		return redact(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Headers without the request's secrets.
	 * @param headers the answer's headers
	 * @return a cleaned copy
	 */
	HttpHeaders redact(HttpHeaders headers) {
		HttpHeaders copy = new HttpHeaders();
		headers.forEach((name, values) -> values.forEach((value) -> copy.add(name, redact(value))));
		return copy;
	}

	private JsonNode redactTree(JsonNode node) {
		if (node.isString()) {
			return node.stringValue().equals(redact(node.stringValue())) ? node
					: tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(redact(node.stringValue()));
		}
		if (node instanceof ObjectNode object) {
			ObjectNode copy = object.objectNode();
			object.properties().forEach((entry) -> copy.set(redact(entry.getKey()), redactTree(entry.getValue())));
			return copy;
		}
		if (node instanceof ArrayNode array) {
			ArrayNode copy = array.arrayNode();
			array.forEach((element) -> copy.add(redactTree(element)));
			return copy;
		}
		return node;
	}

}
