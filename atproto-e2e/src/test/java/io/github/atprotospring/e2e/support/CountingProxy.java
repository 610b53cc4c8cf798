package io.github.atprotospring.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small HTTP proxy in front of a server that counts what reaches it: tests point a
 * client at {@link #url()} and then count, say, the {@code createSession} calls the
 * server really received. Requests and answers pass unchanged (hop-by-hop headers aside),
 * {@code X-Forwarded-For} included.
 */
public final class CountingProxy implements AutoCloseable {

	static {
		// Without it the JDK server's answers wait ~40 ms for a delayed ACK (Nagle); see
		// PdsDouble.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "keep-alive",
			"transfer-encoding", "upgrade", "te", "trailer", "proxy-connection");

	/**
	 * One request that went through.
	 *
	 * @param method the HTTP method
	 * @param nsid the XRPC method, or the path if it is not an XRPC call
	 * @param status the status the server answered
	 * @param rateLimitRemaining the answer's {@code RateLimit-Remaining}, or {@code null}
	 */
	public record Call(String method, String nsid, int status, String rateLimitRemaining) {
	}

	private final String target;

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "counting-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<Call> calls = new ArrayList<>();

	/**
	 * Starts a proxy on a free loopback port.
	 * @param target the base URL to forward to
	 */
	public CountingProxy(String target) {
		this.target = target;
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	/**
	 * The proxy's base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * How many requests for a method reached the server.
	 * @param nsid the XRPC method
	 * @return the count
	 */
	public long count(String nsid) {
		synchronized (this.calls) {
			return this.calls.stream().filter((call) -> call.nsid().equals(nsid)).count();
		}
	}

	/**
	 * Every request so far, in order.
	 * @return the calls
	 */
	public List<Call> calls() {
		synchronized (this.calls) {
			return List.copyOf(this.calls);
		}
	}

	private void forward(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getRawPath();
			String query = exchange.getRequestURI().getRawQuery();
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readAllBytes();
			}
			HttpRequest.Builder request = HttpRequest
				.newBuilder(URI.create(this.target + path + ((query != null) ? "?" + query : "")))
				.method(exchange.getRequestMethod(), (body.length > 0) ? HttpRequest.BodyPublishers.ofByteArray(body)
						: HttpRequest.BodyPublishers.noBody());
			exchange.getRequestHeaders().forEach((name, values) -> {
				if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
					values.forEach((value) -> request.header(name, value));
				}
			});
			HttpResponse<byte[]> response;
			try {
				response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			String nsid = path.startsWith("/xrpc/") ? path.substring("/xrpc/".length()) : path;
			synchronized (this.calls) {
				this.calls.add(new Call(exchange.getRequestMethod(), nsid, response.statusCode(),
						response.headers().firstValue("RateLimit-Remaining").orElse(null)));
			}
			response.headers().map().forEach((name, values) -> {
				if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
					exchange.getResponseHeaders().put(name, values);
				}
			});
			byte[] answer = response.body();
			exchange.sendResponseHeaders(response.statusCode(), (answer.length > 0) ? answer.length : -1);
			if (answer.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
