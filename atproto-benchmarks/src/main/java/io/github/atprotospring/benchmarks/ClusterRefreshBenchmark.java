package io.github.atprotospring.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;

/**
 * The refresh storm across JVMs: several instances of an application with the starter
 * ({@link ClusterNode}), each in a JVM of its own, share one PostgreSQL and one account
 * at the double, which runs here with the parent's {@link MutableClock}. The first
 * instance starts alone (it logs in and stores the session), the others then start and
 * resume it. In each phase the parent moves the double's clock past the access token's
 * expiry, tells every instance the new time, and all instances make their calls at once;
 * then each reports its counts. With refreshes coordinated through the database, each
 * expiry costs one {@code refreshSession} in the whole cluster.
 */
final class ClusterRefreshBenchmark implements Benchmark {

	@Override
	public String name() {
		return "cluster";
	}

	@Override
	public String summary() {
		return "refresh storm across JVMs sharing one PostgreSQL: refreshes per expiry in the whole cluster";
	}

	@Override
	public void run(Options options, PrintStream out) throws IOException {
		int nodes = Math.max(1, options.integer("cluster.nodes", 3));
		int threads = Math.max(1, options.integer("cluster.threads", 8));
		int calls = options.count("cluster.calls", 2_000, 10);
		int phases = options.integer("cluster.phases", 5);
		String coordination = options.string("cluster.coordination", "on");
		if (!coordination.equals("on") && !coordination.equals("off")) {
			throw new IllegalArgumentException("--cluster.coordination must be on or off, but was " + coordination);
		}
		long deadline = System.nanoTime() + options.timeLimit().toNanos();
		Path logs = Files.createTempDirectory("atproto-bench-cluster-");
		MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		List<ChildJvm> children = new ArrayList<>();
		long started = System.nanoTime();
		try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
				PdsDouble pds = PdsDouble.builder().clock(clock).start()) {
			String jdbcUrl = postgres.createDatabase("atproto_cluster");
			pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, Benchmarks.PASSWORD);
			out.println("PostgreSQL and the double up in " + Stats.seconds(System.nanoTime() - started)
					+ "; instance logs in " + logs);
			out.println();
			List<Map<String, String>> ready = new ArrayList<>();
			for (int n = 1; n <= nodes; n++) {
				children.add(ChildJvm.start("node-" + n, ClusterNode.class, List.of("-Xms256m", "-Xmx1g"),
						List.of("--node=" + n, "--clock=" + clock.instant(), "--jdbc-url=" + jdbcUrl,
								"--db-user=" + postgres.username(), "--db-password=" + postgres.password(),
								"--service=" + pds.url(), "--handle=" + Benchmarks.HANDLE,
								"--password=" + Benchmarks.PASSWORD, "--threads=" + threads, "--calls=" + calls,
								"--phase-seconds=" + Math.max(10, remaining(deadline).toSeconds()),
								"--coordination=" + coordination),
						logs.resolve("node-" + n + ".log")));
				if (n == 1) {
					// The first instance logs in and stores the session before the others
					// start.
					ready.add(children.get(0).expect("READY", Duration.ofMinutes(3)));
				}
			}
			for (int n = 1; n < nodes; n++) {
				ready.add(children.get(n).expect("READY", Duration.ofMinutes(3)));
			}
			int createAtStart = pds.callCount(Benchmarks.CREATE_SESSION);
			int refreshAtStart = pds.callCount(Benchmarks.REFRESH_SESSION);

