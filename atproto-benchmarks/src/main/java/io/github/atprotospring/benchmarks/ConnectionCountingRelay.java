package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts the connections a client opens to a server: every
 * connection accepted is relayed byte for byte to the server's port, so the client sees
 * the server and the relay sees how many connections it took. It runs in a JVM of its own
 * (a {@link ChildJvm}), so that its threads and buffers do not count in the memory the
 * benchmark measures for the client.
 * <p>
 * Protocol: prints {@code READY port=<port>}; on the line {@code count} answers
 * {@code COUNT opened=<accepted so far> open=<open now>}; stops when its standard input
 * closes.
 */
public final class ConnectionCountingRelay {

	private static final int MAX_CONNECTIONS = 2048;

	private final AtomicLong opened = new AtomicLong();

	private final AtomicInteger open = new AtomicInteger();

	private final int targetPort;

	private ConnectionCountingRelay(int targetPort) {
		this.targetPort = targetPort;
	}

	/**
	 * Runs the relay.
	 * @param args {@code --target-port=N}
	 * @throws IOException if it cannot listen
	 */
	public static void main(String[] args) throws IOException {
		Options options = Options.parse(args, null);
		int targetPort = options.integer("target-port", 0);
		if (targetPort <= 0) {
			throw new IllegalArgumentException("--target-port=N is required");
		}
		ConnectionCountingRelay relay = new ConnectionCountingRelay(targetPort);
		ServerSocket server = new ServerSocket();
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		Thread acceptor = new Thread(() -> relay.accept(server), "relay-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		ChildJvm.answer("READY", Map.of("port", server.getLocalPort()));
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			if (line.strip().equals("count")) {
				Map<String, Object> counts = new LinkedHashMap<>();
				counts.put("opened", relay.opened.get());
				counts.put("open", relay.open.get());
				ChildJvm.answer("COUNT", counts);
			}
		}
		server.close();
		System.exit(0);
	}

	private void accept(ServerSocket server) {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				if (this.open.get() >= MAX_CONNECTIONS) {
					client.close();
					continue;
				}
				this.opened.incrementAndGet();
				this.open.incrementAndGet();
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.targetPort), 10_000);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				AtomicInteger ends = new AtomicInteger();
				pump(client, upstream, ends);
				pump(upstream, client, ends);
			}
			catch (IOException ex) {
				if (!server.isClosed()) {
					System.err.println("relay: " + ex);
				}
			}
		}
	}

	/**
	 * Copies one direction; when either direction ends both sockets close and the
	 * connection stops counting as open.
	 */
	private void pump(Socket from, Socket to, AtomicInteger ends) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
				}
			}
			catch (IOException ex) {
				// one side closed or reset the connection
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				if (ends.incrementAndGet() == 2) {
					this.open.decrementAndGet();
				}
			}
		}, "relay-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
