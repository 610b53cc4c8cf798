package io.github.atprotospring.benchmarks;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.atprotospring.test.PdsDouble;

/**
 * The benchmark harness: runs the benchmarks named on the command line against the
 * in-process {@link PdsDouble} on loopback and prints their figures as Markdown tables.
 * Every request loop is bounded in count and in time ({@code --time-limit}, seconds per
 * benchmark).
 * <p>
 * Usage:
 * {@code Benchmarks [latency] [storm] [cluster] [restarts] [overhead] [accounts] [all] [--scale=F] [--name=value...]};
 * see BENCHMARKS.md at the root of the repository.
 */
public final class Benchmarks {

	static final String HANDLE = "bench.test";

	static final String EMAIL = "bench@example.com";

	static final String PASSWORD = "bench-app-password";

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	/**
	 * How far a forced expiry moves the clocks: past the 2-hour access token, and past
	 * its refresh margin.
	 */
	static final Duration PAST_EXPIRY = Duration.ofHours(2).plusMinutes(1);

	private static final Set<String> OPTIONS = Set.of("scale", "time-limit", "latency.calls", "latency.nagle-calls",
			"storm.threads", "storm.calls", "storm.expiries", "storm.virtual", "cluster.nodes", "cluster.threads",
			"cluster.calls", "cluster.phases", "cluster.coordination", "restarts.count", "overhead.warmup",
			"overhead.batches", "overhead.batch-calls", "overhead.transport", "transports.target", "transports.list",
			"transports.warmup", "transports.calls", "transports.posts", "transports.rounds",
			"transports.sequential-rounds", "transports.concurrent-calls", "transports.callers",
			"transports.reuse-calls", "versus.warmup", "versus.calls", "versus.rounds", "versus.callers",
			"versus.caller-calls", "versus.concurrent-rounds", "versus.concurrent-warmup", "versus.clients",
			"accounts.count", "accounts.threads", "accounts.calls", "accounts.expiries", "accounts.max-resident",
			"accounts.keep-alive-per-minute", "accounts.keep-alive-instances");

	private Benchmarks() {
	}

	static Map<String, Benchmark> all() {
		Map<String, Benchmark> all = new LinkedHashMap<>();
		for (Benchmark benchmark : List.of(new LatencyBenchmark(), new RefreshStormBenchmark(),
				new ClusterRefreshBenchmark(), new RestartBenchmark(), new OverheadBenchmark(),
				new TransportBenchmark(), new SideBySideBenchmark(), new AccountsBenchmark())) {
			all.put(benchmark.name(), benchmark);
		}
		return all;
	}

	/**
	 * Runs the benchmarks.
	 * @param args benchmark names and options
	 */
	public static void main(String[] args) {
		PrintStream out = System.out;
		Map<String, Benchmark> all = all();
		Options options;
		List<Benchmark> chosen = new ArrayList<>();
		try {
			List<String> split = new ArrayList<>();
			for (String arg : args) {
				split.addAll(List.of(arg.strip().split("\\s+")));
			}
			if (split.contains("help") || split.contains("--help") || split.contains("-h")) {
				usage(out, all);
				System.exit(0);
				return;
			}
			options = Options.parse(split.toArray(String[]::new), OPTIONS);
			options.scale();
			for (String name : options.names()) {
				if (name.equals("all") || name.equals("true")) {
					// versus needs Node.js and the npm registry (for its first install):
					// by
					// name only.
					all.values()
						.stream()
						.filter((benchmark) -> !benchmark.name().equals("versus"))
						.forEach(chosen::add);
				}
				else if (all.containsKey(name)) {
					chosen.add(all.get(name));
				}
				else {
					throw new IllegalArgumentException("Unknown benchmark '" + name + "'");
				}
			}
			if (chosen.isEmpty()) {
				throw new IllegalArgumentException("Name at least one benchmark");
			}
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			usage(System.err, all);
			System.exit(2);
			return;
		}
		header(out, args, options);
		int failed = 0;
		for (Benchmark benchmark : chosen.stream().distinct().toList()) {
			out.println("## " + benchmark.name() + ": " + benchmark.summary());
			out.println();
			long start = System.nanoTime();
			try {
				benchmark.run(options, out);
			}
			catch (Exception | Error ex) {
				failed++;
				out.println("FAILED: " + ex);
				ex.printStackTrace(System.err);
			}
			out.println("(" + benchmark.name() + " took " + Stats.seconds(System.nanoTime() - start) + ")");
			out.println();
			out.flush();
			System.gc();
		}
		System.exit((failed == 0) ? 0 : 1);
	}

	private static void header(PrintStream out, String[] args, Options options) {
		try {
			// Loading the double sets the JDK server's TCP_NODELAY switch, unless it was
			// given.
			Class.forName(PdsDouble.class.getName());
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
		Runtime runtime = Runtime.getRuntime();
		out.println("# atproto-spring-boot benchmarks");
		out.println();
		out.println("- date: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		out.println("- machine: " + runtime.availableProcessors() + " cores, " + System.getProperty("os.name") + " "
				+ System.getProperty("os.arch") + ", max heap " + (runtime.maxMemory() >> 20) + " MiB");
		out.println("- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		out.println("- arguments: " + String.join(" ", args) + " (scale " + options.scale() + ", time limit "
				+ options.timeLimit().toSeconds() + " s per benchmark)");
		out.println("- sun.net.httpserver.nodelay: " + System.getProperty("sun.net.httpserver.nodelay"));
		out.println();
		out.flush();
	}

	private static void usage(PrintStream err, Map<String, Benchmark> all) {
		err.println("Usage: Benchmarks NAME... [--scale=F] [--time-limit=SECONDS] [--<benchmark>.<option>=N...]");
		err.println("Benchmarks (or 'all'):");
		all.values().forEach((benchmark) -> err.println("  " + benchmark.name() + ": " + benchmark.summary()));
		err.println("Options: " + String.join(", ", OPTIONS.stream().sorted().toList()));
		err.println("See BENCHMARKS.md.");
	}

}
