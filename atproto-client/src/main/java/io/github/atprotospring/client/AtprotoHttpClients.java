package io.github.atprotospring.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.SimpleClientHttpRequestFactory;

/**
 * The HTTP transport an {@link AtprotoClient} runs on when the application gives it none:
 * the JDK's {@link HttpURLConnection} ({@link SimpleClientHttpRequestFactory}), which
 * never follows a redirect, waits at most the given times to connect and for each read,
 * and speaks HTTP/1.1 (it has no HTTP/2, so it never asks a plain {@code http://} server
 * to upgrade, which the reference PDS answers by dropping the request).
 * <p>
 * Why this one: measured side by side under the client against the reference PDS and the
 * PDS double (see BENCHMARKS.md, the {@code transports} benchmark), a GET is as fast as
 * with Apache HttpClient 5, faster than with Jetty or Reactor Netty, and about twice as
 * fast as with the JDK's {@code java.net.http.HttpClient} (whose calls hop between its
 * selector thread, its executor and the caller), and it needs no library. What to know
 * about it:
 * <ul>
 * <li><b>Keep-alive.</b> Connections are reused; the JDK keeps at most 5 <em>idle</em>
 * connections per host (the system property {@code http.maxConnections}, JVM-wide; this
 * class never sets it). Busy callers keep their connections, so 32 callers at once use
 * about 32 connections; only after a burst are all but 5 closed, and the next burst opens
 * them again.</li>
 * <li><b>No POST is sent twice.</b> Spring streams every POST body
 * ({@code setFixedLengthStreamingMode} or chunked), and the JDK never retries a streamed
 * request, whatever {@code sun.net.http.retryPost} says: a {@code createSession} that
 * loses its connection before the answer fails once and is not repeated. A GET can be
 * sent a second time on a new connection when a kept-alive one turns out to be closed;
 * XRPC queries are safe to repeat.</li>
 * <li><b>A POST on a kept-alive connection waits up to 1 ms first</b>: the JDK checks,
 * with a read of 1 ms timeout, that the server has not closed the connection, since it
 * will not send a streamed POST twice. Against a server that answers in well under a
 * millisecond that is most of the time of a POST; against a PDS it is lost in the
 * server's own time.</li>
 * <li><b>The read timeout applies to each read</b>, not to the whole answer: a server
 * that trickles bytes can keep a call going for longer. Cap what is read.</li>
 * <li><b>A procedure without input is sent with {@code Content-Length: 0}</b>, not as an
 * empty chunked body, which the reference PDS refuses (see
 * {@link #zeroLengthEmptyBodies}).</li>
 * <li>Proxy settings of the JVM ({@code http.proxyHost}, the default
 * {@code ProxySelector}) apply.</li>
 * </ul>
 */
public final class AtprotoHttpClients {

	/** How long a new connection may take by default. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** How long a read may wait for data by default. */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

	private AtprotoHttpClients() {
	}

	/**
	 * The default request factory with the default timeouts (10 s to connect, 30 s per
	 * read).
	 * @return a new request factory
	 */
	public static ClientHttpRequestFactory requestFactory() {
		return requestFactory(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
	}

	/**
	 * The default request factory: {@link HttpURLConnection}, HTTP/1.1, no redirect
	 * followed (a 3xx answer is returned to the caller as it is, so a bearer token never
	 * travels to the place it names), the given timeouts.
	 * @param connectTimeout the longest wait for a connection, more than zero
	 * @param readTimeout the longest wait for each read of the answer, more than zero
	 * @return a new request factory (it holds no resources: connections live in the JDK's
	 * keep-alive cache)
	 * @throws IllegalArgumentException if a timeout is zero, negative, or longer than
	 * {@code Integer.MAX_VALUE} milliseconds
	 */
	public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
		NoRedirectRequestFactory factory = new NoRedirectRequestFactory();
		factory.setConnectTimeout(millis("connectTimeout", connectTimeout));
		factory.setReadTimeout(millis("readTimeout", readTimeout));
		return zeroLengthEmptyBodies(factory);
	}

