package io.github.atprotospring.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
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
			Supplier<SessionInfo> plain = plainGetSession(rest, session, json);
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
			byte[] answer = rest.get()
				.uri(uri)
				.header(HttpHeaders.AUTHORIZATION, authorization)
				.exchange((request, response) -> response.getBody().readAllBytes());
			inMemory(out, session, answer, json, warmup, batches, batchCalls * 5);
		}
	}

	/**
	 * The same two ways on a request factory that answers from memory (the bytes the
	 * double answered), so that the client's own work per call is seen without the
	 * network's time and noise around it.
	 */
	private static void inMemory(PrintStream out, Session session, byte[] answer, JsonMapper json, int warmup,
			int batches, int batchCalls) {
		RestClient.Builder builder = RestClient.builder().requestFactory(new MemoryAnswers(answer));
		AtprotoClient client = AtprotoClient.builder()
			.service(session.pdsEndpoint())
			.restClientBuilder(builder)
			.build();
		client.importSession(session);
		Supplier<SessionInfo> plain = plainGetSession(builder.build(), session, json);
		Supplier<SessionInfo> viaClient = client::getSession;
		for (int i = 0; i < warmup * 5; i++) {
			plain.get();
			viaClient.get();
		}
		long[] clientNanos = new long[batches * batchCalls];
		long[] plainNanos = new long[batches * batchCalls];
		for (int b = 0; b < batches; b++) {
			interleaved(viaClient, clientNanos, plain, plainNanos, b * batchCalls, batchCalls, b % 2 == 0);
		}
		Stats clientStats = Stats.of(clientNanos, clientNanos.length);
		Stats plainStats = Stats.of(plainNanos, plainNanos.length);
		out.println();
		out.println("Without the network: the same two ways on a request factory that answers from memory ("
				+ clientNanos.length + " calls each way, after " + (warmup * 5) + " warm-up calls each):");
		out.println();
		Table table = new Table("way", "p50", "p90", "mean");
		table.row("AtprotoClient.getSession()", micros(clientStats.p50()), micros(clientStats.p90()),
				micros((long) clientStats.mean()));
		table.row("plain RestClient GET, fixed bearer", micros(plainStats.p50()), micros(plainStats.p90()),
				micros((long) plainStats.mean()));
		table.row("the client's own work per call (p50 difference)", micros(clientStats.p50() - plainStats.p50()), "",
				"");
		table.print(out);
	}

	private static String micros(long nanos) {
		return String.format("%.2f us", nanos / 1000.0);
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

	/**
	 * {@code getSession} on a plain {@link RestClient}: a fixed bearer, all bytes read,
	 * then Jackson.
	 */
	private static Supplier<SessionInfo> plainGetSession(RestClient rest, Session session, JsonMapper json) {
		URI uri = URI.create(session.pdsEndpoint() + "/xrpc/" + Benchmarks.GET_SESSION);
		String authorization = "Bearer " + session.accessJwt();
		return () -> rest.get()
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
	}

	/** Answers every request with the same JSON, from memory. */
	private static final class MemoryAnswers implements ClientHttpRequestFactory {

		private final byte[] answer;

		MemoryAnswers(byte[] answer) {
			this.answer = answer;
		}

		@Override
		public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
			byte[] body = this.answer;
			return new AbstractClientHttpRequest() {

				@Override
				public HttpMethod getMethod() {
					return httpMethod;
				}

				@Override
				public URI getURI() {
					return uri;
				}

				@Override
				protected OutputStream getBodyInternal(HttpHeaders headers) {
					return OutputStream.nullOutputStream();
				}

				@Override
				protected ClientHttpResponse executeInternal(HttpHeaders headers) {
					return new ClientHttpResponse() {

						@Override
						public HttpStatusCode getStatusCode() {
							return HttpStatus.OK;
						}

						@Override
						public String getStatusText() {
							return "OK";
						}

						@Override
						public HttpHeaders getHeaders() {
							HttpHeaders answerHeaders = new HttpHeaders();
							answerHeaders.setContentType(MediaType.APPLICATION_JSON);
							answerHeaders.setContentLength(body.length);
							return answerHeaders;
						}

						@Override
						public InputStream getBody() {
							return new ByteArrayInputStream(body);
						}

						@Override
						public void close() {
						}

					};
				}

			};
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
