package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.MutableClock;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * One instance of the cluster benchmark, in a JVM of its own: an application with the
 * starter on the shared PostgreSQL, whose {@link MutableClock} (its {@code Clock} bean)
 * the parent sets at each phase.
 * <p>
 * Started with
 * {@code --node --clock --jdbc-url --db-user --db-password --service --handle --password
 * --threads --calls --phase-seconds}, and {@code --coordination=off} to refresh without
 * the database's coordination. Answers {@code READY} once started; then, for each
 * {@code PHASE <n> <instant>} read from standard input, sets its clock to the instant,
 * makes {@code threads x calls} {@code getSession()} calls at once and answers
 * {@code DONE} with its counts. Ends on {@code EXIT} or at the end of its input.
 */
public final class ClusterNode {

	private ClusterNode() {
	}

	/**
	 * Runs the instance.
	 * @param args its options
	 * @throws IOException if standard input fails
	 */
	public static void main(String[] args) throws IOException {
		Options options = Options.parse(args, null);
		MutableClock clock = MutableClock.at(Instant.parse(options.required("clock")));
		int threads = options.integer("threads", 8);
		int calls = options.integer("calls", 1000);
		long phaseNanos = options.integer("phase-seconds", 300) * 1_000_000_000L;
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", options.required("jdbc-url"));
		properties.put("spring.datasource.username", options.required("db-user"));
		properties.put("spring.datasource.password", options.required("db-password"));
		properties.put("spring.application.name", "cluster-node-" + options.required("node"));
		properties.put("atproto.service", options.required("service"));
		properties.put("atproto.handle", options.required("handle"));
		properties.put("atproto.password", options.required("password"));
		boolean coordinated = !options.string("coordination", "on").equals("off");
		EventCounter events = new EventCounter();
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = BenchApplication.start(properties, clock, events, coordinated)) {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			Map<String, Object> ready = counts(events);
			ready.put("startMs", (System.nanoTime() - start) / 1_000_000);
			ChildJvm.answer("READY", ready);
			BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			String line;
			while ((line = input.readLine()) != null && !line.equals("EXIT")) {
				String[] command = line.split(" ");
				if (command.length != 3 || !command[0].equals("PHASE")) {
					throw new IllegalArgumentException("Unknown command: " + line);
				}
				clock.set(Instant.parse(command[2]));
				Map<String, Object> done = phase(client, events, threads, calls, phaseNanos);
				done.put("phase", command[1]);
				ChildJvm.answer("DONE", done);
			}
		}
		ChildJvm.answer("BYE", Map.of());
		System.exit(0);
	}

	private static Map<String, Object> phase(AtprotoClient client, EventCounter events, int threads, int calls,
			long limitNanos) {
		Map<String, Object> before = counts(events);
		long deadline = System.nanoTime() + limitNanos;
		long[][] nanos = new long[threads][calls];
		int[] done = new int[threads];
		LongAdder failed = new LongAdder();
		AtomicReference<String> firstFailure = new AtomicReference<>();
		CountDownLatch go = new CountDownLatch(1);
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			int worker = t;
			workers[t] = new Thread(() -> {
				try {
					go.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				for (int i = 0; i < calls && System.nanoTime() - deadline < 0; i++) {
					long started = System.nanoTime();
					try {
						client.getSession();
					}
					catch (RuntimeException ex) {
						failed.increment();
						firstFailure.compareAndSet(null, ex.getClass().getSimpleName());
					}
					nanos[worker][i] = System.nanoTime() - started;
					done[worker] = i + 1;
				}
			}, "node-" + t);
			workers[t].start();
		}
		long start = System.nanoTime();
		go.countDown();
		for (Thread worker : workers) {
			try {
				worker.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		long wall = System.nanoTime() - start;
		int count = 0;
		for (int n : done) {
			count += n;
		}
		long[] all = new long[count];
		int at = 0;
		for (int t = 0; t < threads; t++) {
			System.arraycopy(nanos[t], 0, all, at, done[t]);
			at += done[t];
		}
		Stats stats = Stats.of(all, count);
		Map<String, Object> after = counts(events);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("calls", count);
		result.put("failed", failed.sum());
		after.forEach((type, n) -> result.put(type, (long) n - (long) before.get(type)));
		result.put("p50", stats.p50());
		result.put("p99", stats.p99());
		result.put("wallMs", wall / 1_000_000);
		result.put("failure", (firstFailure.get() != null) ? firstFailure.get() : "-");
		return result;
	}

	private static Map<String, Object> counts(EventCounter events) {
		Map<String, Object> counts = new LinkedHashMap<>();
		for (SessionEvent type : SessionEvent.values()) {
			counts.put(type.name(), events.count(type));
		}
		return counts;
	}

}
