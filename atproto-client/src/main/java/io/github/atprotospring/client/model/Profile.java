package io.github.atprotospring.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@code app.bsky.actor.getProfile} (the detailed profile view), in the
 * parts most applications use; use
 * {@link io.github.atprotospring.client.AtprotoClient#query} for the rest.
 *
 * @param did the DID
 * @param handle the handle
 * @param displayName the display name, if set
 * @param description the profile text, if set
 * @param avatar the avatar URL, if set
 * @param followersCount the number of followers
 * @param followsCount the number of accounts followed
 * @param postsCount the number of posts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Profile(String did, String handle, String displayName, String description, String avatar,
		Long followersCount, Long followsCount, Long postsCount) {
}
