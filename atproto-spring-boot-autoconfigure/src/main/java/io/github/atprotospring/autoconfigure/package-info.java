/**
 * Spring Boot auto-configuration of the atproto client: the {@code AtprotoClient} bean,
 * session events, session persistence and startup resume.
 */
package io.github.atprotospring.autoconfigure;
