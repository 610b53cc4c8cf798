package io.github.atprotospring.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * XRPC queries (GET, HEAD) on the JDK's {@link HttpURLConnection}, which reads and writes
 * on the caller's thread and is the fastest of the HTTP clients measured for this work,
 * with the bounds every atproto transport keeps: no redirect followed, no authenticator
 * or response cache consulted, a connect timeout, a timeout for each read, and a deadline
 * for the whole answer (the connection is closed when the read timeout has passed since
 * the request was sent, so that a server that trickles bytes cannot hold a call for
 * longer).
 * <p>
 * Requests with a body are not made here: {@code HttpURLConnection} either streams a body
 * (and then loses the body of a {@code 401}, the answer that tells a refused password
 * apart) or buffers it (and then sends a POST a second time on a new connection when the
 * first one fails before the answer, which would spend a second login). Those go to the
 * factory given for them.
 */
final class UrlConnectionQueries implements ClientHttpRequestFactory {

	private static final Authenticator NO_AUTHENTICATOR = new Authenticator() {
	};

	/** The most header fields of an answer read (the JDK bounds their total size). */
	private static final int MAX_HEADER_FIELDS = 1000;

	private final int connectTimeoutMillis;

	private final int readTimeoutMillis;

	private final ClientHttpRequestFactory withBody;

	UrlConnectionQueries(int connectTimeoutMillis, int readTimeoutMillis, ClientHttpRequestFactory withBody) {
		this.connectTimeoutMillis = connectTimeoutMillis;
		this.readTimeoutMillis = readTimeoutMillis;
		this.withBody = withBody;
	}

	/**
	 * The factory that requests with a body (procedures) are made by.
	 * @return the factory for POST and the other methods with a body
	 */
	ClientHttpRequestFactory withBody() {
		return this.withBody;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
		if (httpMethod != HttpMethod.GET && httpMethod != HttpMethod.HEAD) {
			return this.withBody.createRequest(uri, httpMethod);
		}
		return new Query(uri, httpMethod, this.connectTimeoutMillis, this.readTimeoutMillis);
	}

	@Override
	public String toString() {
		return "UrlConnectionQueries[connectTimeout=" + this.connectTimeoutMillis + "ms, readTimeout="
				+ this.readTimeoutMillis + "ms, procedures=" + this.withBody.getClass().getSimpleName() + "]";
	}

	/**
	 * Closes connections whose answer is late: one daemon thread for every client in the
	 * JVM ({@code atproto-http-deadlines}), started by a query when none runs. While
	 * queries are in flight it looks at them every {@link #TICK_NANOS}, so a deadline is
	 * kept to within that; after {@link #IDLE_NANOS} without a query it ends, and the
	 * next query starts another. So no thread of the library outlives its use, as an
	 * application server that undeploys an application expects of it. A query only adds
	 * itself to a set and removes itself: no thread is woken per call (a scheduled task
	 * per call would wake the timer thread every time, a context switch on every query).
	 */
	static final class Deadlines {

		static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

		static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);

		private static final Set<Deadline> IN_FLIGHT = ConcurrentHashMap.newKeySet();

		private static final Object LOCK = new Object();

		/** The running watchdog, or {@code null}; guarded by {@link #LOCK}. */
		private static Thread watchdog;

		private static volatile long idleNanos = IDLE_NANOS;

		private static volatile long lastAdded = System.nanoTime();

		private Deadlines() {
		}

		static void add(Deadline deadline) {
			IN_FLIGHT.add(deadline);
			lastAdded = System.nanoTime();
			synchronized (LOCK) {
				if (watchdog == null) {
					Thread thread = new Thread(Deadlines::watch, "atproto-http-deadlines");
					thread.setDaemon(true);
					// Nothing it runs needs the application's class loader: do not hold
					// it.
					thread.setContextClassLoader(null);
					watchdog = thread;
					thread.start();
				}
			}
		}

		static void remove(Deadline deadline) {
			IN_FLIGHT.remove(deadline);
		}

