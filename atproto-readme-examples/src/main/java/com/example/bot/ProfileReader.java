package com.example.bot;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.model.Profile;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Service;

@Service
public class ProfileReader {

	private final AtprotoClient client;

	public ProfileReader(AtprotoClient client) {
		this.client = client;
	}

	/**
	 * A typed call of the AppView: Bluesky and PdsDouble answer it, a bare PDS does not.
	 */
	public Profile me() {
		return this.client.getProfile(this.client.ensureSession().did());
	}

	/** Any other query, with the answer as Jackson 3's JsonNode. */
	public long followers(String actor) {
		JsonNode profile = this.client.query("app.bsky.actor.getProfile", Map.of("actor", actor), JsonNode.class);
		return profile.path("followersCount").asLong();
	}

	/** Any other procedure: here createRecord, for a post with a language tag. */
	public String postInFrench(String text) {
		String did = this.client.ensureSession().did();
		Map<String, Object> post = Map.of("$type", "app.bsky.feed.post", "text", text, "langs", List.of("fr"),
				"createdAt", Instant.now().toString());
		JsonNode created = this.client.procedure("com.atproto.repo.createRecord",
				Map.of("repo", did, "collection", "app.bsky.feed.post", "record", post), JsonNode.class);
		return created.get("uri").stringValue();
	}

}
