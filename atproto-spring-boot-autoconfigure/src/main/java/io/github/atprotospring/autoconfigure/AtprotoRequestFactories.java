package io.github.atprotospring.autoconfigure;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;

import io.github.atprotospring.client.AtprotoHttpClients;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * Chooses the request factory of the starter's {@code AtprotoClient}: the client's own
 * default ({@link AtprotoHttpClients}, on the JDK's {@code HttpURLConnection}) unless the
 * application chose an HTTP client through Spring Boot, in which case that one is used.
 * Either way Boot's settings ({@code spring.http.clients.*}: timeouts, SSL bundle) apply,
 * a redirect is never followed, the timeouts default to 10 s (connect) and 30 s (read)
 * where Boot sets none, and the JDK's {@code HttpClient} speaks HTTP/1.1.
 * <p>
 * Boot detects a factory by the libraries on the class path (Apache HttpClient, Jetty,
 * Reactor Netty, then the JDK client); a library that arrived for another reason is not a
 * choice, and the JDK client it falls back to costs about twice as much per call. The
 * application has chosen when it sets {@code spring.http.clients.imperative.factory},
 * declares its own {@link ClientHttpRequestFactoryBuilder} bean, or customises Boot's
 * with a {@code ClientHttpRequestFactoryBuilderCustomizer} bean.
 */
public final class AtprotoRequestFactories {

	/** Boot's property that names the factory of imperative HTTP clients. */
	static final String FACTORY_PROPERTY = "spring.http.clients.imperative.factory";

	/** Where Boot's own {@link ClientHttpRequestFactoryBuilder} bean comes from. */
	static final String BOOT_CONFIGURATION = "org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration";

	private AtprotoRequestFactories() {
	}

	/**
	 * Whether the application chose its HTTP client through Spring Boot.
	 * @param beanFactory the application's bean factory
	 * @return {@code true} if {@code spring.http.clients.imperative.factory} is set, or
	 * the application declares a {@link ClientHttpRequestFactoryBuilder} or a customizer
	 * of Boot's
	 */
	public static boolean applicationChoseFactory(ConfigurableListableBeanFactory beanFactory) {
		Environment environment = beanFactory.getBean(Environment.class);
		if (environment.containsProperty(FACTORY_PROPERTY)) {
			return true;
		}
		boolean ownBuilder = Arrays
			.stream(beanFactory.getBeanNamesForType(ClientHttpRequestFactoryBuilder.class, true, false))
			.anyMatch((name) -> !fromBoot(beanFactory, name));
		return ownBuilder || beanFactory.getBeanNamesForType(ClientHttpRequestFactoryBuilderCustomizer.class, true,
				false).length > 0;
	}

	/**
	 * The request factory for the atproto client.
	 * @param detected the {@link ClientHttpRequestFactoryBuilder} bean (Boot's detection,
	 * or the application's)
	 * @param settings Boot's {@link HttpClientSettings} bean
	 * @param applicationChose what {@link #applicationChoseFactory} says
	 * @return the application's choice if it made one, else the client's default, both
	 * with Boot's settings, no redirects, bounded waits, HTTP/1.1, and
	 * {@code Content-Length: 0} on procedures without input
	 * ({@link AtprotoHttpClients#zeroLengthEmptyBodies})
	 */
	public static ClientHttpRequestFactory forAtprotoClient(ClientHttpRequestFactoryBuilder<?> detected,
			HttpClientSettings settings, boolean applicationChose) {
		HttpClientSettings bounded = settings(settings);
		ClientHttpRequestFactory factory;
		if (!applicationChose) {
			// Boot's builder of the same factory as the client's default, so that an SSL
			// bundle applies too.
			factory = ClientHttpRequestFactoryBuilder.simple().build(bounded);
		}
		else if (detected instanceof JdkClientHttpRequestFactoryBuilder jdk) {
			factory = jdk.withHttpClientCustomizer((http) -> http.version(HttpClient.Version.HTTP_1_1)).build(bounded);
		}
		else {
			factory = detected.build(bounded);
		}
		return AtprotoHttpClients.zeroLengthEmptyBodies(factory);
	}

	/**
	 * Boot's settings with redirects off and the client's default timeouts where Boot has
	 * none.
	 */
	static HttpClientSettings settings(HttpClientSettings settings) {
		HttpClientSettings base = (settings != null) ? settings : HttpClientSettings.defaults();
		Duration connect = (base.connectTimeout() != null) ? base.connectTimeout()
				: AtprotoHttpClients.DEFAULT_CONNECT_TIMEOUT;
		Duration read = (base.readTimeout() != null) ? base.readTimeout() : AtprotoHttpClients.DEFAULT_READ_TIMEOUT;
		return base.withRedirects(HttpRedirects.DONT_FOLLOW).withTimeouts(connect, read);
	}

	private static boolean fromBoot(ConfigurableListableBeanFactory beanFactory, String name) {
		if (!beanFactory.containsBeanDefinition(name)) {
			return false;
		}
		BeanDefinition definition = beanFactory.getBeanDefinition(name);
		return BOOT_CONFIGURATION.equals(definition.getFactoryBeanName());
	}

}
