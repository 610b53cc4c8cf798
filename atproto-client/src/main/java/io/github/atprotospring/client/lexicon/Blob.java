package io.github.atprotospring.client.lexicon;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.JsonNode;

/**
 * A lexicon {@code blob}: a reference to uploaded bytes (an image, a video), as
 * {@code com.atproto.repo.uploadBlob} answers it and a record embeds it:
 * <code>{"$type": "blob", "ref": {"$link": "bafk..."}, "mimeType": "image/jpeg", "size": 12345}</code>.
 * The legacy form <code>{"cid": "bafk...", "mimeType": "image/jpeg"}</code> of old
 * records is read too, and written back in that form.
 */
public final class Blob {

	private final CidLink ref;

	private final String mimeType;

	private final Long size;

	private Blob(CidLink ref, String mimeType, Long size) {
		this.ref = ref;
		this.mimeType = mimeType;
		this.size = size;
	}

	/**
	 * A blob reference.
	 * @param ref the blob's CID
	 * @param mimeType its media type
	 * @param size its size in bytes
	 * @return the blob
	 */
	public static Blob of(CidLink ref, String mimeType, long size) {
		return new Blob(Objects.requireNonNull(ref, "ref"), Objects.requireNonNull(mimeType, "mimeType"), size);
	}

	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static Blob read(JsonNode json) {
		if (json == null || !json.isObject()) {
			throw new IllegalArgumentException("A blob is a JSON object");
		}
		String mimeType = json.path("mimeType").asString(null);
		JsonNode link = json.path("ref").path("$link");
		if (link.isString()) {
			JsonNode size = json.get("size");
			return new Blob(CidLink.of(link.stringValue()), mimeType,
					(size != null && size.isNumber()) ? size.longValue() : 0L);
		}
		JsonNode cid = json.get("cid");
		if (cid != null && cid.isString()) {
			return new Blob(CidLink.of(cid.stringValue()), mimeType, null);
		}
		throw new IllegalArgumentException("A blob has a ref ({\"$link\": ...}) or, in the legacy form, a cid");
	}

	/**
	 * The blob's CID.
	 * @return the CID link
	 */
	public CidLink ref() {
		return this.ref;
	}

	/**
	 * The blob's media type.
	 * @return the media type, such as {@code image/jpeg}
	 */
	public String mimeType() {
		return this.mimeType;
	}

	/**
	 * The blob's size.
	 * @return the size in bytes, 0 for a blob read in the legacy form
	 */
	public long size() {
		return (this.size != null) ? this.size : 0;
	}

	/**
	 * Whether the blob was read in the legacy form (<code>{"cid", "mimeType"}</code>).
	 * @return {@code true} for the legacy form
	 */
	public boolean legacy() {
		return this.size == null;
	}

	@JsonValue
	Map<String, Object> json() {
		Map<String, Object> json = new LinkedHashMap<>();
		if (legacy()) {
			json.put("cid", this.ref.link());
			json.put("mimeType", this.mimeType);
			return json;
		}
		json.put("$type", "blob");
		json.put("ref", this.ref);
		json.put("mimeType", this.mimeType);
		json.put("size", this.size);
		return json;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Blob that && that.ref.equals(this.ref) && Objects.equals(that.mimeType, this.mimeType)
				&& Objects.equals(that.size, this.size);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.ref, this.mimeType, this.size);
	}

	@Override
	public String toString() {
		return "Blob[ref=" + this.ref + ", mimeType=" + this.mimeType + ", size=" + size() + "]";
	}

}
