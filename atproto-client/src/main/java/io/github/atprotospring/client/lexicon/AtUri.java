package io.github.atprotospring.client.lexicon;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An AT URI, {@code at://<authority>/<collection>/<rkey>}: the address of a repository, a
 * collection or a record. Written in JSON as its string, which it keeps exactly as it was
 * given or read.
 */
public final class AtUri {

	private static final String SCHEME = "at://";

	private final String value;

	private AtUri(String value) {
		this.value = value;
	}

	/**
	 * An AT URI from its text.
	 * @param value the text, such as {@code at://did:plc:abc/app.bsky.feed.post/3k2a}
	 * @return the AT URI
	 * @throws IllegalArgumentException if the text is not {@code at://} and an authority
	 */
	public static AtUri parse(String value) {
		if (value == null || !value.startsWith(SCHEME) || value.length() == SCHEME.length()
				|| value.charAt(SCHEME.length()) == '/') {
			throw new IllegalArgumentException(
					"An AT URI is at://<authority>[/<collection>[/<rkey>]], but was '" + value + "'");
		}
		return new AtUri(value);
	}

	/**
	 * The AT URI of a record.
	 * @param authority the repository's DID (or handle)
	 * @param collection the collection NSID, such as {@code app.bsky.feed.post}
	 * @param rkey the record key
	 * @return the AT URI
	 */
	public static AtUri of(String authority, String collection, String rkey) {
		Objects.requireNonNull(authority, "authority");
		Objects.requireNonNull(collection, "collection");
		Objects.requireNonNull(rkey, "rkey");
		return parse(SCHEME + authority + "/" + collection + "/" + rkey);
	}

	/** Reads what a server sent as it is: reading never fails on the shape of a URI. */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static AtUri read(String value) {
		return (value != null) ? new AtUri(value) : null;
	}

	/**
	 * The repository: a DID or a handle.
	 * @return the authority
	 */
	public String authority() {
		return segment(0);
	}

	/**
	 * The collection NSID.
	 * @return the collection, or {@code null} if the URI names a repository only
	 */
	public String collection() {
		return segment(1);
	}

	/**
	 * The record key.
	 * @return the record key, or {@code null} if the URI names no record
	 */
	public String rkey() {
		return segment(2);
	}

	private String segment(int index) {
		String path = this.value.startsWith(SCHEME) ? this.value.substring(SCHEME.length()) : this.value;
		int end = indexOfAny(path, "?#");
		String[] segments = ((end >= 0) ? path.substring(0, end) : path).split("/", -1);
		return (index < segments.length && !segments[index].isEmpty()) ? segments[index] : null;
	}

	private static int indexOfAny(String text, String chars) {
		for (int i = 0; i < text.length(); i++) {
			if (chars.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof AtUri uri && uri.value.equals(this.value);
	}

	@Override
	public int hashCode() {
		return this.value.hashCode();
	}

	/**
	 * The AT URI as it was given or read.
	 * @return the text
	 */
	@JsonValue
	@Override
	public String toString() {
		return this.value;
	}

}
