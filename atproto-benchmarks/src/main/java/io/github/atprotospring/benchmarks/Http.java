package io.github.atprotospring.benchmarks;

import java.net.http.HttpClient;
import java.time.Duration;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The HTTP client the benchmarks without an application context build their clients on:
 * Spring's JDK {@code HttpClient} request factory, what Boot picks with nothing else on
 * the class path, on HTTP/1.1 (no {@code Upgrade: h2c} attempt on {@code http://}, which
 * the reference PDS refuses), with timeouts so that no call waits for ever.
 */
final class Http {

	/** The longest a benchmark call waits to connect, or for an answer. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Http() {
	}

	/**
	 * A builder on one new request factory (one JDK HttpClient with its own connection
	 * pool).
	 */
	static RestClient.Builder restClientBuilder() {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build());
		factory.setReadTimeout(TIMEOUT);
		return RestClient.builder().requestFactory(factory);
	}

}
