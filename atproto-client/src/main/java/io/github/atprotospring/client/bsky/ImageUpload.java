package io.github.atprotospring.client.bsky;

import java.util.Objects;

/**
 * An image to attach to a post: its bytes, uploaded as a blob when the post is made, its
 * alt text, and optionally its aspect ratio (which lets clients lay the post out before
 * the image loads).
 *
 * @param data the image's bytes (Bluesky takes up to 1,000,000 bytes an image)
 * @param mimeType its MIME type, such as {@code image/png} or {@code image/jpeg}
 * @param alt the alt text, for readers who cannot see the image ({@code ""} for none)
 * @param width the width in pixels, or {@code null} if unknown
 * @param height the height in pixels, or {@code null} if unknown
 */
public record ImageUpload(byte[] data, String mimeType, String alt, Integer width, Integer height) {

	/**
	 * Checks the image.
	 * @param data the image's bytes
	 * @param mimeType its MIME type
	 * @param alt the alt text ({@code null} for none)
	 * @param width the width in pixels, or {@code null}
	 * @param height the height in pixels, or {@code null}
	 */
	public ImageUpload {
		Objects.requireNonNull(data, "data");
		Objects.requireNonNull(mimeType, "mimeType");
		alt = (alt != null) ? alt : "";
		if ((width == null) != (height == null) || width != null && (width < 1 || height < 1)) {
			throw new IllegalArgumentException(
					"An aspect ratio needs a positive width and height, but was " + width + " x " + height);
		}
	}

	/**
	 * An image without an aspect ratio.
	 * @param data the image's bytes
	 * @param mimeType its MIME type
	 * @param alt the alt text
	 * @return the image
	 */
	public static ImageUpload of(byte[] data, String mimeType, String alt) {
		return new ImageUpload(data, mimeType, alt, null, null);
	}

	/**
	 * This image with an aspect ratio.
	 * @param width the width in pixels
	 * @param height the height in pixels
	 * @return a copy of this image with the aspect ratio
	 */
	public ImageUpload withAspectRatio(int width, int height) {
		return new ImageUpload(this.data, this.mimeType, this.alt, width, height);
	}

	@Override
	public String toString() {
		return "ImageUpload[" + this.mimeType + ", " + this.data.length + " bytes"
				+ ((this.width != null) ? ", " + this.width + "x" + this.height : "") + "]";
	}

}
