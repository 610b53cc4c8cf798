package io.github.atprotospring.client.bsky;

import java.util.Objects;

/**
 * A link card to attach to a post ({@code app.bsky.embed.external}): the page it links
 * to, with a title, a description and optionally a thumbnail, uploaded as a blob when the
 * post is made.
 *
 * @param uri the page's URI
 * @param title its title ({@code ""} for none)
 * @param description its description ({@code ""} for none)
 * @param thumb the thumbnail, or {@code null} for none
 */
public record ExternalCard(String uri, String title, String description, ImageUpload thumb) {

	/**
	 * Checks the card.
	 * @param uri the page's URI
	 * @param title its title ({@code null} for none)
	 * @param description its description ({@code null} for none)
	 * @param thumb the thumbnail, or {@code null}
	 */
	public ExternalCard {
		Objects.requireNonNull(uri, "uri");
		title = (title != null) ? title : "";
		description = (description != null) ? description : "";
	}

	/**
	 * A card without a thumbnail.
	 * @param uri the page's URI
	 * @param title its title
	 * @param description its description
	 * @return the card
	 */
	public static ExternalCard of(String uri, String title, String description) {
		return new ExternalCard(uri, title, description, null);
	}

}
