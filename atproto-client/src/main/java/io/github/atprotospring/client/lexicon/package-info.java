/**
 * The typed atproto and Bluesky API, generated from the lexicons of {@code @atproto/api}
 * by the build (see {@code atproto-lexicon-generator}), with the hand-written value types
 * it uses.
 * <p>
 * One class per lexicon document, named after its NSID ({@code app.bsky.feed.post} is
 * {@link io.github.atprotospring.client.lexicon.AppBskyFeedPost}), holds records with
 * builders for the document's objects ({@code Main} for the main object, {@code Record}
 * for a record type) and the {@code Params}, {@code Input} and {@code Output} of its
 * query or procedure. Unions are sealed interfaces whose members are the referenced
 * records, plus an {@code Unknown} member that keeps an unknown {@code $type} as it was
 * read. The calls are grouped by namespace:
 * {@code client.app().bsky().feed().getTimeline(params)}.
 * <p>
 * Value types: {@link io.github.atprotospring.client.lexicon.AtUri},
 * {@link io.github.atprotospring.client.lexicon.Datetime},
 * {@link io.github.atprotospring.client.lexicon.CidLink},
 * {@link io.github.atprotospring.client.lexicon.Blob} and
 * {@link io.github.atprotospring.client.lexicon.Bytes}.
 */
package io.github.atprotospring.client.lexicon;
