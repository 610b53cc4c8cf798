/**
 * Conveniences for Bluesky on top of the typed API: rich text turned into facets with
 * UTF-8 byte offsets ({@link io.github.atprotospring.client.bsky.Facets},
 * {@link io.github.atprotospring.client.bsky.TextBuilder}), and the {@code Bluesky}
 * facade that posts, replies, quotes, attaches images and link cards, likes, reposts,
 * follows and undoes them, and pages through feeds and lists as a
 * {@link java.util.stream.Stream}.
 */
package io.github.atprotospring.client.bsky;
