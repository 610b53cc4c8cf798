package io.github.atprotospring.autoconfigure;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

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
 * default ({@link AtprotoHttpClients}: queries on the JDK's {@code HttpURLConnection},
 * procedures on the JDK's {@code HttpClient}) unless the application chose an HTTP client
 * through Spring Boot, in which case that one is used. Either way Boot's settings
 * ({@code spring.http.clients.*}: timeouts, SSL bundle) apply, a redirect is never
 * followed, the timeouts default to 10 s (connect) and 30 s (read) where Boot sets none,
 * and the JDK's {@code HttpClient} speaks HTTP/1.1.
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
	 * The request factory for the atproto client, with the client's default timeouts
	 * where Boot sets none.
	 * @param detected the {@link ClientHttpRequestFactoryBuilder} bean (Boot's detection,
	 * or the application's)
	 * @param settings Boot's {@link HttpClientSettings} bean
	 * @param applicationChose what {@link #applicationChoseFactory} says
	 * @return see
	 * {@link #forAtprotoClient(ClientHttpRequestFactoryBuilder, HttpClientSettings, boolean, Duration, Duration)}
	 */
	public static ClientHttpRequestFactory forAtprotoClient(ClientHttpRequestFactoryBuilder<?> detected,
			HttpClientSettings settings, boolean applicationChose) {
		return forAtprotoClient(detected, settings, applicationChose, AtprotoHttpClients.DEFAULT_CONNECT_TIMEOUT,
				AtprotoHttpClients.DEFAULT_READ_TIMEOUT);
	}

	/**
	 * The request factory for the atproto client: the application's choice if it made
	 * one; else the client's own default ({@link AtprotoHttpClients}) unless Boot's
	 * settings ask for what only Boot's builders apply (an SSL bundle, an
	 * {@code InetAddressFilter}, cookie handling), in which case the JDK client through
	 * Boot's builder. In every case with Boot's timeouts (else the given ones), no
	 * redirects, HTTP/1.1 for the JDK client, and {@code Content-Length: 0} on procedures
	 * without input ({@link AtprotoHttpClients#zeroLengthEmptyBodies}).
	 * @param detected the {@link ClientHttpRequestFactoryBuilder} bean (Boot's detection,
	 * or the application's)
	 * @param settings Boot's {@link HttpClientSettings} bean, or {@code null}
	 * @param applicationChose what {@link #applicationChoseFactory} says
	 * @param connectTimeout the connect timeout where Boot sets none
	 * @param readTimeout the read timeout where Boot sets none
	 * @return the request factory
	 */
	public static ClientHttpRequestFactory forAtprotoClient(ClientHttpRequestFactoryBuilder<?> detected,
			HttpClientSettings settings, boolean applicationChose, Duration connectTimeout, Duration readTimeout) {
		HttpClientSettings bounded = settings(settings, connectTimeout, readTimeout);
		if (!applicationChose && onlyTimeouts(bounded)) {
			return AtprotoHttpClients.requestFactory(bounded.connectTimeout(), bounded.readTimeout());
		}
		ClientHttpRequestFactoryBuilder<?> builder = applicationChose ? detected
				: ClientHttpRequestFactoryBuilder.jdk();
		if (builder instanceof JdkClientHttpRequestFactoryBuilder jdk) {
			builder = jdk.withHttpClientCustomizer(
					(http) -> http.version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER));
		}
		return AtprotoHttpClients.zeroLengthEmptyBodies(builder.build(bounded));
	}

	/**
	 * Whether the settings ask for nothing the client's own transport leaves out: only
	 * timeouts and redirects (which are off).
	 */
	static boolean onlyTimeouts(HttpClientSettings settings) {
		HttpClientSettings defaults = HttpClientSettings.defaults();
		return settings.sslBundle() == null
				&& Objects.equals(settings.inetAddressFilter(), defaults.inetAddressFilter())
				&& Objects.equals(settings.cookieHandling(), defaults.cookieHandling());
	}

	/**
	 * Boot's settings with redirects off and the client's default timeouts where Boot has
	 * none.
	 */
	static HttpClientSettings settings(HttpClientSettings settings) {
		return settings(settings, AtprotoHttpClients.DEFAULT_CONNECT_TIMEOUT, AtprotoHttpClients.DEFAULT_READ_TIMEOUT);
	}

	/**
	 * Boot's settings with redirects off and the given timeouts where Boot has none: the
	 * one place that decides between Boot's timeouts and the atproto client's.
	 */
	static HttpClientSettings settings(HttpClientSettings settings, Duration connectTimeout, Duration readTimeout) {
		HttpClientSettings base = (settings != null) ? settings : HttpClientSettings.defaults();
		Duration connect = (base.connectTimeout() != null) ? base.connectTimeout() : connectTimeout;
		Duration read = (base.readTimeout() != null) ? base.readTimeout() : readTimeout;
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
