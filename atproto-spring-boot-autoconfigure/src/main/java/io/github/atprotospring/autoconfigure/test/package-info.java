/**
 * Test support: {@link io.github.atprotospring.autoconfigure.test.PdsServiceConnection}
 * points the auto-configured client of a Spring test at a {@code PdsDouble}, with no
 * property.
 */
package io.github.atprotospring.autoconfigure.test;
