package io.github.atprotospring.autoconfigure.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;

/**
 * Marks a static {@code PdsDouble} field of a Spring test class (a
 * {@code @SpringBootTest}, say) as the service of the auto-configured client: the test's
 * application context gets {@link AtprotoConnectionDetails} with the double's URL, which
 * win over {@code atproto.service}. It is the {@code PdsDouble}'s counterpart of Spring
 * Boot's {@code @ServiceConnection}, which takes Testcontainers containers only.
 * <pre class="code">
 * &#64;SpringBootTest(properties = { "atproto.handle=demo.test", "atproto.password=demo-app-password" })
 * class GreeterTests {
 *
 *     &#64;PdsServiceConnection
 *     static final PdsDouble pds = PdsDouble.builder().start();
 *
 * }
 * </pre> The double must be started when the test class is loaded (a static initializer)
 * and is the test's to close. One field per test class.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PdsServiceConnection {

}
