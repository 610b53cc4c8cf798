/**
 * Docker Compose support: the official PDS of a {@code docker-compose.yml} as the atproto
 * service.
 */
package io.github.atprotospring.autoconfigure.docker;
