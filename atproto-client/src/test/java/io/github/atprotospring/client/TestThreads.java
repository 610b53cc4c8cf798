package io.github.atprotospring.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.atprotospring.test.VirtualThreads;

/**
 * The threads of the concurrency tests: platform threads, or with
 * {@code -Datproto.test.virtual-threads=true} (Java 21 or later) a virtual thread per
 * task, so that the same tests show the client's locking works on virtual threads too.
 */
final class TestThreads {

	static final boolean VIRTUAL = Boolean.getBoolean("atproto.test.virtual-threads");

	private TestThreads() {
	}

	/**
	 * An executor for at least {@code threads} tasks at once.
	 * @param threads how many tasks run together
	 * @return the executor
	 */
	static ExecutorService pool(int threads) {
		return VIRTUAL ? VirtualThreads.newPerTaskExecutor() : Executors.newFixedThreadPool(threads);
	}

}
