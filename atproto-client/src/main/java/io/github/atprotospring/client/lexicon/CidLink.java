package io.github.atprotospring.client.lexicon;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A lexicon {@code cid-link}: a CID, written in JSON as
 * <code>{"$link": "bafy..."}</code>.
 *
 * @param link the CID, as a string
 */
public record CidLink(@JsonProperty("$link") String link) {

	/**
	 * A link to a CID.
	 * @param link the CID, as a string
	 */
	public CidLink {
		Objects.requireNonNull(link, "link");
	}

	/**
	 * A link to a CID.
	 * @param link the CID, as a string
	 * @return the link
	 */
	public static CidLink of(String link) {
		return new CidLink(link);
	}

	@Override
	public String toString() {
		return this.link;
	}

}
