package io.github.atprotospring.e2e.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs the same call many times on a few threads: the reference PDS spends at least 350
 * ms on every login, so tests that need dozens of them send them together.
 */
public final class Parallel {

	private Parallel() {
	}

	/**
	 * Runs a call {@code count} times, ten at a time.
	 * @param <T> the result type
	 * @param count how many times
	 * @param call the call
	 * @return the results, in submission order
	 */
	public static <T> List<T> run(int count, Callable<T> call) {
		ExecutorService executor = Executors.newFixedThreadPool(10);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				futures.add(executor.submit(call));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
