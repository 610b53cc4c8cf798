package io.github.atprotospring.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.PdsDouble;

/**
 * Sequential round trips to the double, one at a time: a plain {@link HttpClient} GET of
 * {@code /xrpc/_health} and {@code AtprotoClient.getSession()}. Run here (where the
 * double has turned on {@code sun.net.httpserver.nodelay}) and in a child JVM started
 * with {@code -Dsun.net.httpserver.nodelay=false}, the JDK's default, so that both sides
 * of the Nagle / delayed-ACK stall are measured in one run.
 */
public final class LatencyBenchmark implements Benchmark {

	@Override
	public String name() {
		return "latency";
	}

	@Override
	public String summary() {
		return "sequential round-trip time to the double, with and without TCP_NODELAY on its sockets";
	}

	@Override
	public void run(Options options, PrintStream out) throws IOException {
		int calls = options.count("latency.calls", 2000, 20);
		int nagleCalls = options.count("latency.nagle-calls", 100, 10);
		Map<String, String> here = measure(calls, calls);
		Path log = Files.createTempFile("atproto-bench-latency-", ".log");
		Map<String, String> nagle;
		try (ChildJvm child = ChildJvm.start("latency-nodelay-false", LatencyBenchmark.class,
				List.of("-Xmx512m", "-Dsun.net.httpserver.nodelay=false"),
				List.of("--calls=" + nagleCalls, "--warmup=" + Math.max(5, nagleCalls / 5)), log)) {
			nagle = child.expect("RESULT", Duration.ofSeconds(30).plus(Duration.ofMillis(200L * nagleCalls)));
		}
		Files.deleteIfExists(log);
		Table table = new Table("JVM", "sun.net.httpserver.nodelay", "calls each", "HttpClient GET _health p50", "mean",
				"AtprotoClient.getSession() p50", "mean");
		row(table, "this JVM", here);
		row(table, "child, -Dsun.net.httpserver.nodelay=false", nagle);
		table.print(out);
		double slowdown = Double.parseDouble(nagle.get("clientP50")) / Double.parseDouble(here.get("clientP50"));
		out.printf("Without TCP_NODELAY a getSession() round trip takes %.0fx as long (p50).%n%n", slowdown);
	}

	private static void row(Table table, String jvm, Map<String, String> figures) {
		table.row(jvm, figures.get("nodelay"), figures.get("calls"),
				Stats.ms(Double.parseDouble(figures.get("healthP50"))),
				Stats.ms(Double.parseDouble(figures.get("healthMean"))),
				Stats.ms(Double.parseDouble(figures.get("clientP50"))),
				Stats.ms(Double.parseDouble(figures.get("clientMean"))));
	}

	/** Measures both kinds of round trip, after a warm-up, one call at a time. */
	static Map<String, String> measure(int calls, int warmup) {
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, Benchmarks.PASSWORD);
			HttpClient http = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Http.TIMEOUT)
				.build();
			HttpRequest health = HttpRequest.newBuilder(URI.create(pds.url() + "/xrpc/_health"))
				.timeout(Http.TIMEOUT)
				.build();
			long[] healthNanos = new long[calls];
			for (int i = -warmup; i < calls; i++) {
				long start = System.nanoTime();
				HttpResponse<byte[]> response = http.send(health, HttpResponse.BodyHandlers.ofByteArray());
				if (response.statusCode() != 200) {
					throw new IllegalStateException("_health answered " + response.statusCode());
				}
				if (i >= 0) {
					healthNanos[i] = System.nanoTime() - start;
				}
			}
			AtprotoClient client = AtprotoClient.builder()
				.service(pds.url())
				.restClientBuilder(Http.restClientBuilder())
				.credentials(Benchmarks.HANDLE, Benchmarks.PASSWORD)
				.build();
			client.ensureSession();
			long[] clientNanos = new long[calls];
			for (int i = -warmup; i < calls; i++) {
				long start = System.nanoTime();
				client.getSession();
				if (i >= 0) {
					clientNanos[i] = System.nanoTime() - start;
				}
			}
			Stats healthStats = Stats.of(healthNanos, calls);
			Stats clientStats = Stats.of(clientNanos, calls);
			Map<String, String> figures = new LinkedHashMap<>();
			figures.put("nodelay", System.getProperty("sun.net.httpserver.nodelay"));
			figures.put("calls", Integer.toString(calls));
			figures.put("healthP50", Long.toString(healthStats.p50()));
			figures.put("healthMean", Long.toString(Math.round(healthStats.mean())));
			figures.put("clientP50", Long.toString(clientStats.p50()));
			figures.put("clientMean", Long.toString(Math.round(clientStats.mean())));
			return figures;
		}
		catch (IOException ex) {
			throw new IllegalStateException("A request to the double failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The child JVM's side: measures and answers {@code RESULT} with the figures.
	 * @param args {@code --calls=N --warmup=N}
	 */
	public static void main(String[] args) {
		Options options = Options.parse(args, null);
		ChildJvm.answer("RESULT", measure(options.integer("calls", 100), options.integer("warmup", 20)));
		System.exit(0);
	}

}
