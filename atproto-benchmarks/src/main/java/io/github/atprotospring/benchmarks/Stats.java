package io.github.atprotospring.benchmarks;

import java.util.Arrays;

/**
 * Percentiles of recorded durations (nanoseconds), from a sorted copy: exact, no
 * histogram.
 *
 * @param count how many values
 * @param mean the mean
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the largest
 */
record Stats(int count, double mean, long p50, long p90, long p99, long max) {

	static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0);

	static Stats of(long[] nanos, int count) {
		if (count == 0) {
			return EMPTY;
		}
		long[] sorted = Arrays.copyOf(nanos, count);
		Arrays.sort(sorted);
		double sum = 0;
		for (long value : sorted) {
			sum += value;
		}
		return new Stats(count, sum / count, percentile(sorted, 0.50), percentile(sorted, 0.90),
				percentile(sorted, 0.99), sorted[count - 1]);
	}

	/** The nearest-rank percentile of sorted values. */
	static long percentile(long[] sorted, double quantile) {
		int rank = (int) Math.ceil(quantile * sorted.length);
		return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
	}

	/** Nanoseconds as milliseconds with three decimals, e.g. {@code 0.412 ms}. */
	static String ms(double nanos) {
		return String.format("%.3f ms", nanos / 1e6);
	}

	/** Nanoseconds as seconds with one decimal. */
	static String seconds(long nanos) {
		return String.format("%.1f s", nanos / 1e9);
	}

}