	/**
	 * A factory that sends {@code Content-Length: 0} with a POST, PUT, PATCH or DELETE
	 * that has no body, and is otherwise the given one.
	 * <p>
	 * Spring's {@link SimpleClientHttpRequestFactory} sends such a request with
	 * {@code Transfer-Encoding: chunked} and an empty chunked body, and the reference PDS
	 * (xrpc-server) counts any {@code Transfer-Encoding} as a body: it refuses
	 * {@code refreshSession} and {@code deleteSession}, procedures without input, with
	 * {@code 400 InvalidRequest "A request body was provided when none was expected"}. An
	 * explicit length of zero counts as no body there. Requests with a body, and
	 * factories that send a length of their own, are not changed.
	 * @param factory the factory to wrap
	 * @return the wrapping factory
	 */
	public static ClientHttpRequestFactory zeroLengthEmptyBodies(ClientHttpRequestFactory factory) {
		Objects.requireNonNull(factory, "factory");
		return (factory instanceof ZeroLengthEmptyBodies) ? factory : new ZeroLengthEmptyBodies(factory);
	}

	private static int millis(String name, Duration timeout) {
		Objects.requireNonNull(timeout, name);
		// HttpURLConnection reads 0 as "wait for ever"; a bounded wait is the point.
		if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
			throw new IllegalArgumentException(
					name + " must be at least 1 ms (0 would mean no limit at all), but was " + timeout);
		}
		if (timeout.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					name + " must be at most " + Integer.MAX_VALUE + " ms (about 24 days), but was " + timeout);
		}
		return (int) timeout.toMillis();
	}

	private static final class ZeroLengthEmptyBodies implements ClientHttpRequestFactory {

		private final ClientHttpRequestFactory delegate;

		ZeroLengthEmptyBodies(ClientHttpRequestFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
			ClientHttpRequest request = this.delegate.createRequest(uri, httpMethod);
			boolean mayHaveBody = httpMethod == HttpMethod.POST || httpMethod == HttpMethod.PUT
					|| httpMethod == HttpMethod.PATCH || httpMethod == HttpMethod.DELETE;
			if (!mayHaveBody || !(request instanceof StreamingHttpOutputMessage)) {
				return request;
			}
			return new ZeroLengthWhenEmpty(request);
		}

	}

	/**
	 * A request that remembers whether a body was given, and says {@code Content-Length:
	 * 0} when none was. Streams the body as the wrapped request does.
	 */
	private static final class ZeroLengthWhenEmpty implements ClientHttpRequest, StreamingHttpOutputMessage {

		private final ClientHttpRequest delegate;

		private boolean bodyGiven;

		ZeroLengthWhenEmpty(ClientHttpRequest delegate) {
			this.delegate = delegate;
		}

		@Override
		public HttpMethod getMethod() {
			return this.delegate.getMethod();
		}

		@Override
		public URI getURI() {
			return this.delegate.getURI();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.delegate.getAttributes();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.delegate.getHeaders();
		}

		@Override
		public OutputStream getBody() throws IOException {
			this.bodyGiven = true;
			return this.delegate.getBody();
		}

		@Override
		public void setBody(Body body) {
			this.bodyGiven = true;
			((StreamingHttpOutputMessage) this.delegate).setBody(body);
		}

		@Override
		public void setBody(byte[] body) throws IOException {
			this.bodyGiven = true;
			((StreamingHttpOutputMessage) this.delegate).setBody(body);
		}

		@Override
		public ClientHttpResponse execute() throws IOException {
			if (!this.bodyGiven && this.delegate.getHeaders().getContentLength() < 0) {
				this.delegate.getHeaders().setContentLength(0);
			}
			return this.delegate.execute();
		}

	}

	/**
	 * Spring's factory follows redirects of GET requests; an atproto client must follow
	 * none, since its requests carry credentials.
	 */
	private static final class NoRedirectRequestFactory extends SimpleClientHttpRequestFactory {

		@Override
		protected void prepareConnection(HttpURLConnection connection, String httpMethod) throws IOException {
			super.prepareConnection(connection, httpMethod);
			connection.setInstanceFollowRedirects(false);
		}

	}

}
