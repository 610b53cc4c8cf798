package io.github.atprotospring.client.lexicon;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.JsonNode;

/**
 * A lexicon {@code bytes}: written in JSON as <code>{"$bytes": "&lt;base64&gt;"}</code>
 * (unpadded base64, as the atproto data model has it; padded base64 is read too).
 */
public final class Bytes {

	private final byte[] bytes;

	private Bytes(byte[] bytes) {
		this.bytes = bytes;
	}

	/**
	 * Bytes (copied).
	 * @param bytes the bytes
	 * @return the value
	 */
	public static Bytes of(byte[] bytes) {
		return new Bytes(Objects.requireNonNull(bytes, "bytes").clone());
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static Bytes read(JsonNode json) {
		JsonNode base64 = (json != null) ? json.get("$bytes") : null;
		if (base64 == null || !base64.isString()) {
			throw new IllegalArgumentException("bytes are {\"$bytes\": \"<base64>\"}");
		}
		return new Bytes(Base64.getDecoder().decode(base64.stringValue()));
	}

	/**
	 * The bytes (a copy).
	 * @return the bytes
	 */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	/**
	 * The length.
	 * @return the number of bytes
	 */
	public int length() {
		return this.bytes.length;
	}

	@JsonValue
	Map<String, String> json() {
		return Map.of("$bytes", Base64.getEncoder().withoutPadding().encodeToString(this.bytes));
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Bytes that && Arrays.equals(that.bytes, this.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes);
	}

	@Override
	public String toString() {
		return "Bytes[" + this.bytes.length + "]";
	}

}
