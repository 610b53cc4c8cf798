/**
 * Auto-configuration of the atproto client's Micrometer observations.
 */
package io.github.atprotospring.autoconfigure.observation;
