package io.github.atprotospring.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.AtprotoSessionKeepAlive;
import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.autoconfigure.jpa.JdbcSessionKeepAliveClaims;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Many accounts in one application with the starter, on H2 in a file and the double with
 * a {@link MutableClock} shared with the application:
 * <ol>
 * <li><b>resume</b>: every account is logged in once through the {@link AtprotoClients}
 * registry; then a restarted application loads each one from the store (no network call
 * while its access token is valid). Timed, with the heap each resident client costs.</li>
 * <li><b>storm</b>: many threads call across all accounts through several forced
 * expiries, with the registry's default bound on resident clients (so clients leave
 * memory and come back from the store); each account should cost one
 * {@code refreshSession} per expiry, and no call should fail.</li>
 * <li><b>keep-alive</b>: the clock is moved until every refresh token nears its end, and
 * the keep-alive tasks of several instances on the one database are run on simulated time
 * (one run per interval); each account should be refreshed once, and no instance should
 * make more than its rate in any minute.</li>
 * </ol>
 */
final class AccountsBenchmark implements Benchmark {

	private static final String PASSWORD = "bench-app-password";

	@Override
	public String name() {
		return "accounts";
	}

	@Override
	public String summary() {
		return "many accounts: resumed at start without calls, a storm across accounts through expiries, idle ones kept alive";
	}

