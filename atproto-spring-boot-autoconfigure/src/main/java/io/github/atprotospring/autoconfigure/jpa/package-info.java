/**
 * The JPA session store: entity, repository, schema and its auto-configuration.
 */
package io.github.atprotospring.autoconfigure.jpa;
