/**
 * Testcontainers support: a container of the official PDS image marked with Spring Boot's
 * {@code @ServiceConnection} as the atproto service.
 */
package io.github.atprotospring.autoconfigure.testcontainers;
