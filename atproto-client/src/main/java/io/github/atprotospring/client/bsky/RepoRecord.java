package io.github.atprotospring.client.bsky;

import io.github.atprotospring.client.lexicon.AtUri;

/**
 * A record of a repository, read into its type.
 *
 * @param <T> the record type, such as {@code AppBskyFeedPost.Record}
 * @param uri the record's AT-URI
 * @param cid the CID of the record's version that was read
 * @param value the record
 */
public record RepoRecord<T>(AtUri uri, String cid, T value) {

}
