package io.github.atprotospring.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls made by a number of threads at once, each a fixed number of calls one after the
 * other, every call timed. Threads start together and the wall time runs from the start
 * signal to the last call's end.
 *
 * @param nanos the time of every completed call (failed calls included), in no order
 * @param count how many entries of {@code nanos} are filled
 * @param wallNanos from the start signal to the end of the last call
 * @param failed how many calls threw
 * @param firstFailure the first failure's message, or {@code null}
 */
record Load(long[] nanos, int count, long wallNanos, int failed, String firstFailure) {

	/** One call of a load. */
	@FunctionalInterface
	interface Call {

		void run() throws Exception;

	}

	/** Calls per second over the wall time. */
	double callsPerSecond() {
		return (this.wallNanos > 0) ? this.count * 1e9 / this.wallNanos : 0;
	}

	/**
	 * Runs a load and waits for it, at most {@code timeoutSeconds}.
	 * @param callers threads at once
	 * @param callsEach calls per thread
	 * @param call the call
	 * @param timeoutSeconds how long the load may take in all
	 * @return what was measured
	 */
	static Load run(int callers, int callsEach, Call call, long timeoutSeconds) {
		long[][] perThread = new long[callers][callsEach];
		int[] done = new int[callers];
		AtomicInteger failed = new AtomicInteger();
		AtomicReference<String> firstFailure = new AtomicReference<>();
		CountDownLatch ready = new CountDownLatch(callers);
		CountDownLatch go = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(callers);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < callers; t++) {
			int index = t;
			Thread thread = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
					for (int i = 0; i < callsEach && System.nanoTime() - deadline < 0; i++) {
						long start = System.nanoTime();
						try {
							call.run();
						}
						catch (Exception ex) {
							failed.incrementAndGet();
							firstFailure.compareAndSet(null, ex.toString());
						}
						perThread[index][i] = System.nanoTime() - start;
						done[index] = i + 1;
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					finished.countDown();
				}
			}, "load-" + t);
			thread.setDaemon(true);
			threads.add(thread);
			thread.start();
		}
		try {
			ready.await();
			long start = System.nanoTime();
			go.countDown();
			if (!finished.await(timeoutSeconds + 30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("A load of " + callers + " callers did not end in time");
			}
			long wall = System.nanoTime() - start;
			int count = 0;
			for (int d : done) {
				count += d;
			}
			long[] all = new long[count];
			int at = 0;
			for (int t = 0; t < callers; t++) {
				System.arraycopy(perThread[t], 0, all, at, done[t]);
				at += done[t];
			}
			return new Load(all, count, wall, failed.get(), firstFailure.get());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Merges loads of the same kind (rounds of one client). */
	static Load merge(List<Load> loads) {
		int count = loads.stream().mapToInt(Load::count).sum();
		long[] all = new long[count];
		int at = 0;
		long wall = 0;
		int failed = 0;
		String first = null;
		for (Load load : loads) {
			System.arraycopy(load.nanos, 0, all, at, load.count);
			at += load.count;
			wall += load.wallNanos;
			failed += load.failed;
			first = (first != null) ? first : load.firstFailure;
		}
		return new Load(all, count, wall, failed, first);
	}

	Stats stats() {
		return Stats.of(this.nanos, this.count);
	}

}
