package io.github.atprotospring.autoconfigure;

/**
 * Whether the atproto client's sessions outlive the application, as the starter judged it
 * at startup: the stored session is what saves a restarted application a login, and
 * logins are rate-limited hard. Logged as a warning at startup when they do not;
 * available as a bean for a health indicator.
 *
 * @param store the session store: {@code jpa}, {@code memory}, or the class name of an
 * application's own {@code SessionStore}
 * @param survivesRestarts whether a restarted application finds its session again; for a
 * store of the application's own, which the starter cannot judge, {@code true}
 * @param reason why, and when they do not, the property or dependency that fixes it;
 * never a credential
 */
public record SessionDurability(String store, boolean survivesRestarts, String reason) {

}
