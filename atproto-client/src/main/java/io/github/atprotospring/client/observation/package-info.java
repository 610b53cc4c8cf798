/**
 * Micrometer observations of the atproto client: one per XRPC call
 * ({@code atproto.xrpc.requests}) and one per session change
 * ({@code atproto.session.changes}), each with a context, a convention an application can
 * replace, and a default convention whose tags are bounded and never name a token, a
 * handle or a DID. Depends on Micrometer's observation API only, not on the rest of the
 * client.
 */
package io.github.atprotospring.client.observation;
