package io.github.atprotospring.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import tools.jackson.databind.JsonNode;

/**
 * The answer of {@code com.atproto.repo.getRecord}.
 *
 * @param uri the record's {@code at://} URI
 * @param cid the record's CID
 * @param value the record itself
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecordResponse(String uri, String cid, JsonNode value) {
}
