package io.github.atprotospring.benchmarks;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.VirtualThreads;

/**
 * Many threads calling through one {@link AtprotoClient} while its access token expires
 * again and again: the double and the client share one {@link MutableClock}, which is
 * moved past the token's expiry by the thread that completes the call numbered
 * {@code k * total / (expiries + 1)}, for {@code k = 1..expiries}. Each expiry should
 * cost exactly one {@code refreshSession}, and no call should fail.
 */
final class RefreshStormBenchmark implements Benchmark {

	@Override
	public String name() {
		return "storm";
	}

	@Override
	public String summary() {
		return "refresh storm in one JVM: many threads, one client, forced expiries";
	}

	@Override
	public void run(Options options, PrintStream out) throws InterruptedException {
		int threads = Math.max(1, options.integer("storm.threads", 64));
		int callsPerThread = options.count("storm.calls", 10_000, 10);
		int expiries = options.integer("storm.expiries", 5);
		// Virtual threads (Java 21 or later), with a JFR recording of any that pins its
		// carrier.
		boolean virtual = Boolean.parseBoolean(options.string("storm.virtual", "false"));
		ThreadFactory threadFactory = virtual ? VirtualThreads.factory("storm-") : Thread::new;
		VirtualThreads.PinningRecording pinning = virtual ? VirtualThreads.recordPinning() : null;
		long deadline = System.nanoTime() + options.timeLimit().toNanos();
		MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
		try (PdsDouble pds = PdsDouble.builder().clock(clock).start()) {
			pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, Benchmarks.PASSWORD);
			EventCounter events = new EventCounter();
			AtprotoClient client = AtprotoClient.builder()
				.service(pds.url())
				.restClientBuilder(Http.restClientBuilder())
				.clock(clock)
				.credentials(Benchmarks.HANDLE, Benchmarks.PASSWORD)
				.sessionChangeListener(events)
				.build();
			client.ensureSession();
			int createBefore = pds.callCount(Benchmarks.CREATE_SESSION);
			int refreshBefore = pds.callCount(Benchmarks.REFRESH_SESSION);
			int getBefore = pds.callCount(Benchmarks.GET_SESSION);
			long refreshEventsBefore = events.count(SessionEvent.REFRESH);

			long total = (long) threads * callsPerThread;
			long step = total / (expiries + 1);
			AtomicLong completed = new AtomicLong();
			AtomicInteger advances = new AtomicInteger();
			AtomicBoolean timedOut = new AtomicBoolean();
			LongAdder failed = new LongAdder();
			Map<String, LongAdder> failures = new ConcurrentHashMap<>();
			long[][] nanos = new long[threads][callsPerThread];
			int[] done = new int[threads];
			CountDownLatch go = new CountDownLatch(1);
			Thread[] workers = new Thread[threads];
			for (int t = 0; t < threads; t++) {
				int worker = t;
				workers[t] = threadFactory.newThread(() -> {
					try {
						go.await();
					}
					catch (InterruptedException ex) {
						return;
					}
					long[] mine = nanos[worker];
					for (int i = 0; i < callsPerThread; i++) {
						if ((i & 63) == 0 && System.nanoTime() - deadline > 0) {
							timedOut.set(true);
							break;
						}
						long start = System.nanoTime();
						try {
							client.getSession();
						}
						catch (RuntimeException ex) {
							failed.increment();
							failures
								.computeIfAbsent(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
										(key) -> new LongAdder())
								.increment();
						}
						mine[i] = System.nanoTime() - start;
						done[worker] = i + 1;
						long n = completed.incrementAndGet();
						if (step > 0 && n % step == 0 && n / step <= expiries) {
							clock.advance(Benchmarks.PAST_EXPIRY);
							advances.incrementAndGet();
						}
					}
				});
				workers[t].setName("storm-" + t);
				workers[t].start();
			}
			long start = System.nanoTime();
			go.countDown();
			for (Thread worker : workers) {
				worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 60_000);
			}
			long wall = System.nanoTime() - start;
			List<String> pinned = (pinning != null) ? pinning.stop() : List.of();

			int count = (int) completed.get();
			long[] all = new long[count];
			int at = 0;
			for (int t = 0; t < threads; t++) {
				int n = Math.min(done[t], count - at);
				System.arraycopy(nanos[t], 0, all, at, n);
				at += n;
			}
			Stats stats = Stats.of(all, at);
			int refreshes = pds.callCount(Benchmarks.REFRESH_SESSION) - refreshBefore;
			int creates = pds.callCount(Benchmarks.CREATE_SESSION) - createBefore;
			int gets = pds.callCount(Benchmarks.GET_SESSION) - getBefore;

			Table table = new Table("figure", "value", "target");
			table.row("threads x calls", threads + " x " + callsPerThread + (virtual ? " (virtual)" : ""), "")
				.row("forced expiries (clock +2 h 1 min)", advances.get(), expiries)
				.row("refreshSession calls seen by the double", refreshes, advances.get())
				.row("REFRESH events of the client", events.count(SessionEvent.REFRESH) - refreshEventsBefore,
						advances.get())
				.row("createSession calls during the storm", creates, 0)
				.row("calls completed", count, total)
				.row("failed calls", failed.sum(), 0)
				.row("getSession requests seen by the double", gets, count + " + retries")
				.row("calls retried after 400 ExpiredToken", gets - count, "")
				.row("call latency p50", Stats.ms(stats.p50()), "")
				.row("call latency p90", Stats.ms(stats.p90()), "")
				.row("call latency p99", Stats.ms(stats.p99()), "")
				.row("call latency max", Stats.ms(stats.max()), "")
				.row("wall time", Stats.seconds(wall), "")
				.row("throughput", String.format("%.0f calls/s", count / (wall / 1e9)), "");
			if (virtual) {
				table.row("virtual threads that pinned their carrier (JFR jdk.VirtualThreadPinned)", pinned.size(), 0);
			}
			table.print(out);
			if (timedOut.get()) {
				out.println("STOPPED at the time limit of " + options.timeLimit().toSeconds() + " s: the figures are "
						+ "for the calls completed until then.");
			}
			failures.forEach((failure, n) -> out.println("failure x" + n.sum() + ": " + failure));
			pinned.stream().limit(5).forEach((event) -> out.println("pinned: " + event));
		}
	}

}
