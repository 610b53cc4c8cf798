package io.github.atprotospring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.test.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client on virtual threads (Java 21 or later; CI runs these on its newer JDK): a
 * storm of them through an expiry, the refresh held up in the store so that the others
 * wait for it, causes one refresh, and no virtual thread pins its carrier while it waits
 * (the JFR event {@code jdk.VirtualThreadPinned}). The client's own locks are held only
 * for field reads and writes; every wait (for another thread's change, for the store, for
 * the server) happens outside them.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTests extends PdsDoubleSupport {

	static final int THREADS = 1_000;

	@Test
	void aStormOfVirtualThreadsThroughAnExpiryCausesOneRefreshAndPinsNoCarrier() throws Exception {
		CountDownLatch othersWaiting = new CountDownLatch(1);
		AtomicInteger saves = new AtomicInteger();
		InMemorySessionStore memory = new InMemorySessionStore();
		SessionStore slowStore = new SessionStore() {

			@Override
			public Optional<Session> find(String service, String identifier) {
				return memory.find(service, identifier);
			}

			@Override
			public void save(String service, Session session) {
				// The refresh's save waits until the storm is under way, so that the
				// others find the change running and wait for it.
				if (saves.incrementAndGet() == 2) {
					await(othersWaiting);
				}
				memory.save(service, session);
			}

			@Override
			public void delete(String service, String did) {
				memory.delete(service, did);
			}

		};
		AtprotoClient client = client((builder) -> builder.sessionStore(slowStore));
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));

		VirtualThreads.PinningRecording pinning = VirtualThreads.recordPinning();
		ExecutorService pool = VirtualThreads.newPerTaskExecutor();
		List<Future<Session>> calls = new ArrayList<>();
		AtomicInteger failures = new AtomicInteger();
		try {
			CountDownLatch started = new CountDownLatch(THREADS);
			for (int i = 0; i < THREADS; i++) {
				calls.add(pool.submit(() -> {
					started.countDown();
					try {
						return client.ensureSession();
					}
					catch (RuntimeException ex) {
						failures.incrementAndGet();
						throw ex;
					}
				}));
			}
			assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
			othersWaiting.countDown();
			for (Future<Session> call : calls) {
				call.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			othersWaiting.countDown();
			pool.shutdownNow();
		}
		List<String> pinned = pinning.stop();

		assertThat(failures).hasValue(0);
		assertThat(this.pds.callCount("com.atproto.server.refreshSession")).isEqualTo(1);
		assertThat(calls).allSatisfy((call) -> assertThat(call.get()).isEqualTo(client.session().orElseThrow()));
		assertThat(pinned).as("virtual threads that pinned their carrier").isEmpty();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
