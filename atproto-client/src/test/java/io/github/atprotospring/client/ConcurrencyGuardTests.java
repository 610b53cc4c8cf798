package io.github.atprotospring.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each guard of the session lifecycle against a race, shown without relying on scheduling
 * luck: a test holds one thread at the exact point of the race (an answer held back on
 * its way to the client, or the clock read that follows a read of the held session) until
 * the other thread has done what makes the race, and then lets it go on.
 * <ul>
 * <li>the generation check: a thread that arrives with a session older than the one now
 * held adopts the new one instead of refreshing again (after an expired answer, and
 * before a call);</li>
 * <li>the single flight: a thread that needs a refresh while one is under way waits for
 * it;</li>
 * <li>the order of a change: the store holds a session before a listener hears of it, and
 * calls waiting for the change go on before the listeners are told.</li>
 * </ul>
 */
class ConcurrencyGuardTests extends PdsDoubleSupport {

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	/** The server's own clock, moved apart from the client's where a test needs it. */
	final MutableClock serverClock = MutableClock.at(this.clock.instant());

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@Override
	PdsDouble.Builder configure(PdsDouble.Builder builder) {
		return builder.clock(this.serverClock);
	}

	@AfterEach
	void stopThreads() {
		this.pool.shutdownNow();
	}

	@Test
	void aCallWhoseExpiredAnswerArrivesAfterAnotherThreadRefreshedAdoptsThatRefresh() throws Exception {
		Gate staleAnswer = new Gate();
		AtomicReference<Thread> late = new AtomicReference<>();
		// Thread A's first getSession answer (400 ExpiredToken) is held back on its way
		// to the client until thread B has refreshed.
		AtprotoClient client = client(interceptor((request) -> {
		}, (request) -> {
			if (isCall(request, GET_SESSION) && Thread.currentThread() == late.get() && staleAnswer.first()) {
				staleAnswer.passAndWait();
			}
		}), this.clock);
		Session first = client.login(HANDLE, PASSWORD);
		// The client's clock sees a valid token; the server's says it has expired.
		this.serverClock.advance(Duration.ofHours(3));

		Future<String> a = this.pool.submit(() -> {
			late.set(Thread.currentThread());
			return client.getSession().did();
		});
		staleAnswer.awaitPassed();
		// Thread B: the same expired answer, one refresh, a new session.
		assertThat(client.getSession().did()).isEqualTo(this.did);
		Session refreshed = client.session().orElseThrow();
		assertThat(refreshed.sameTokensAs(first)).isFalse();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		staleAnswer.release();

		assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(client.session().orElseThrow().sameTokensAs(refreshed)).isTrue();
	}

	@Test
	void aCallThatReadTheSessionBeforeAnotherThreadRefreshedItAdoptsThatRefresh() throws Exception {
		HoldingClock clientClock = new HoldingClock(this.clock);
		AtprotoClient client = client(RestClient.builder().requestFactory(AtprotoClient.http11RequestFactory()),
				clientClock);
		Session first = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		this.serverClock.advance(Duration.ofHours(2).plusMinutes(1));

		// Thread A reads the held session, then is held at its next read of the clock
		// (which decides whether that session needs a refresh) while B refreshes.
		Future<String> a = this.pool.submit(() -> {
			clientClock.holdNextRead();
			return client.getSession().did();
		});
		clientClock.awaitHeld();
		assertThat(client.getSession().did()).isEqualTo(this.did);
		Session refreshed = client.session().orElseThrow();
		assertThat(refreshed.sameTokensAs(first)).isFalse();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		clientClock.release();

		assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(client.session().orElseThrow().sameTokensAs(refreshed)).isTrue();
	}

