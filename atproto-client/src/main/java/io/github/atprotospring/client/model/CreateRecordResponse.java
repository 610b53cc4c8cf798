package io.github.atprotospring.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@code com.atproto.repo.createRecord}.
 *
 * @param uri the record's {@code at://} URI
 * @param cid the record's CID
 * @param validationStatus {@code valid} or {@code unknown} (a collection the server has
 * no lexicon for)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateRecordResponse(String uri, String cid, String validationStatus) {

	/**
	 * The record key: the last segment of the URI.
	 * @return the rkey
	 */
	public String rkey() {
		return this.uri.substring(this.uri.lastIndexOf('/') + 1);
	}

}
