package io.github.atprotospring.client.bsky;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;

/**
 * What a post is made of before {@link Bluesky#post(PostDraft)} makes it: a text (whose
 * mentions, links and hashtags are detected) or a {@link RichText} with its own facets,
 * and optionally the post it replies to, a quoted post, up to four images or a link card,
 * and the languages of the text.
 *
 * @param text the text, whose facets are detected when the post is made; {@code null}
 * when {@code richText} is given
 * @param richText the text with its facets, taken as it is; {@code null} when
 * {@code text} is given
 * @param replyTo the post replied to, or {@code null}
 * @param quote the post quoted, or {@code null}
 * @param images the images, up to four
 * @param external the link card, or {@code null}
 * @param langs the languages of the text (BCP 47 tags such as {@code en} or
 * {@code pt-BR}), none if unknown
 */
public record PostDraft(String text, RichText richText, ComAtprotoRepoStrongRef.Main replyTo,
		ComAtprotoRepoStrongRef.Main quote, List<ImageUpload> images, ExternalCard external, List<String> langs) {

	/** The most images a post may carry ({@code app.bsky.embed.images}). */
	public static final int MAX_IMAGES = 4;

	/**
	 * Checks the draft.
	 * @param text the text, or {@code null} when {@code richText} is given
	 * @param richText the rich text, or {@code null} when {@code text} is given
	 * @param replyTo the post replied to, or {@code null}
	 * @param quote the post quoted, or {@code null}
	 * @param images the images ({@code null} for none)
	 * @param external the link card, or {@code null}
	 * @param langs the languages ({@code null} for none)
	 */
	public PostDraft {
		if ((text == null) == (richText == null)) {
			throw new IllegalArgumentException("A post needs either a text or a rich text");
		}
		images = (images != null) ? List.copyOf(images) : List.of();
		langs = (langs != null) ? List.copyOf(langs) : List.of();
		if (images.size() > MAX_IMAGES) {
			throw new IllegalArgumentException(
					"A post carries at most " + MAX_IMAGES + " images, but " + images.size() + " were given");
		}
		if (!images.isEmpty() && external != null) {
			throw new IllegalArgumentException("A post carries images or a link card, not both");
		}
	}

	/**
	 * A builder of a draft with a text, whose facets are detected when the post is made.
	 * @param text the text
	 * @return the builder
	 */
	public static Builder text(String text) {
		return new Builder(Objects.requireNonNull(text, "text"), null);
	}

	/**
	 * A builder of a draft with a rich text, whose facets are taken as they are.
	 * @param richText the text and its facets, from a {@link TextBuilder} say
	 * @return the builder
	 */
	public static Builder richText(RichText richText) {
		return new Builder(null, Objects.requireNonNull(richText, "richText"));
	}

	/**
	 * Builds a {@link PostDraft}.
	 */
	public static final class Builder {

		private final String text;

		private final RichText richText;

		private ComAtprotoRepoStrongRef.Main replyTo;

		private ComAtprotoRepoStrongRef.Main quote;

		private final List<ImageUpload> images = new ArrayList<>();

		private ExternalCard external;

		private final List<String> langs = new ArrayList<>();

		private Builder(String text, RichText richText) {
			this.text = text;
			this.richText = richText;
		}

		/**
		 * Makes the post a reply; its thread's root is read from the parent when the post
		 * is made.
		 * @param parent the post replied to
		 * @return this builder
		 */
		public Builder replyTo(ComAtprotoRepoStrongRef.Main parent) {
			this.replyTo = Objects.requireNonNull(parent, "parent");
			return this;
		}

		/**
		 * Quotes a post ({@code app.bsky.embed.record}, or
		 * {@code app.bsky.embed.recordWithMedia} together with images or a link card).
		 * @param quoted the post quoted
		 * @return this builder
		 */
		public Builder quote(ComAtprotoRepoStrongRef.Main quoted) {
			this.quote = Objects.requireNonNull(quoted, "quoted");
			return this;
		}

		/**
		 * Adds an image ({@code app.bsky.embed.images}); up to four.
		 * @param image the image
		 * @return this builder
		 */
		public Builder image(ImageUpload image) {
			this.images.add(Objects.requireNonNull(image, "image"));
			return this;
		}

		/**
		 * Attaches a link card ({@code app.bsky.embed.external}).
		 * @param card the card
		 * @return this builder
		 */
		public Builder external(ExternalCard card) {
			this.external = Objects.requireNonNull(card, "card");
			return this;
		}

		/**
		 * Adds languages of the text.
		 * @param langs BCP 47 language tags, such as {@code en}
		 * @return this builder
		 */
		public Builder langs(String... langs) {
			this.langs.addAll(List.of(langs));
			return this;
		}

		/**
		 * Builds the draft.
		 * @return the draft
		 * @throws IllegalArgumentException if it has more than four images, or images and
		 * a link card
		 */
		public PostDraft build() {
			return new PostDraft(this.text, this.richText, this.replyTo, this.quote, this.images, this.external,
					this.langs);
		}

	}

}