	@Test
	void aThreadThatNeedsARefreshWhileOneIsUnderWayWaitsForIt() throws Exception {
		Gate secondAnswer = new Gate();
		Gate firstRefresh = new Gate();
		AtomicInteger refreshRequests = new AtomicInteger();
		AtomicReference<Thread> second = new AtomicReference<>();
		// B's expired answer is held until A's refresh is under way; A's refresh is held
		// at the server's door until B is either parked waiting for it (the single
		// flight) or sends a refresh of its own.
		AtprotoClient client = client(interceptor((request) -> {
			if (isCall(request, REFRESH) && refreshRequests.incrementAndGet() == 1) {
				firstRefresh.passAndWait();
			}
		}, (request) -> {
			if (isCall(request, GET_SESSION) && Thread.currentThread() == second.get() && secondAnswer.first()) {
				secondAnswer.passAndWait();
			}
		}), this.clock);
		client.login(HANDLE, PASSWORD);
		this.serverClock.advance(Duration.ofHours(3));

		Future<String> b = this.pool.submit(() -> {
			second.set(Thread.currentThread());
			return client.getSession().did();
		});
		secondAnswer.awaitPassed();
		Future<String> a = this.pool.submit(() -> client.getSession().did());
		firstRefresh.awaitPassed();
		secondAnswer.release();
		boolean settled = awaitCondition(() -> refreshRequests.get() > 1 || waitsForAChange(second.get()));
		firstRefresh.release();
		assertThat(settled).isTrue();

		assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(refreshRequests).hasValue(1);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void aListenerHearsOfASessionOnlyOnceTheStoreHoldsIt() {
		InMemorySessionStore store = new InMemorySessionStore();
		List<String> heard = new CopyOnWriteArrayList<>();
		AtprotoClient client = clientBuilder().sessionStore(store)
			.sessionChangeListener((event, session) -> heard
				.add(event + " stored=" + store.find(this.pds.url(), HANDLE).map(session::sameTokensAs).orElse(false)))
			.build();
		client.login(HANDLE, PASSWORD);
		client.refreshSession();
		this.clock.advance(Duration.ofHours(2).plusMinutes(1));
		this.serverClock.advance(Duration.ofHours(2).plusMinutes(1));
		client.getSession();
		assertThat(heard).containsExactly("CREATE stored=true", "REFRESH stored=true", "REFRESH stored=true");
	}

	@Test
	void aCallWaitingForAChangeGoesOnBeforeTheListenersOfThatChangeAreTold() throws Exception {
		Gate refresh = new Gate();
		AtomicReference<Thread> waiting = new AtomicReference<>();
		CountDownLatch waitingCallDone = new CountDownLatch(1);
		List<Boolean> listenerSawTheWaitingCallDone = new CopyOnWriteArrayList<>();
		AtprotoClient client = client(interceptor((request) -> {
			if (isCall(request, REFRESH) && refresh.first()) {
				refresh.passAndWait();
			}
		}, (request) -> {
		}), this.clock);
		client.login(HANDLE, PASSWORD);
		client.onSessionChange((event, session) -> {
			if (event == SessionEvent.REFRESH) {
				// Inside the change this would wait for a call that waits for the change.
				listenerSawTheWaitingCallDone.add(await(waitingCallDone, 5));
			}
		});
		this.serverClock.advance(Duration.ofHours(3));

		Future<String> refresher = this.pool.submit(() -> client.getSession().did());
		refresh.awaitPassed();
		Future<String> other = this.pool.submit(() -> {
			waiting.set(Thread.currentThread());
			try {
				return client.getSession().did();
			}
			finally {
				waitingCallDone.countDown();
			}
		});
		boolean parked = awaitCondition(() -> waiting.get() != null && waitsForAChange(waiting.get()));
		refresh.release();
		assertThat(parked).isTrue();

		assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(refresher.get(30, TimeUnit.SECONDS)).isEqualTo(this.did);
		assertThat(listenerSawTheWaitingCallDone).containsExactly(true);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	// --- helpers

	private AtprotoClient client(RestClient.Builder http, Clock clientClock) {
		return AtprotoClient.builder()
			.service(this.pds.url())
			.clock(clientClock)
			.restClientBuilder(http)
			.sessionChangeTimeout(Duration.ofSeconds(20))
			.build();
	}

	private static boolean isCall(HttpRequest request, String nsid) {
		return request.getURI().getPath().endsWith("/xrpc/" + nsid);
	}

	/**
	 * An interceptor that runs {@code beforeSending} ahead of each request and
	 * {@code beforeReading} between the server's answer and the client reading it.
	 */
	private static RestClient.Builder interceptor(Consumer<HttpRequest> beforeSending,
			Consumer<HttpRequest> beforeReading) {
		ClientHttpRequestInterceptor interceptor = (HttpRequest request, byte[] body,
				ClientHttpRequestExecution execution) -> {
			beforeSending.accept(request);
			ClientHttpResponse response = execution.execute(request, body);
			beforeReading.accept(request);
			return response;
		};
		return RestClient.builder()
			.requestFactory(AtprotoClient.http11RequestFactory())
			.requestInterceptor(interceptor);
	}

	/**
	 * Whether a thread is parked waiting for another thread's session change (on its
	 * future), as the single flight makes it.
	 */
	private static boolean waitsForAChange(Thread thread) {
		Object blocker = LockSupport.getBlocker(thread);
		return blocker != null && blocker.getClass().getName().startsWith("java.util.concurrent.CompletableFuture");
	}

	/** Waits, at most 10 seconds, for a condition. */
	private static boolean awaitCondition(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return true;
	}

	private static boolean await(CountDownLatch latch, int seconds) {
		try {
			return latch.await(seconds, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Holds one thread at a point until the test lets it go: the thread calls
	 * {@link #passAndWait()}, the test {@link #awaitPassed()} and later
	 * {@link #release()}s it.
	 */
	static final class Gate {

		private final AtomicInteger uses = new AtomicInteger();

		private final CountDownLatch passed = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		/** Whether this is the first time the gate is asked: it holds once. */
		boolean first() {
			return this.uses.incrementAndGet() == 1;
		}

		void passAndWait() {
			this.passed.countDown();
			if (!await(this.released, 30)) {
				throw new IllegalStateException("The gate was not released within 30 s");
			}
		}

		void awaitPassed() throws InterruptedException {
			assertThat(this.passed.await(30, TimeUnit.SECONDS)).as("a thread reached the gate").isTrue();
		}

		void release() {
			this.released.countDown();
		}

	}

	/**
	 * The client's clock, which can hold one thread at its next read until the test lets
	 * it go.
	 */
	static final class HoldingClock extends Clock {

		private final Clock clock;

		private final AtomicReference<Thread> holding = new AtomicReference<>();

		private final Gate gate = new Gate();

		HoldingClock(Clock clock) {
			this.clock = clock;
		}

		/** Holds the calling thread at its next read of the clock. */
		void holdNextRead() {
			this.holding.set(Thread.currentThread());
		}

		void awaitHeld() throws InterruptedException {
			this.gate.awaitPassed();
		}

		void release() {
			this.gate.release();
		}

		@Override
		public Instant instant() {
			if (this.holding.compareAndSet(Thread.currentThread(), null)) {
				this.gate.passAndWait();
			}
			return this.clock.instant();
		}

		@Override
		public ZoneId getZone() {
			return this.clock.getZone();
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this.clock.withZone(zone);
		}

	}

}