			List<List<Map<String, String>>> results = new ArrayList<>();
			List<Integer> phaseRefreshes = new ArrayList<>();
			List<Long> phaseWall = new ArrayList<>();
			long phasesStart = System.nanoTime();
			for (int phase = 1; phase <= phases && remaining(deadline).toSeconds() > 0; phase++) {
				clock.advance(Benchmarks.PAST_EXPIRY);
				int refreshBefore = pds.callCount(Benchmarks.REFRESH_SESSION);
				long phaseStart = System.nanoTime();
				for (ChildJvm child : children) {
					child.send("PHASE " + phase + " " + clock.instant());
				}
				List<Map<String, String>> done = new ArrayList<>();
				for (ChildJvm child : children) {
					done.add(child.expect("DONE", remaining(deadline).plusSeconds(60)));
				}
				phaseWall.add(System.nanoTime() - phaseStart);
				phaseRefreshes.add(pds.callCount(Benchmarks.REFRESH_SESSION) - refreshBefore);
				results.add(done);
			}
			long phasesWall = System.nanoTime() - phasesStart;
			for (ChildJvm child : children) {
				child.send("EXIT");
			}
			for (ChildJvm child : children) {
				child.expect("BYE", Duration.ofMinutes(1));
			}
			print(out, nodes, threads, calls, phases, coordination, pds, createAtStart, refreshAtStart, ready, results,
					phaseRefreshes, phaseWall, phasesWall);
		}
		finally {
			for (ChildJvm child : children) {
				child.close();
			}
		}
		delete(logs);
	}

	private static void print(PrintStream out, int nodes, int threads, int calls, int phases, String coordination,
			PdsDouble pds, int createAtStart, int refreshAtStart, List<Map<String, String>> ready,
			List<List<Map<String, String>>> results, List<Integer> phaseRefreshes, List<Long> phaseWall,
			long phasesWall) {
		long totalCalls = 0;
		long totalFailed = 0;
		for (List<Map<String, String>> phase : results) {
			for (Map<String, String> node : phase) {
				totalCalls += number(node, "calls");
				totalFailed += number(node, "failed");
			}
		}
		int refreshes = pds.callCount(Benchmarks.REFRESH_SESSION) - refreshAtStart;
		Table summary = new Table("figure", "value", "target");
		summary.row("JVMs x threads x calls per phase", nodes + " x " + threads + " x " + calls, "")
			.row("refreshes coordinated through the database",
					coordination.equals("on") ? "yes" : "no (SessionCoordinator.local() as a primary bean)", "")
			.row("phases (clock +2 h 1 min each)", results.size(), phases)
			.row("refreshSession calls in total", refreshes,
					coordination.equals("on") ? results.size() : results.size() + " (coordinated)")
			.row("createSession calls", pds.callCount(Benchmarks.CREATE_SESSION), 1)
			.row("of which while the instances started", createAtStart, 1)
			.row("refreshSession calls while the instances started", refreshAtStart, 0)
			.row("calls completed", totalCalls, (long) nodes * threads * calls * phases)
			.row("failed calls", totalFailed, 0)
			.row("getSession requests seen by the double", pds.callCount(Benchmarks.GET_SESSION),
					totalCalls + " + retries")
			.row("wall time of the phases", Stats.seconds(phasesWall), "");
		summary.print(out);

		List<String> header = new ArrayList<>(List.of("phase", "refreshSession (double)"));
		for (int n = 1; n <= nodes; n++) {
			header.add("node-" + n + " REFRESH / IMPORT / failed");
		}
		header.add("wall");
		Table perPhase = new Table(header.toArray(String[]::new));
		for (int p = 0; p < results.size(); p++) {
			List<Object> row = new ArrayList<>(List.of(p + 1, phaseRefreshes.get(p)));
			for (Map<String, String> node : results.get(p)) {
				row.add(number(node, SessionEvent.REFRESH.name()) + " / " + number(node, SessionEvent.IMPORT.name())
						+ " / " + number(node, "failed"));
			}
			row.add(Stats.seconds(phaseWall.get(p)));
			perPhase.row(row.toArray());
		}
		perPhase.print(out);

		Table perJvm = new Table("JVM", "at start", "calls", "failed", "REFRESH", "IMPORT", "CREATE",
				"p50 (worst phase)", "p99 (worst phase)", "first failure");
		for (int n = 0; n < nodes; n++) {
			long nodeCalls = 0;
			long failed = 0;
			long refresh = 0;
			long imported = 0;
			long created = 0;
			long p50 = 0;
			long p99 = 0;
			String failure = "-";
			for (List<Map<String, String>> phase : results) {
				Map<String, String> node = phase.get(n);
				nodeCalls += number(node, "calls");
				failed += number(node, "failed");
				refresh += number(node, SessionEvent.REFRESH.name());
				imported += number(node, SessionEvent.IMPORT.name());
				created += number(node, SessionEvent.CREATE.name());
				p50 = Math.max(p50, number(node, "p50"));
				p99 = Math.max(p99, number(node, "p99"));
				if (failure.equals("-")) {
					failure = node.getOrDefault("failure", "-");
				}
			}
			Map<String, String> start = ready.get(n);
			String atStart = "CREATE " + start.get("CREATE") + ", IMPORT " + start.get("IMPORT") + ", REFRESH "
					+ start.get("REFRESH") + ", " + start.get("startMs") + " ms";
			perJvm.row("node-" + (n + 1), atStart, nodeCalls, failed, refresh, imported, created, Stats.ms(p50),
					Stats.ms(p99), failure);
		}
		perJvm.print(out);
	}

	private static long number(Map<String, String> fields, String key) {
		String value = fields.get(key);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	private static Duration remaining(long deadline) {
		return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
	}

	private static void delete(Path directory) throws IOException {
		try (var files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(directory);
	}

}
