/**
 * The answers of the typed XRPC calls of
 * {@link io.github.atprotospring.client.AtprotoClient}.
 */
package io.github.atprotospring.client.model;
