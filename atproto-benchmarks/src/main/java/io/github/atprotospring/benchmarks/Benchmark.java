package io.github.atprotospring.benchmarks;

import java.io.PrintStream;

/**
 * One benchmark of the harness: it prints its figures, as tables, and stops by itself.
 */
interface Benchmark {

	/** The name it is chosen by on the command line. */
	String name();

	/** One line on what it measures. */
	String summary();

	/**
	 * Runs it and prints its figures.
	 * @param options the harness's options
	 * @param out where to print
	 * @throws Exception if it could not run to the end
	 */
	void run(Options options, PrintStream out) throws Exception;

}
