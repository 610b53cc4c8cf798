package io.github.atprotospring.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on loopback written on plain sockets, for tests of the transport:
 * unlike the JDK's {@code HttpServer} it tells how many connections were opened, shows
 * the request line and headers exactly as sent, and can answer nothing at all (close the
 * connection, or keep it open without a word). Keeps connections alive between requests
 * unless the client asks otherwise. Every read has a timeout, so no thread waits for
 * ever.
 */
final class RawHttpServer implements AutoCloseable {

	/** A request as received. */
	record Request(String requestLine, Map<String, String> headers, byte[] body) {

		String method() {
			return this.requestLine.split(" ")[0];
		}

		String path() {
			return this.requestLine.split(" ")[1];
		}

		String version() {
			return this.requestLine.split(" ")[2];
		}

		/** A header by its name in any case, or {@code null}. */
		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/**
	 * What to do with a request.
	 *
	 * @param status the status to answer, or 0 to answer nothing
	 * @param headers extra headers of the answer
	 * @param body the answer's body
	 * @param close whether to close the connection (at once when {@code status} is 0)
	 * @param trickleMillis when more than 0, the head announces a 1 MiB body, of which
	 * one byte is sent every so many milliseconds until the client hangs up
	 */
	record Answer(int status, Map<String, String> headers, String body, boolean close, long trickleMillis) {

		Answer(int status, Map<String, String> headers, String body, boolean close) {
			this(status, headers, body, close, 0);
		}

		static Answer json(int status, String body) {
			return new Answer(status, Map.of("Content-Type", "application/json"), body, false);
		}

		static Answer json(int status, String body, Map<String, String> headers) {
			Map<String, String> all = new LinkedHashMap<>(headers);
			all.put("Content-Type", "application/json");
			return new Answer(status, all, body, false);
		}

		static Answer redirect(String location) {
			return new Answer(302, Map.of("Location", location), "", false);
		}

		/** Closes the connection without answering. */
		static Answer drop() {
			return new Answer(0, Map.of(), "", true);
		}

		/** Keeps the connection open without answering, until the client gives up. */
		static Answer silence() {
			return new Answer(0, Map.of(), "", false);
		}

		/**
		 * Sends the head of a 200 answer and then its body a byte at a time, one every
		 * {@code millis}: each read of the client gets data well within any read timeout,
		 * and the whole answer would take hours.
		 */
		static Answer trickle(long millis) {
			return new Answer(200, Map.of("Content-Type", "application/json"), "", false, millis);
		}

	}

	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final ServerSocket server;

	private final Function<Request, Answer> handler;

	private final AtomicInteger connections = new AtomicInteger();

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	RawHttpServer(Function<Request, Answer> handler) throws IOException {
		this.handler = handler;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		Thread acceptor = new Thread(this::accept, "raw-http-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/** Connections accepted so far. */
	int connections() {
		return this.connections.get();
	}

	/** Requests received so far, in order. */
	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.connections.incrementAndGet();
				this.sockets.add(socket);
				Thread thread = new Thread(() -> serve(socket), "raw-http-connection");
				thread.setDaemon(true);
				thread.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setSoTimeout(READ_TIMEOUT_MILLIS);
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			while (true) {
				Request request = read(in);
				if (request == null) {
					return;
				}
				this.requests.add(request);
				Answer answer = this.handler.apply(request);
				if (answer.status() == 0) {
					if (answer.close()) {
						return;
					}
					// silence: wait until the client closes (or the read times out)
					while (in.read() >= 0) {
						// discard
					}
					return;
				}
				if (answer.trickleMillis() > 0) {
					trickle(out, answer.trickleMillis());
					return;
				}
				byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
				StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + " Status\r\n");
				answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
				head.append("Content-Length: ").append(body.length).append("\r\n");
				boolean close = answer.close() || "close".equalsIgnoreCase(request.header("connection"));
				if (close) {
					head.append("Connection: close\r\n");
				}
				head.append("\r\n");
				out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
				out.write(body);
				out.flush();
				if (close) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private static void trickle(OutputStream out, long millis) throws IOException {
		out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{"
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		for (int i = 0; i < 1024 * 1024 - 1; i++) {
			try {
				// The server's pace, what is under test: not a wait of the test's.
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			out.write(' ');
			out.flush();
		}
	}

	/** One request, or {@code null} at the end of the stream. */
	private static Request read(InputStream in) throws IOException {
		String requestLine = line(in);
		if (requestLine == null || requestLine.isEmpty()) {
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while ((line = line(in)) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).strip());
			}
		}
		byte[] body = new byte[0];
		if (headers.containsKey("content-length")) {
			body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
		}
		else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			ByteArrayOutputStream chunks = new ByteArrayOutputStream();
			int size;
			while ((size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0) {
				chunks.write(in.readNBytes(size));
				line(in);
			}
			line(in);
			body = chunks.toByteArray();
		}
		return new Request(requestLine, headers, body);
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
			}
			if (line.size() > 16 * 1024) {
				throw new IOException("line too long");
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		List<Socket> open = new ArrayList<>(this.sockets);
		for (Socket socket : open) {
			socket.close();
		}
	}

}
