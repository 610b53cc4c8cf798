/**
 * The atproto client: {@link io.github.atprotospring.client.AtprotoClient}, its
 * {@link io.github.atprotospring.client.Session}s and session strings, the
 * {@link io.github.atprotospring.client.SessionStore} and
 * {@link io.github.atprotospring.client.SessionCoordinator} it can be given, and the
 * exceptions of XRPC calls. Knows nothing of Spring Boot.
 */
package io.github.atprotospring.client;
