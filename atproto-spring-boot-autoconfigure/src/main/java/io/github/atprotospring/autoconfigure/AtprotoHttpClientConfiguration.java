package io.github.atprotospring.autoconfigure;

import java.time.Duration;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.XrpcHttp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The HTTP client of the auto-configured {@link AtprotoClient}: the client's own
 * transport (queries on {@code HttpURLConnection}, procedures on the JDK
 * {@code HttpClient}, see {@code AtprotoHttpClients}) unless the application chose an
 * HTTP library through Spring Boot or asks for settings only Boot's builders apply (an
 * SSL bundle), see {@link AtprotoRequestFactories}; in every case it never follows
 * redirects, whatever {@code spring.http.clients.redirects} says (a redirect would carry
 * the password or a token to another host), and it has timeouts:
 * {@code spring.http.clients.connect-timeout} and {@code read-timeout} when the
 * application sets them, else {@code atproto.http.*}.
 * <p>
 * The JDK client is restricted to HTTP/1.1 wherever it is used: at its default (HTTP/2)
 * it asks a plain {@code http://} server to upgrade on every new connection, which the
 * reference PDS refuses by dropping the request. Other HTTP clients of the application
 * are left as they are.
 */
@Configuration(proxyBeanMethods = false)
class AtprotoHttpClientConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoHttpClientConfiguration.class);

	@Bean
	Transport atprotoHttpTransport(AtprotoProperties properties, ObjectProvider<BootRequestFactory> fromBoot) {
		AtprotoProperties.Http http = properties.getHttp();
		ClientHttpRequestFactory requestFactory = fromBoot
			.getIfAvailable(
					() -> new BootRequestFactory(XrpcHttp.requestFactory(connectTimeout(http), readTimeout(http))))
			.requestFactory();
		return new Transport(requestFactory, maxResponseSize(http));
	}

	private static Duration connectTimeout(AtprotoProperties.Http http) {
		return AtprotoPropertiesCheck.positive("atproto.http.connect-timeout", http.getConnectTimeout());
	}

	private static Duration readTimeout(AtprotoProperties.Http http) {
		return AtprotoPropertiesCheck.positive("atproto.http.read-timeout", http.getReadTimeout());
	}

	private static long maxResponseSize(AtprotoProperties.Http http) {
		long bytes = (http.getMaxResponseSize() != null) ? http.getMaxResponseSize().toBytes() : -1;
		if (bytes < 1 || bytes >= Integer.MAX_VALUE - 8) {
			throw new IllegalStateException(
					"atproto.http.max-response-size must be from 1B to 2047MB, but is " + http.getMaxResponseSize());
		}
		return bytes;
	}

	/**
	 * The request factory built from Boot's HTTP client builder and settings, with our
	 * changes: no redirects, timeouts, HTTP/1.1 for the JDK client.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ClientHttpRequestFactoryBuilder.class)
	static class FromBootSettings {

		@Bean
		@ConditionalOnBean({ ClientHttpRequestFactoryBuilder.class, HttpClientSettings.class })
		BootRequestFactory atprotoBootRequestFactory(ClientHttpRequestFactoryBuilder<?> requestFactoryBuilder,
				HttpClientSettings settings, AtprotoProperties properties,
				ConfigurableListableBeanFactory beanFactory) {
			AtprotoProperties.Http http = properties.getHttp();
			// Boot's timeouts where it sets them, else atproto.http.*; never redirects.
			HttpClientSettings bounded = AtprotoRequestFactories.settings(settings, connectTimeout(http),
					readTimeout(http));
			try {
				return new BootRequestFactory(AtprotoRequestFactories.forAtprotoClient(requestFactoryBuilder, bounded,
						AtprotoRequestFactories.applicationChoseFactory(beanFactory), bounded.connectTimeout(),
						bounded.readTimeout()));
			}
			catch (RuntimeException ex) {
				logger.warn(
						"The atproto client cannot use Boot's HTTP client ({}) without following redirects ({}); it "
								+ "uses its own with the same timeouts",
						requestFactoryBuilder.getClass().getSimpleName(), ex.getClass().getSimpleName());
				return new BootRequestFactory(XrpcHttp.requestFactory(bounded.connectTimeout(), bounded.readTimeout()));
			}
		}

	}

	/**
	 * A request factory made from Boot's settings.
	 *
	 * @param requestFactory the request factory
	 */
	record BootRequestFactory(ClientHttpRequestFactory requestFactory) {
	}

	/**
	 * What the auto-configured client's HTTP transport is made of.
	 *
	 * @param requestFactory the request factory: no redirects, timeouts
	 * @param maxResponseSize the largest answer body read, in bytes
	 */
	record Transport(ClientHttpRequestFactory requestFactory, long maxResponseSize) {

		/**
		 * Gives a client builder this transport, on Boot's {@link RestClient.Builder}
		 * when there is one (so that observations and customizers apply), else on a plain
		 * one.
		 * @param builder the client builder
		 * @param restClientBuilder Boot's builder, if any
		 */
		void configure(AtprotoClient.Builder builder, ObjectProvider<RestClient.Builder> restClientBuilder) {
			builder.maxResponseSize(this.maxResponseSize)
				.restClientBuilder(
						restClientBuilder.getIfAvailable(RestClient::builder).requestFactory(this.requestFactory));
		}

	}

}
