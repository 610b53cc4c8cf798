package io.github.atprotospring.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * The HTTP stack an {@link AtprotoClient} speaks XRPC over unless it is given another,
 * and the bounds it keeps against servers it does not control.
 * <p>
 * The request factory ({@link AtprotoHttpClients#requestFactory(Duration, Duration)})
 * sends queries on the JDK's {@code HttpURLConnection} and procedures on the JDK HTTP
 * client at HTTP/1.1; neither follows a redirect (a {@code 3xx} would carry the password
 * or a token to the host the server names), both have a connect timeout and a read
 * timeout. The read timeout bounds the whole exchange: an answer whose body has not been
 * read to its end when it passes is cut off, so a server that sends the head of an answer
 * and then stalls or trickles ends the call too.
 */
public final class XrpcHttp {

	/** How long the client waits for a connection unless told otherwise. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * How long the client waits for a whole answer, from sending the request, unless told
	 * otherwise.
	 */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The largest answer body the client reads unless told otherwise, in bytes (16 MiB).
	 */
	public static final long DEFAULT_MAX_RESPONSE_SIZE = 16L * 1024 * 1024;

	/**
	 * The most the client reads of an error answer's body, in bytes: enough for the
	 * {@code error} and {@code message} of any real XRPC error.
	 */
	public static final int MAX_ERROR_BODY_SIZE = 8 * 1024;

	/**
	 * The largest answer body the client can be told to read (arrays are indexed by int).
	 */
	static final long MAX_RESPONSE_SIZE_LIMIT = Integer.MAX_VALUE - 8;

	private XrpcHttp() {
	}

	/**
	 * The client's default request factory: queries on {@code HttpURLConnection},
	 * procedures on the JDK HTTP client at HTTP/1.1, no redirects followed (see
	 * {@link AtprotoHttpClients}).
	 * @param connectTimeout how long to wait for a connection, positive
	 * @param readTimeout how long to wait for a whole answer, positive
	 * @return the request factory
	 */
	public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
		requirePositive(connectTimeout, "connect timeout");
		requirePositive(readTimeout, "read timeout");
		return AtprotoHttpClients.requestFactory(connectTimeout, readTimeout);
	}

	/**
	 * A request factory on the JDK HTTP client at HTTP/1.1 that never follows redirects
	 * (the client's transport for procedures). At its default version (HTTP/2) the JDK
	 * client asks a plain {@code http://} server to upgrade ({@code Upgrade: h2c}) on
	 * every new connection, and the reference PDS drops such requests; https servers
	 * negotiate HTTP/2 without it.
	 * @param connectTimeout how long to wait for a connection, positive
	 * @param readTimeout how long to wait for a whole answer, positive
	 * @return the request factory
	 */
	public static ClientHttpRequestFactory jdkRequestFactory(Duration connectTimeout, Duration readTimeout) {
		requirePositive(connectTimeout, "connect timeout");
		requirePositive(readTimeout, "read timeout");
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout)
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(readTimeout);
		return factory;
	}

	static Duration requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, () -> "The " + name + " must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("The " + name + " must be positive, but was " + duration);
		}
		return duration;
	}

}
