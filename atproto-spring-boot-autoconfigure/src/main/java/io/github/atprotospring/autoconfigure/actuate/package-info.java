/**
 * What an operator sees of the atproto clients through Actuator: the {@code atproto}
 * health contributor and the {@code atproto} endpoint, one entry per client bean, from
 * what the clients hold in memory (no network call, never a token).
 */
package io.github.atprotospring.autoconfigure.actuate;