	@Override
	public void run(Options options, PrintStream out) throws Exception {
		int accounts = options.count("accounts.count", 10_000, 10);
		int threads = Math.max(1, options.integer("accounts.threads", 64));
		int callsPerAccount = Math.max(1, options.integer("accounts.calls", 2));
		int expiries = options.integer("accounts.expiries", 3);
		int maxResident = Math.max(1, options.integer("accounts.max-resident", AtprotoClients.DEFAULT_MAX_RESIDENT));
		int perMinute = Math.max(1, options.integer("accounts.keep-alive-per-minute", 30));
		int instances = Math.max(1, options.integer("accounts.keep-alive-instances", 2));
		long deadline = System.nanoTime() + options.timeLimit().toNanos();
		Path directory = Files.createTempDirectory("atproto-bench-accounts-");
		MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		try (PdsDouble pds = PdsDouble.builder().clock(clock).start()) {
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("sessions").toAbsolutePath());
			properties.put("atproto.service", pds.url());
			// The benchmark runs the keep-alive itself, on simulated time.
			properties.put("atproto.keep-alive.enabled", "false");

			long started = System.nanoTime();
			List<String> dids = new ArrayList<>(accounts);
			for (int i = 0; i < accounts; i++) {
				dids.add(pds.createAccount(handle(i), "acct" + i + "@example.com", PASSWORD).did());
			}
			long created = System.nanoTime() - started;
			long loggedIn = logIn(properties, clock, accounts, deadline);
			out.println(accounts + " accounts created at the double in " + Stats.seconds(created) + ", each logged in "
					+ "once through AtprotoClients.login in " + Stats.seconds(loggedIn)
					+ " (8 threads, no login budget)");
			out.println();

			resume(out, pds, clock, properties, dids);
			if (System.nanoTime() - deadline < 0 && expiries > 0) {
				storm(out, pds, clock, properties, dids, threads, callsPerAccount, expiries, maxResident, deadline);
			}
			if (System.nanoTime() - deadline < 0) {
				keepAlive(out, pds, clock, properties, accounts, perMinute, instances, deadline);
			}
		}
		finally {
			delete(directory);
		}
	}

	/** Logs every account in once, through the registry of one application. */
	private static long logIn(Map<String, String> properties, Clock clock, int accounts, long deadline)
			throws Exception {
		Map<String, String> setup = new LinkedHashMap<>(properties);
		// The logins are the set-up, not what is measured: no login budget to keep.
		setup.put("atproto.login-budget.enabled", "false");
		long start = System.nanoTime();
		try (ConfigurableApplicationContext application = start(setup, clock)) {
			AtprotoClients registry = application.getBean(AtprotoClients.class);
			ExecutorService pool = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> logins = new ArrayList<>();
				for (int i = 0; i < accounts; i++) {
					String handle = handle(i);
					logins.add(pool.submit(() -> registry.login(handle, PASSWORD)));
				}
				for (Future<?> login : logins) {
					login.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				}
			}
			finally {
				pool.shutdownNow();
			}
		}
		return System.nanoTime() - start;
	}

	/** A restarted application loads every account from the store. */
	private static void resume(PrintStream out, PdsDouble pds, MutableClock clock, Map<String, String> properties,
			List<String> dids) {
		Map<String, String> all = new LinkedHashMap<>(properties);
		all.put("atproto.registry.max-resident", Integer.toString(dids.size()));
		pds.resetCounters();
		long before = usedHeapAfterGc();
		EventCounter events = new EventCounter();
		long start = System.nanoTime();
		try (ConfigurableApplicationContext application = start(all, clock, events)) {
			long context = System.nanoTime() - start;
			AtprotoClients registry = application.getBean(AtprotoClients.class);
			long afterStart = usedHeapAfterGc();
			long loadStart = System.nanoTime();
			int missing = 0;
			for (String did : dids) {
				if (registry.find(did).isEmpty()) {
					missing++;
				}
			}
			long load = System.nanoTime() - loadStart;
			long afterLoad = usedHeapAfterGc();
			int resident = registry.residentCount();
			long perAccount = (afterLoad - afterStart) / Math.max(1, resident);

			out.println("### resume: " + dids.size() + " accounts loaded from the store by a restarted application");
			out.println();
			Table table = new Table("figure", "value", "target");
			table.row("accounts", dids.size(), "")
				.row("accounts found in the store", dids.size() - missing, dids.size())
				.row("resident clients afterwards", resident, dids.size())
				.row("IMPORT events", events.count(SessionEvent.IMPORT), dids.size())
				.row("network calls (all methods)", pds.totalCalls(), 0)
				.row("createSession / refreshSession calls",
						pds.callCount(Benchmarks.CREATE_SESSION) + " / " + pds.callCount(Benchmarks.REFRESH_SESSION),
						"0 / 0")
				.row("application start (context only)", Stats.ms(context), "")
				.row("all accounts loaded (one thread)", Stats.ms(load), "")
				.row("per account", String.format("%.1f us", load / 1e3 / dids.size()), "")
				.row("heap after start, before loading", mib(afterStart - before) + " above the JVM before start", "")
				.row("heap per resident account", String.format("%.1f KiB", perAccount / 1024.0), "");
			table.print(out);
		}
	}

	/**
	 * Many threads call across all accounts through forced expiries. The calls of one
	 * phase are numbered; call {@code n} goes to account {@code n / callsPerAccount}, so
	 * that the calls of one account come from different threads at about the same time.
	 */
	private static void storm(PrintStream out, PdsDouble pds, MutableClock clock, Map<String, String> properties,
			List<String> dids, int threads, int callsPerAccount, int expiries, int maxResident, long deadline)
			throws InterruptedException {
		Map<String, String> all = new LinkedHashMap<>(properties);
		all.put("atproto.registry.max-resident", Integer.toString(maxResident));
		EventCounter events = new EventCounter();
		try (ConfigurableApplicationContext application = start(all, clock, events)) {
			AtprotoClients registry = application.getBean(AtprotoClients.class);
			pds.resetCounters();
			int total = dids.size() * callsPerAccount;
			Table phases = new Table("phase", "refreshSession (double)", "target", "IMPORT (loads)", "failed calls",
					"wall", "calls/s");
			long[] latencies = new long[total * expiries];
			LongAdder failed = new LongAdder();
			Map<String, LongAdder> failures = new ConcurrentHashMap<>();
			AtomicBoolean timedOut = new AtomicBoolean();
			int done = 0;
			long wall = 0;
			for (int phase = 1; phase <= expiries && !timedOut.get(); phase++) {
				clock.advance(Benchmarks.PAST_EXPIRY);
				int refreshesBefore = pds.callCount(Benchmarks.REFRESH_SESSION);
				long importsBefore = events.count(SessionEvent.IMPORT);
				long failedBefore = failed.sum();
				AtomicLong next = new AtomicLong();
				int offset = done;
				Thread[] workers = new Thread[threads];
				long start = System.nanoTime();
				for (int t = 0; t < threads; t++) {
					workers[t] = new Thread(() -> {
						long n;
						while ((n = next.getAndIncrement()) < total) {
							if ((n & 255) == 0 && System.nanoTime() - deadline > 0) {
								timedOut.set(true);
								return;
							}
							long callStart = System.nanoTime();
							try {
								registry.get(dids.get((int) (n / callsPerAccount))).getSession();
							}
							catch (RuntimeException ex) {
								failed.increment();
								failures
									.computeIfAbsent(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
											(key) -> new LongAdder())
									.increment();
							}
							latencies[offset + (int) n] = System.nanoTime() - callStart;
						}
					}, "accounts-" + t);
					workers[t].start();
				}
				for (Thread worker : workers) {
					worker.join();
				}
				long elapsed = System.nanoTime() - start;
				wall += elapsed;
				int completed = (int) Math.min(total, next.get());
				done += completed;
				phases.row(phase, pds.callCount(Benchmarks.REFRESH_SESSION) - refreshesBefore, dids.size(),
						events.count(SessionEvent.IMPORT) - importsBefore, failed.sum() - failedBefore,
						Stats.seconds(elapsed), String.format("%.0f", completed / (elapsed / 1e9)));
			}
			Stats stats = Stats.of(compact(latencies, done), done);
			int phasesRun = (int) Math.ceil((double) done / total);
			int gets = pds.callCount(Benchmarks.GET_SESSION);

			out.println("### storm: " + threads + " threads calling across " + dids.size() + " accounts through "
					+ expiries + " expiries (at most " + maxResident + " clients resident)");
			out.println();
			Table table = new Table("figure", "value", "target");
			table.row("accounts x calls per account per phase", dids.size() + " x " + callsPerAccount, "")
				.row("threads", threads, "")
				.row("forced expiries (clock +2 h 1 min)", phasesRun, expiries)
				.row("refreshSession calls seen by the double", pds.callCount(Benchmarks.REFRESH_SESSION),
						dids.size() * phasesRun)
				.row("REFRESH events", events.count(SessionEvent.REFRESH), dids.size() * phasesRun)
				.row("createSession calls", pds.callCount(Benchmarks.CREATE_SESSION), 0)
				.row("calls completed", done, (long) total * expiries)
				.row("failed calls", failed.sum(), 0)
				.row("getSession requests seen by the double", gets, done + " + retries")
				.row("calls retried after 400 ExpiredToken", gets - done, "")
				.row("clients loaded from the store (IMPORT)", events.count(SessionEvent.IMPORT), "")
				.row("call latency p50 / p99", Stats.ms(stats.p50()) + " / " + Stats.ms(stats.p99()), "")
				.row("call latency max", Stats.ms(stats.max()), "")
				.row("wall time of the phases", Stats.seconds(wall), "");
			table.print(out);
			phases.print(out);
			if (timedOut.get()) {
				out.println("STOPPED at the time limit: the figures are for the calls completed until then.");
			}
			failures.forEach((failure, n) -> out.println("failure x" + n.sum() + ": " + failure));
		}
	}

	/**
	 * The keep-alive tasks of several instances over every account, on simulated time:
	 * each step runs every instance's task once and moves the clock by one interval.
	 */
	private static void keepAlive(PrintStream out, PdsDouble pds, MutableClock clock, Map<String, String> properties,
			int accounts, int perMinute, int instances, long deadline) {
		// Every refresh token is now within 7 days of its end (they live 90).
		clock.advance(Duration.ofDays(84));
		List<ConfigurableApplicationContext> applications = new ArrayList<>();
		List<AtprotoSessionKeepAlive> tasks = new ArrayList<>();
		List<List<Instant>> refreshedAt = new ArrayList<>();
		Set<String> refreshedDids = Collections.synchronizedSet(new HashSet<>());
		try {
			for (int i = 0; i < instances; i++) {
				List<Instant> times = Collections.synchronizedList(new ArrayList<>());
				refreshedAt.add(times);
				ApplicationListener<SessionChangedEvent> recorder = (event) -> {
					if (event.getType() == SessionEvent.REFRESH) {
						times.add(clock.instant());
						refreshedDids.add(event.getSession().did());
					}
				};
				ConfigurableApplicationContext application = start(properties, clock, recorder);
				applications.add(application);
				tasks.add(new AtprotoSessionKeepAlive(application.getBean(AtprotoClients.class), List.of(),
						application.getBean(SessionStore.class),
						new JdbcSessionKeepAliveClaims(application.getBean(DataSource.class), 5), clock,
						Duration.ofDays(7), Duration.ofMinutes(10), perMinute));
			}
			pds.resetCounters();
			Duration interval = tasks.get(0).interval();
			Instant simulatedStart = clock.instant();
			long start = System.nanoTime();
			long idleSteps = 0;
			long steps = 0;
			// Stop once every account is refreshed, or after nothing happened for a whole
			// period and a minute (a new reading of the store found nothing due).
			long idleLimit = Duration.ofMinutes(11).toMillis() / interval.toMillis() + 1;
			boolean timedOut = false;
			while (refreshedDids.size() < accounts && idleSteps < idleLimit) {
				if (System.nanoTime() - deadline > 0) {
					timedOut = true;
					break;
				}
				boolean any = false;
				for (AtprotoSessionKeepAlive task : tasks) {
					any |= task.runOnce();
				}
				idleSteps = any ? 0 : idleSteps + 1;
				steps++;
				clock.advance(interval);
			}
			long wall = System.nanoTime() - start;
			Duration simulated = Duration.between(simulatedStart, clock.instant());
			List<Instant> combined = new ArrayList<>();
			refreshedAt.forEach(combined::addAll);
			int refreshes = pds.callCount(Benchmarks.REFRESH_SESSION);

			out.println("### keep-alive: " + instances + " instances on one database keep " + accounts
					+ " idle accounts alive, at most " + perMinute + " refreshes a minute each");
			out.println();
			Table table = new Table("figure", "value", "target");
			table.row("accounts due (refresh token within 7 days of its end)", accounts, "")
				.row("accounts refreshed", refreshedDids.size(), accounts)
				.row("refreshSession calls seen by the double", refreshes, accounts)
				.row("refreshes of an account already refreshed", refreshes - refreshedDids.size(), 0)
				.row("createSession calls", pds.callCount(Benchmarks.CREATE_SESSION), 0)
				.row("largest number of refreshes in any one minute, all instances", maxInAnyMinute(combined),
						"<= " + perMinute * instances)
				.row("largest number in any one minute, per instance", perInstance(refreshedAt), "<= " + perMinute)
				.row("refreshes per instance", refreshedAt.stream().map(List::size).toList(), "")
				.row("runs per instance (one per " + interval.toMillis() + " ms of simulated time)", steps, "")
				.row("simulated time to refresh all", simulated.toMinutes() + " min", "")
				.row("wall time", Stats.seconds(wall), "");
			table.print(out);
			if (timedOut) {
				out.println("STOPPED at the time limit: the figures are for the refreshes made until then.");
			}
		}
		finally {
			applications.forEach(ConfigurableApplicationContext::close);
		}
	}

	/** The largest number of instants in any window of one minute. */
	static int maxInAnyMinute(List<Instant> instants) {
		List<Instant> sorted = new ArrayList<>(instants);
		sorted.sort(Comparator.naturalOrder());
		int best = 0;
		int first = 0;
		for (int last = 0; last < sorted.size(); last++) {
			while (!sorted.get(first).isAfter(sorted.get(last).minus(Duration.ofMinutes(1)))) {
				first++;
			}
			best = Math.max(best, last - first + 1);
		}
		return best;
	}

	private static String perInstance(List<List<Instant>> refreshedAt) {
		return refreshedAt.stream().map((times) -> Integer.toString(maxInAnyMinute(times))).toList().toString();
	}

	private static ConfigurableApplicationContext start(Map<String, String> properties, Clock clock,
			ApplicationListener<?>... listeners) {
		List<String> args = new ArrayList<>();
		args.add("--spring.main.banner-mode=off");
		args.add("--spring.main.log-startup-info=false");
		args.add("--spring.jpa.hibernate.ddl-auto=validate");
		args.add("--spring.jpa.open-in-view=false");
		args.add("--spring.http.clients.connect-timeout=" + Http.TIMEOUT.toSeconds() + "s");
		args.add("--spring.http.clients.read-timeout=" + Http.TIMEOUT.toSeconds() + "s");
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		ApplicationContextInitializer<GenericApplicationContext> clockBean = (context) -> context
			.registerBean("benchmarkClock", Clock.class, () -> clock);
		return new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.listeners(listeners)
			.initializers(clockBean)
			.run(args.toArray(String[]::new));
	}

	private static String handle(int i) {
		return "acct" + i + ".test";
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static String mib(long bytes) {
		return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
	}

	private static long[] compact(long[] values, int count) {
		return (values.length == count) ? values : java.util.Arrays.copyOf(values, count);
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
