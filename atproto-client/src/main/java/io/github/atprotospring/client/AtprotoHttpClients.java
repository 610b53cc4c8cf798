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

/**
 * The HTTP transport an {@link AtprotoClient} runs on when the application gives it none:
 * queries (GET) on the JDK's {@link HttpURLConnection}, procedures (POST) on the JDK's
 * {@code java.net.http.HttpClient} at HTTP/1.1. Neither follows a redirect, both wait at
 * most the given time to connect and the given time for a whole answer, and both speak
 * HTTP/1.1 (a plain {@code http://} server is never asked to upgrade, which the reference
 * PDS answers by dropping the request).
 * <p>
 * Why two: measured side by side under the client against the reference PDS and the PDS
 * double (see BENCHMARKS.md, the {@code transports} and {@code versus} benchmarks), a GET
 * on {@code HttpURLConnection} takes about half the time of one on the JDK's
 * {@code HttpClient}, whose calls hop between its selector thread, its executor and the
 * caller; that is what puts the client ahead of the TypeScript SDK per call. A POST
 * cannot safely go the same way: {@code HttpURLConnection} either streams a request body,
 * and then loses the body of a {@code 401} (the answer that tells a refused password or a
 * taken-down account apart, so that the client stops using refused credentials), or
 * buffers it, and then sends the POST a second time on a new connection when the first
 * fails before the answer (a second {@code createSession} spends a second login, a second
 * {@code refreshSession} races the first). The JDK {@code HttpClient} does neither, and a
 * procedure's time is the server's (a {@code createRecord} writes the repository): the
 * two transports differ by a few percent there. What to know:
 * <ul>
 * <li><b>Keep-alive.</b> Both reuse connections. {@code HttpURLConnection} keeps at most
 * 5 <em>idle</em> connections per host (the system property {@code http.maxConnections},
 * JVM-wide; this class never sets it): 32 callers at once use about 32 connections, and
 * after the burst all but 5 are closed. Queries and procedures use separate
 * connections.</li>
 * <li><b>No POST is sent twice.</b> A GET can be sent a second time on a new connection
 * when a kept-alive one turns out to be closed; XRPC queries are safe to repeat.</li>
 * <li><b>Whole-answer deadline.</b> The read timeout bounds each read and, from the
 * moment the request is sent, the whole answer: a server that trickles bytes is cut off
 * when it has passed (queries: one shared daemon thread, {@code atproto-http-deadlines},
 * closes late connections).</li>
 * <li><b>No authenticator, no response cache.</b> A {@code 401} with
 * {@code WWW-Authenticate} is returned as it is; the JVM's default {@code Authenticator}
 * is never asked for credentials to send.</li>
 * <li>Queries honour the JVM's proxy settings ({@code http.proxyHost}, the default
 * {@code ProxySelector}); procedures go direct, as the JDK {@code HttpClient} does by
 * default. Give the client a {@code RestClient.Builder} of your own for a proxy.</li>
 * </ul>
 */
public final class AtprotoHttpClients {

	/** How long a new connection may take by default. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** How long a read, and a whole answer, may take by default. */
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
	 * The default request factory: queries on {@link HttpURLConnection}, procedures on
	 * the JDK's {@code HttpClient} at HTTP/1.1 ({@link XrpcHttp#jdkRequestFactory}); no
	 * redirect followed (a 3xx answer is returned to the caller as it is, so a password
	 * or token never travels to the place it names), the given timeouts.
	 * @param connectTimeout the longest wait for a connection, more than zero
	 * @param readTimeout the longest wait for each read, and for the whole answer from
	 * the moment the request is sent, more than zero
	 * @return a new request factory (queries' connections live in the JDK's keep-alive
	 * cache; procedures' in an {@code HttpClient} of the factory's own)
	 * @throws IllegalArgumentException if a timeout is zero, negative, or longer than
	 * {@code Integer.MAX_VALUE} milliseconds
	 */
	public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
		int connect = millis("connectTimeout", connectTimeout);
		int read = millis("readTimeout", readTimeout);
		return new UrlConnectionQueries(connect, read, XrpcHttp.jdkRequestFactory(connectTimeout, readTimeout));
	}

	/**
	 * A factory that sends {@code Content-Length: 0} with a POST, PUT, PATCH or DELETE
	 * that has no body, and is otherwise the given one.
	 * <p>
	 * Spring's {@code SimpleClientHttpRequestFactory} sends such a request with
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

}
