package io.github.atprotospring.benchmarks;

import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.PdsDouble;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The request factories Spring offers, side by side under {@code AtprotoClient}, against
 * the PDS double or the reference PDS: sequential {@code getSession()} latency, a
 * sequential POST ({@code createRecord}), throughput at several numbers of concurrent
 * callers, the connections the server sees (through a counting relay in a JVM of its own)
 * and the memory an open connection costs the client. Every phase alternates the
 * transports, round by round, in a rotating order, so that the machine's noise falls on
 * all of them alike; compare ratios within one run.
 */
final class TransportBenchmark implements Benchmark {

	private int sequentialRounds = 20;

	private static final String PASSWORD = "transport-bench-password";

	@Override
	public String name() {
		return "transports";
	}

	@Override
	public String summary() {
		return "request factories under AtprotoClient: latency, throughput by callers, connections, memory";
	}

	@Override
	public void run(Options options, PrintStream out) throws Exception {
		String target = options.string("transports.target", "double");
		List<Transport> transports = Transport.parse(options.string("transports.list", "all"));
		int warmup = options.count("transports.warmup", 1000, 10);
		int calls = options.count("transports.calls", 2000, 20);
		int posts = options.count("transports.posts", 300, 10);
		int rounds = Math.max(1, options.integer("transports.rounds", 4));
		this.sequentialRounds = Math.max(1, options.integer("transports.sequential-rounds", 20));
		int concurrentCalls = options.count("transports.concurrent-calls", 2048, 32);
		int[] levels = Arrays.stream(options.string("transports.callers", "1,8,32,256").split(","))
			.map(String::strip)
			.mapToInt(Integer::parseInt)
			.toArray();
		int reuseCalls = options.count("transports.reuse-calls", 200, 10);
		long limitSeconds = options.timeLimit().toSeconds();

		if (target.equals("pds")) {
			try (ReferencePdsServer pds = ReferencePdsServer.start(ReferencePdsServer.node())) {
				String handle = pds.createAccount("transports", PASSWORD);
				out.println("Target: the reference PDS " + pds.version() + " at " + pds.url()
						+ " (rate limits and request log off).");
				out.println();
				measure(out, pds.url(), pds.port(), handle, transports, warmup, calls, posts, rounds, concurrentCalls,
						levels, reuseCalls, limitSeconds);
			}
		}
		else if (target.equals("double")) {
			try (PdsDouble pds = PdsDouble.builder().didDocWithSession(false).rateLimits(false).start()) {
				pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, PASSWORD);
				out.println("Target: PdsDouble at " + pds.url() + ".");
				out.println();
				measure(out, pds.url(), pds.port(), Benchmarks.HANDLE, transports, warmup, calls, posts, rounds,
						concurrentCalls, levels, reuseCalls, limitSeconds);
			}
		}
		else {
			throw new IllegalArgumentException("--transports.target must be double or pds, not " + target);
		}
	}

	private void measure(PrintStream out, String url, int port, String handle, List<Transport> transports, int warmup,
			int calls, int posts, int rounds, int concurrentCalls, int[] levels, int reuseCalls, long limitSeconds)
			throws Exception {
		Map<Transport, ClientHttpRequestFactory> factories = new LinkedHashMap<>();
		Map<Transport, AtprotoClient> clients = new LinkedHashMap<>();
		try {
			for (Transport transport : transports) {
				ClientHttpRequestFactory factory = transport.create();
				factories.put(transport, factory);
				clients.put(transport, client(url, handle, factory));
			}
			// Warm-up, alternating in slices so that every transport's code is compiled.
			for (int slice = 0; slice < 10; slice++) {
				for (AtprotoClient client : clients.values()) {
					for (int i = 0; i < warmup / 10; i++) {
						client.getSession();
					}
				}
			}

			out.println("### Sequential calls, one caller");
			out.println();
			int seqRounds = this.sequentialRounds;
			Map<Transport, List<Load>> sequential = alternate(clients, seqRounds,
					(client) -> Load.run(1, Math.max(1, calls / seqRounds), client::getSession, limitSeconds));
			Map<Transport, List<Load>> postLoads = alternate(clients, seqRounds,
					(client) -> Load.run(1, Math.max(1, posts / seqRounds),
							() -> client.createRecord("app.bsky.feed.like", like()), limitSeconds));
			Transport baseline = transports.get(0);
			double baseP50 = Load.merge(sequential.get(baseline)).stats().p50();
			double basePostP50 = Load.merge(postLoads.get(baseline)).stats().p50();
			Table table = new Table("transport", "getSession calls", "p50", "p99", "calls/s", "p50 / " + baseline.id(),
					"POST createRecord p50", "p50 / " + baseline.id(), "failed");
			for (Transport transport : transports) {
				Load get = Load.merge(sequential.get(transport));
				Load post = Load.merge(postLoads.get(transport));
				Stats stats = get.stats();
				Stats postStats = post.stats();
				table.row(transport.label(), get.count(), Stats.ms(stats.p50()), Stats.ms(stats.p99()),
						String.format("%.0f", get.callsPerSecond()), String.format("%.2f", stats.p50() / baseP50),
						Stats.ms(postStats.p50()), String.format("%.2f", postStats.p50() / basePostP50),
						get.failed() + post.failed());
			}
			table.print(out);

			out.println("### Concurrent callers (calls/s over the wall time; p50 and p99 per call)");
			out.println();
			List<String> header = new ArrayList<>(List.of("transport"));
			for (int level : levels) {
				header.add(level + " callers: calls/s");
				header.add("p50 / p99");
			}
			header.add("failed");
			Map<Transport, List<String>> rows = new LinkedHashMap<>();
			Map<Transport, Integer> failures = new LinkedHashMap<>();
			Map<Transport, String> firstFailures = new LinkedHashMap<>();
			for (Transport transport : transports) {
				rows.put(transport, new ArrayList<>(List.of(transport.label())));
			}
			for (int level : levels) {
				int each = Math.max(1, concurrentCalls / level);
				Map<Transport, List<Load>> loads = alternate(clients, rounds,
						(client) -> Load.run(level, each, client::getSession, limitSeconds));
				for (Transport transport : transports) {
					Load load = Load.merge(loads.get(transport));
					Stats stats = load.stats();
					rows.get(transport).add(String.format("%.0f", load.callsPerSecond()));
					rows.get(transport).add(Stats.ms(stats.p50()) + " / " + Stats.ms(stats.p99()));
					failures.merge(transport, load.failed(), Integer::sum);
					if (load.firstFailure() != null) {
						firstFailures.putIfAbsent(transport, load.firstFailure());
					}
				}
			}
			Table concurrent = new Table(header.toArray(String[]::new));
			for (Transport transport : transports) {
				List<String> row = rows.get(transport);
				row.add(Integer.toString(failures.getOrDefault(transport, 0)));
				concurrent.row(row.toArray());
			}
			concurrent.print(out);
			firstFailures.forEach((transport, failure) -> out.println("- " + transport.label() + ", first failure: "
					+ failure.substring(0, Math.min(300, failure.length()))));
			if (!firstFailures.isEmpty()) {
				out.println();
			}
		}
		finally {
			factories.values().forEach(Transport::close);
		}
		connections(out, port, handle, transports, reuseCalls, limitSeconds);
	}

	/**
	 * Connections opened, as the server's side sees them, and the client's memory per
	 * open connection.
	 */
	private void connections(PrintStream out, int port, String handle, List<Transport> transports, int calls,
			long limitSeconds) throws Exception {
		Path log = Files.createTempFile("atproto-bench-relay-", ".log");
		try (ChildJvm relay = ChildJvm.start("relay", ConnectionCountingRelay.class, List.of("-Xmx256m", "-Xss256k"),
				List.of("--target-port=" + port), log)) {
			String url = "http://127.0.0.1:" + relay.expect("READY", Duration.ofSeconds(60)).get("port");
			Table table = new Table("transport", "connections for " + calls + " sequential calls",
					"for 32 callers x 20", "for 256 callers x 20", "open at the relay, before -> after the 256 callers",
					"heap+direct per connection", "threads per connection", "failed");
			for (Transport transport : transports) {
				ClientHttpRequestFactory factory = transport.create();
				try {
					long start = opened(relay);
					AtprotoClient client = client(url, handle, factory);
					for (int i = 0; i < calls; i++) {
						client.getSession();
					}
					long sequential = opened(relay) - start;
					long before32 = opened(relay);
					Load load32 = Load.run(32, 20, client::getSession, limitSeconds);
					long at32 = opened(relay) - before32;
					long openBefore = open(relay);
					long memoryBefore = usedMemory();
					int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
					long before256 = opened(relay);
					Load load256 = Load.run(256, 20, client::getSession, limitSeconds);
					long at256 = opened(relay) - before256;
					long openAfter = open(relay);
					long memoryAfter = usedMemory();
					int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
					long more = openAfter - openBefore;
					table.row(transport.label(), sequential, at32, at256, openBefore + " -> " + openAfter,
							(more > 0) ? String.format("%.1f KiB", (memoryAfter - memoryBefore) / 1024.0 / more) : "-",
							(more > 0) ? String.format("%.2f", (threadsAfter - threadsBefore) / (double) more) : "-",
							load32.failed() + load256.failed());
				}
				catch (RuntimeException ex) {
					table.row(transport.label(), "-", "-", "-", "-", "-", "-", "stopped: " + ex);
				}
				finally {
					Transport.close(factory);
				}
			}
			table.print(out);
			out.println("Connections are counted by a TCP relay in a JVM of its own between the client and the server;"
					+ " memory is the client JVM's heap after a full GC plus its direct buffers, before and after the"
					+ " 256 callers, divided by the connections they left open (after minus before, where that is more"
					+ " than zero). HttpURLConnection keeps 5 idle per host, in one JVM-wide cache that both of its rows"
					+ " share, and closes the others as calls end, so its count falls. The load threads have ended by"
					+ " then.");
			out.println();
		}
		Files.deleteIfExists(log);
	}

	private static long opened(ChildJvm relay) {
		relay.send("count");
		return Long.parseLong(relay.expect("COUNT", Duration.ofSeconds(30)).get("opened"));
	}

	private static long open(ChildJvm relay) {
		relay.send("count");
		return Long.parseLong(relay.expect("COUNT", Duration.ofSeconds(30)).get("open"));
	}

	private static long usedMemory() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			used += pool.getMemoryUsed();
		}
		return used;
	}

	private static AtprotoClient client(String url, String handle, ClientHttpRequestFactory factory) {
		AtprotoClient client = AtprotoClient.builder()
			.service(url)
			.restClientBuilder(RestClient.builder().requestFactory(factory))
			.credentials(handle, PASSWORD)
			.build();
		client.ensureSession();
		return client;
	}

	private static Map<String, Object> like() {
		Map<String, Object> subject = Map.of("uri", "at://did:plc:bench/app.bsky.feed.post/3k", "cid",
				"bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a");
		return Map.of("$type", "app.bsky.feed.like", "subject", subject, "createdAt", "2026-11-30T00:00:00.000Z");
	}

	/**
	 * Runs {@code measure} for every transport in every round, the order rotated each
	 * round.
	 */
	private static Map<Transport, List<Load>> alternate(Map<Transport, AtprotoClient> clients, int rounds,
			java.util.function.Function<AtprotoClient, Load> measure) {
		List<Entry<Transport, AtprotoClient>> entries = new ArrayList<>(clients.entrySet());
		Map<Transport, List<Load>> loads = new LinkedHashMap<>();
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < entries.size(); i++) {
				Entry<Transport, AtprotoClient> entry = entries.get((i + round) % entries.size());
				loads.computeIfAbsent(entry.getKey(), (key) -> new ArrayList<>()).add(measure.apply(entry.getValue()));
			}
		}
		return loads;
	}

}