		/** Queries in flight now (for tests). */
		static int inFlight() {
			return IN_FLIGHT.size();
		}

		/** The running watchdog, or {@code null} (for tests). */
		static Thread watchdog() {
			synchronized (LOCK) {
				return watchdog;
			}
		}

		/**
		 * Sets how long the watchdog waits without a query before it ends (for tests);
		 * {@link #IDLE_NANOS} otherwise.
		 */
		static void idleNanos(long nanos) {
			idleNanos = nanos;
		}

		private static void watch() {
			while (true) {
				long now = System.nanoTime();
				for (Deadline deadline : IN_FLIGHT) {
					if (now - deadline.due() >= 0) {
						IN_FLIGHT.remove(deadline);
						deadline.pass();
					}
				}
				if (IN_FLIGHT.isEmpty() && now - lastAdded > idleNanos) {
					synchronized (LOCK) {
						// A query puts its deadline in the set before it looks for a
						// watchdog under the lock: one that found this thread still set
						// is
						// in the set now, and this thread goes on.
						if (IN_FLIGHT.isEmpty()) {
							watchdog = null;
							return;
						}
					}
				}
				LockSupport.parkNanos(Deadlines.class, TICK_NANOS);
			}
		}

	}

	private static final class Query extends AbstractClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		private final int connectTimeoutMillis;

		private final int readTimeoutMillis;

		private ByteArrayOutputStream body;

		Query(URI uri, HttpMethod method, int connectTimeoutMillis, int readTimeoutMillis) {
			this.uri = uri;
			this.method = method;
			this.connectTimeoutMillis = connectTimeoutMillis;
			this.readTimeoutMillis = readTimeoutMillis;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected OutputStream getBodyInternal(HttpHeaders headers) {
			if (this.body == null) {
				this.body = new ByteArrayOutputStream();
			}
			return this.body;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
			if (this.body != null && this.body.size() > 0) {
				throw new IOException("A " + this.method + " request has no body");
			}
			URLConnection opened = this.uri.toURL().openConnection();
			if (!(opened instanceof HttpURLConnection connection)) {
				throw new IOException("Not an HTTP URL: " + this.uri.getScheme());
			}
			connection.setConnectTimeout(this.connectTimeoutMillis);
			connection.setReadTimeout(this.readTimeoutMillis);
			connection.setInstanceFollowRedirects(false);
			connection.setUseCaches(false);
			connection.setAuthenticator(NO_AUTHENTICATOR);
			connection.setDoInput(true);
			connection.setRequestMethod(this.method.name());
			headers.forEach((name, values) -> {
				for (String value : values) {
					connection.addRequestProperty(name, value);
				}
			});
			Deadline deadline = new Deadline(connection, this.readTimeoutMillis);
			try {
				connection.connect();
				deadline.start();
				return new Answer(connection, deadline);
			}
			catch (IOException ex) {
				deadline.cancel();
				connection.disconnect();
				throw deadline.explainIo(ex);
			}
			catch (RuntimeException ex) {
				deadline.cancel();
				connection.disconnect();
				throw ex;
			}
		}

	}

	/**
	 * The whole-answer deadline of one request.
	 */
	private static final class Deadline {

		private final HttpURLConnection connection;

		private final int millis;

		private long due;

		private volatile boolean passed;

		Deadline(HttpURLConnection connection, int millis) {
			this.connection = connection;
			this.millis = millis;
		}

		void start() {
			this.due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(this.millis);
			Deadlines.add(this);
		}

		long due() {
			return this.due;
		}

		void pass() {
			this.passed = true;
			this.connection.disconnect();
		}

		void cancel() {
			Deadlines.remove(this);
		}

		/**
		 * The failure to report: a timeout when the deadline closed the connection, else
		 * the failure itself.
		 */
		IOException explainIo(IOException ex) {
			if (this.passed && !(ex instanceof SocketTimeoutException)) {
				// Without the cause: it only says that the socket was closed, by the
				// deadline.
				return new SocketTimeoutException(
						"The answer did not arrive in full within the read timeout of " + this.millis + " ms");
			}
			return ex;
		}

	}

	private static final class Answer implements ClientHttpResponse {

		private final HttpURLConnection connection;

		private final Deadline deadline;

		private HttpHeaders headers;

		private InputStream body;

		Answer(HttpURLConnection connection, Deadline deadline) {
			this.connection = connection;
			this.deadline = deadline;
		}

		@Override
		public HttpStatusCode getStatusCode() throws IOException {
			return HttpStatusCode.valueOf(status());
		}

		private int status() throws IOException {
			try {
				int status = this.connection.getResponseCode();
				if (status < 100 || status > 999) {
					throw new IOException("The answer has no valid HTTP status line");
				}
				return status;
			}
			catch (IOException ex) {
				throw this.deadline.explainIo(ex);
			}
		}

		@Override
		public String getStatusText() throws IOException {
			String message = this.connection.getResponseMessage();
			return (message != null) ? message : "";
		}

		@Override
		public HttpHeaders getHeaders() {
			if (this.headers == null) {
				HttpHeaders read = new HttpHeaders();
				// Field by field rather than through getHeaderFields(), which builds a
				// map
				// of lists first; field 0 is the status line, which has no name.
				for (int i = 0; i < MAX_HEADER_FIELDS; i++) {
					String name = this.connection.getHeaderFieldKey(i);
					String value = this.connection.getHeaderField(i);
					if (name == null && value == null) {
						break;
					}
					if (name != null && value != null) {
						read.add(name, value);
					}
				}
				this.headers = read;
			}
			return this.headers;
		}

		@Override
		public InputStream getBody() throws IOException {
			if (this.body == null) {
				InputStream stream = (status() >= 400) ? this.connection.getErrorStream() : inputStream();
				this.body = new DeadlineStream((stream != null) ? stream : InputStream.nullInputStream(), this.deadline,
						announcedLength());
			}
			return this.body;
		}

		/**
		 * The length the head announced, or -1: the JDK's stream ends quietly when a
		 * connection is closed before that many bytes came, so it is counted here.
		 */
		private long announcedLength() {
			if (this.connection.getHeaderField("Transfer-Encoding") != null) {
				return -1;
			}
			return this.connection.getContentLengthLong();
		}

		private InputStream inputStream() throws IOException {
			try {
				return this.connection.getInputStream();
			}
			catch (IOException ex) {
				throw this.deadline.explainIo(ex);
			}
		}

		@Override
		public void close() {
			this.deadline.cancel();
			try {
				if (this.body != null) {
					// A body read to its end puts the connection back in the JDK's
					// keep-alive cache; one closed early is drained by the JDK only if
					// little is left, else the connection is closed.
					this.body.close();
				}
				else {
					InputStream stream = this.connection.getErrorStream();
					if (stream != null) {
						stream.close();
					}
				}
			}
			catch (IOException ex) {
				this.connection.disconnect();
			}
		}

	}

	/**
	 * The body of an answer: a read that fails because the deadline closed the connection
	 * is reported as a timeout, and an end before the announced length as a closed
	 * connection.
	 */
	private static final class DeadlineStream extends FilterInputStream {

		private final Deadline deadline;

		private final long announced;

		private long read;

		DeadlineStream(InputStream in, Deadline deadline, long announced) {
			super(in);
			this.deadline = deadline;
			this.announced = announced;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			int n;
			try {
				n = this.in.read(bytes, offset, length);
			}
			catch (IOException ex) {
				throw this.deadline.explainIo(ex);
			}
			if (n > 0) {
				this.read += n;
			}
			else if (n < 0 && this.announced >= 0 && this.read < this.announced) {
				throw this.deadline.explainIo(new EOFException("The connection was closed after " + this.read + " of "
						+ this.announced + " bytes of the answer"));
			}
			return n;
		}

		@Override
		public boolean markSupported() {
			return false;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			this.read += Math.max(0, skipped);
			return skipped;
		}

		@Override
		public void close() throws IOException {
			this.deadline.cancel();
			super.close();
		}

	}

}
