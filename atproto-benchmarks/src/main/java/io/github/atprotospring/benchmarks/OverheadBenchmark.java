package io.github.atprotospring.benchmarks;

import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.function.Supplier;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.model.SessionInfo;
import io.github.atprotospring.test.PdsDouble;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The client's own cost per call: {@code AtprotoClient.getSession()} against a plain
 * {@link RestClient} GET of the same endpoint with a fixed {@code Authorization: Bearer}
 * header, its answer read the same way (all bytes, then Jackson into {@link SessionInfo}
 * with unknown properties ignored). Both are built from one {@link RestClient.Builder} on
 * one request factory (the client's default unless {@code --overhead.transport} names
 * another, see {@link Transport}), so only the client's own work differs. One thread;
 * after a warm-up, batches of each alternate (the order swapped every round) and every
 * call's time is kept.
 */
final class OverheadBenchmark implements Benchmark {

	@Override
	public String name() {
		return "overhead";
	}

	@Override
	public String summary() {
		return "per-call overhead of AtprotoClient against a plain RestClient GET of the same endpoint";
	}

	@Override
	public void run(Options options, PrintStream out) {
		int warmup = options.count("overhead.warmup", 10_000, 100);
		int batches = Math.max(1, options.integer("overhead.batches", 20));
		int batchCalls = options.count("overhead.batch-calls", 2_000, 20);
		long deadline = System.nanoTime() + options.timeLimit().toNanos();
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, Benchmarks.PASSWORD);
			Transport transport = Transport.parse(options.string("overhead.transport", "default")).get(0);
			ClientHttpRequestFactory factory = transport.create();
			out.println("Both ways on one request factory: " + transport.label() + ".");
			out.println();
			RestClient.Builder builder = RestClient.builder().requestFactory(factory);
			AtprotoClient client = AtprotoClient.builder()
				.service(pds.url())
				.restClientBuilder(builder)
				.credentials(Benchmarks.HANDLE, Benchmarks.PASSWORD)
				.build();
			Session session = client.ensureSession();

			RestClient rest = builder.build();
			JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
			URI uri = URI.create(session.pdsEndpoint() + "/xrpc/" + Benchmarks.GET_SESSION);
			String authorization = "Bearer " + session.accessJwt();
			Supplier<SessionInfo> plain = () -> rest.get()
				.uri(uri)
				.accept(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.AUTHORIZATION, authorization)
				.exchange((request, response) -> {
					int status = response.getStatusCode().value();
					byte[] body = response.getBody().readAllBytes();
					if (status != 200) {
						throw new IllegalStateException("getSession answered " + status);
					}
					return json.readValue(body, SessionInfo.class);
				});
			Supplier<SessionInfo> viaClient = client::getSession;
			if (!plain.get().equals(viaClient.get())) {
				throw new IllegalStateException("The two ways of calling getSession read different answers");
			}

			for (int i = 0; i < warmup; i++) {
				plain.get();
				viaClient.get();
			}
			long[] clientNanos = new long[batches * batchCalls];
			long[] plainNanos = new long[batches * batchCalls];
			double[] batchRatios = new double[batches];
			int rounds = 0;
			long start = System.nanoTime();
			for (int b = 0; b < batches && System.nanoTime() - deadline < 0; b++) {
				int offset = b * batchCalls;
				interleaved(viaClient, clientNanos, plain, plainNanos, offset, batchCalls, b % 2 == 0);
				batchRatios[b] = median(clientNanos, offset, batchCalls) / median(plainNanos, offset, batchCalls);
				rounds++;
			}
			long wall = System.nanoTime() - start;
			int calls = rounds * batchCalls;
			Stats clientStats = Stats.of(clientNanos, calls);
			Stats plainStats = Stats.of(plainNanos, calls);
			double[] ratios = Arrays.copyOf(batchRatios, rounds);
			Arrays.sort(ratios);

			Table table = new Table("way", "calls", "p50", "p90", "p99", "mean");
			table.row("AtprotoClient.getSession()", calls, Stats.ms(clientStats.p50()), Stats.ms(clientStats.p90()),
					Stats.ms(clientStats.p99()), Stats.ms(clientStats.mean()));
			table.row("plain RestClient GET, fixed bearer", calls, Stats.ms(plainStats.p50()),
					Stats.ms(plainStats.p90()), Stats.ms(plainStats.p99()), Stats.ms(plainStats.mean()));
			table.print(out);
			Table ratio = new Table("figure", "value", "target");
			ratio.row("ratio of medians, client / plain",
					String.format("%.3f", (double) clientStats.p50() / plainStats.p50()), "<= 1.05");
			ratio.row("ratio of means, client / plain", String.format("%.3f", clientStats.mean() / plainStats.mean()),
					"");
			ratio.row("median overhead per call", Stats.ms(clientStats.p50() - plainStats.p50()), "");
			ratio.row("per-batch ratio of medians, min / median / max", String.format("%.3f / %.3f / %.3f", ratios[0],
					ratios[ratios.length / 2], ratios[ratios.length - 1]), "");
			ratio.row("batches",
					rounds + " x " + batchCalls + " calls per way, after " + warmup + " warm-up calls each", "");
			ratio.row("wall time (measured part)", Stats.seconds(wall), "");
			ratio.print(out);
			if (rounds < batches) {
				out.println("STOPPED at the time limit after " + rounds + " of " + batches + " batches.");
			}
			Transport.close(factory);
		}
	}

	/**
	 * A batch of calls each way, the two ways taking turns call by call (the first of
	 * each pair alternating too), so that a burst of the machine's other work falls on
	 * both alike rather than on whichever way's batch it meets.
	 */
	private static void interleaved(Supplier<SessionInfo> one, long[] oneNanos, Supplier<SessionInfo> other,
			long[] otherNanos, int offset, int count, boolean oneFirst) {
		for (int i = 0; i < count; i++) {
			if (((i % 2 == 0) == oneFirst)) {
				oneNanos[offset + i] = timed(one);
				otherNanos[offset + i] = timed(other);
			}
			else {
				otherNanos[offset + i] = timed(other);
				oneNanos[offset + i] = timed(one);
			}
		}
	}

	private static long timed(Supplier<SessionInfo> call) {
		long start = System.nanoTime();
		call.get();
		return System.nanoTime() - start;
	}

	private static double median(long[] nanos, int offset, int count) {
		long[] part = Arrays.copyOfRange(nanos, offset, offset + count);
		Arrays.sort(part);
		return Stats.percentile(part, 0.5);
	}

}
