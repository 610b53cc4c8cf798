package io.github.atprotospring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.VirtualThreads;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTests extends PdsDoubleSupport {

	static final int THREADS = 32;

	@Test
	void threadsCallingThroughAnExpiryCauseOneRefreshAndNoFailure() throws Exception {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		int failures = runTogether(THREADS, client::getSession);
		assertThat(failures).isZero();
		assertThat(this.pds.callCount("com.atproto.server.refreshSession")).isEqualTo(1);
		assertThat(this.pds.callCount("com.atproto.server.getSession")).isEqualTo(THREADS);
	}

	@Test
	void aBurstOfExpiredAnswersCausesOneRefresh() throws Exception {
		MutableClock serverClock = MutableClock.at(this.clock.instant());
		PdsDouble ahead = PdsDouble.builder().clock(serverClock).start();
		try {
			ahead.createAccount("bob.test", "bob@example.com", PASSWORD);
			AtprotoClient client = AtprotoClient.builder().service(ahead.url()).clock(this.clock).build();
			client.login("bob.test", PASSWORD);
			serverClock.advance(Duration.ofHours(3));
			int failures = runTogether(THREADS, client::getSession);
			assertThat(failures).isZero();
			assertThat(ahead.callCount("com.atproto.server.refreshSession")).isEqualTo(1);
		}
		finally {
			ahead.close();
		}
	}

	@Test
	void noCallUsesNewTokensBeforeTheStoreHasSavedThem() throws Exception {
		Set<String> saved = ConcurrentHashMap.newKeySet();
		Set<String> usedTooEarly = ConcurrentHashMap.newKeySet();
		RestClient.Builder http = RestClient.builder().requestInterceptor((request, body, execution) -> {
			String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
			if (authorization != null && request.getURI().getPath().endsWith("getSession")
					&& !saved.contains(authorization.substring("Bearer ".length()))) {
				usedTooEarly.add(request.getURI().getPath());
			}
			return execution.execute(request, body);
		});
		CountDownLatch othersStarted = new CountDownLatch(THREADS - 1);
		AtomicInteger waitedForOthers = new AtomicInteger();
		AtomicInteger refreshing = new AtomicInteger();
		InMemorySessionStore memory = new InMemorySessionStore();
		SessionStore store = new SessionStore() {

			@Override
			public Optional<Session> find(String service, String identifier) {
				return memory.find(service, identifier);
			}

			@Override
			public void delete(String service, String did) {
				memory.delete(service, did);
			}

			@Override
			public void save(String service, Session session) {
				if (refreshing.get() > 0) {
					// Hold the save until every other thread is on its way into the
					// client.
					if (await(othersStarted)) {
						waitedForOthers.incrementAndGet();
					}
				}
				saved.add(session.accessJwt());
				memory.save(service, session);
			}

		};
		AtprotoClient client = client((builder) -> builder.restClientBuilder(http).sessionStore(store));
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		refreshing.set(1);
		CountDownLatch first = new CountDownLatch(1);
		ExecutorService pool = TestThreads.pool(THREADS);
		try {
			Future<?> refresher = pool.submit(() -> {
				first.countDown();
				return client.getSession();
			});
			assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
			List<Future<?>> others = new ArrayList<>();
			for (int i = 1; i < THREADS; i++) {
				others.add(pool.submit(() -> {
					othersStarted.countDown();
					return client.getSession();
				}));
			}
			refresher.get(30, TimeUnit.SECONDS);
			for (Future<?> other : others) {
				other.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(waitedForOthers).hasValue(1);
		assertThat(usedTooEarly).isEmpty();
		assertThat(this.pds.callCount("com.atproto.server.refreshSession")).isEqualTo(1);
	}

	@Test
	void aListenerThatBlocksHoldsUpNoCallAndStopsNoSave() throws Exception {
		InMemorySessionStore store = new InMemorySessionStore();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch listenerEntered = new CountDownLatch(1);
		AtprotoClient client = client((builder) -> builder.sessionStore(store));
		client.login(HANDLE, PASSWORD);
		client.onSessionChange((event, session) -> {
			listenerEntered.countDown();
			await(release);
			throw new IllegalStateException("a listener that fails after a long wait");
		});
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		ExecutorService pool = TestThreads.pool(2);
		try {
			// The refreshing thread tells the (blocked) listener after the change is
			// released; another thread's calls go on meanwhile with the saved session.
			Future<?> refresher = pool.submit(client::getSession);
			assertThat(listenerEntered.await(10, TimeUnit.SECONDS)).isTrue();
			Session stored = store.find(this.pds.url(), HANDLE).orElseThrow();
			assertThat(stored.sameTokensAs(client.session().orElseThrow())).isTrue();
			assertThat(pool.submit(client::getSession).get(10, TimeUnit.SECONDS).did()).isEqualTo(this.did);
			release.countDown();
			assertThat(refresher.get(10, TimeUnit.SECONDS)).isNotNull();
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
		assertThat(this.pds.callCount("com.atproto.server.refreshSession")).isEqualTo(1);
	}

	@Test
	void theTasksRunOnTheThreadsAskedFor() throws Exception {
		ExecutorService pool = TestThreads.pool(1);
		try {
			assertThat(pool.submit(() -> VirtualThreads.isVirtual(Thread.currentThread())).get(10, TimeUnit.SECONDS))
				.isEqualTo(TestThreads.VIRTUAL);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static boolean await(CountDownLatch latch) {
		try {
			return latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Starts the threads at one gate and counts the calls that failed. */
	static int runTogether(int threads, Runnable call) throws Exception {
		ExecutorService pool = TestThreads.pool(threads);
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		AtomicInteger failures = new AtomicInteger();
		List<Future<?>> futures = new ArrayList<>();
		try {
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit(() -> {
					ready.countDown();
					go.await();
					try {
						call.run();
					}
					catch (RuntimeException ex) {
						failures.incrementAndGet();
					}
					return null;
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		return failures.get();
	}

}
