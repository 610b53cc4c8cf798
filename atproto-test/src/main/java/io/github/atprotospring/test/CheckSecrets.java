package io.github.atprotospring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test class whose run writes a registered secret anywhere: in a log line of any
 * logger at any level, in an exception logged with it (its causes and suppressed ones
 * too), or on standard out or err. See {@link SecretsCheckExtension} for what is captured
 * and how secrets are registered.
 *
 * <pre>{@code
 * &#64;CheckSecrets
 * class LifecycleTests {
 *
 *     &#64;Test
 *     void aWholeLifecycleLeaksNothing(Secrets secrets) {
 *         secrets.watch(pds).register(PASSWORD);
 *         // ... log in, refresh, fail ...
 *     }
 *
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SecretsCheckExtension.class)
public @interface CheckSecrets {

}
