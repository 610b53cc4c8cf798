package io.github.atprotospring.client;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.PdsDouble.Fault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The session manager as the one owner of the lifecycle: the store is written and read by
 * the client itself, ended sessions leave the store, waits are bounded, and expiry is
 * judged by the server's clock.
 */
class SessionLifecycleTests extends PdsDoubleSupport {

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String CREATE = "com.atproto.server.createSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	final InMemorySessionStore store = new InMemorySessionStore();

	@Test
	void aClientBuiltWithAStoreResumesTheStoredSessionWithoutANetworkCall() {
		client((builder) -> builder.sessionStore(this.store)).login(HANDLE, PASSWORD);
		this.pds.resetCounters();
		Events events = new Events();
		AtprotoClient restarted = client(
				(builder) -> builder.sessionStore(this.store).account(HANDLE).sessionChangeListener(events));
		assertThat(restarted.session()).isPresent();
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
		assertThat(this.pds.totalCalls()).isZero();
		assertThat(restarted.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void logoutRemovesTheStoredSessionSoARestartWithoutPasswordHasNone() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionStore(this.store).sessionChangeListener(events));
		client.login(HANDLE, PASSWORD);
		client.logout();
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.DELETE);
		assertThat(this.store.find(this.pds.url(), HANDLE)).isEmpty();
		AtprotoClient restarted = client((builder) -> builder.sessionStore(this.store).account(HANDLE));
		assertThat(restarted.session()).isEmpty();
		assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(restarted::getSession);
	}

	@Test
	void aSessionTheServerDeclaresDeadLeavesTheStoreAndIsReported() {
		Session session = client().login(HANDLE, PASSWORD);
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionStore(this.store).sessionChangeListener(events));
		client.importSession(session);
		assertThat(this.store.find(this.pds.url(), HANDLE)).isPresent();
		AtprotoClient other = client();
		other.importSession(session);
		other.logout();
		this.clock.advance(Duration.ofHours(2));
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(client::getSession);
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT, SessionEvent.DELETE);
		assertThat(this.store.find(this.pds.url(), HANDLE)).isEmpty();
	}

	@Test
	void aDeadSessionIsNotRemovedWhenTheStoreAlreadyHoldsANewerOne() {
		Session dead = client().login(HANDLE, PASSWORD);
		Session newer = client().login(HANDLE, PASSWORD);
		this.store.save(this.pds.url(), newer);
		this.store.discard(this.pds.url(), dead);
		assertThat(this.store.find(this.pds.url(), HANDLE).orElseThrow().sameTokensAs(newer)).isTrue();
	}

	@Test
	void aTransientRefreshFailureIsReportedAndKeepsTheSession() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionStore(this.store).sessionChangeListener(events));
		Session before = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).minusMinutes(2));
		this.pds.failNext(REFRESH, 1, Fault.INTERNAL_SERVER_ERROR);
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH_FAILED);
		assertThat(this.store.find(this.pds.url(), HANDLE).orElseThrow().sameTokensAs(before)).isTrue();
	}

	@Test
	void withTheLocalClockTwoHoursAheadThreadsThroughATokensLifeCauseAtMostOneRefresh() throws Exception {
		MutableClock local = MutableClock.at(this.clock.instant().plus(Duration.ofHours(2)));
		AtprotoClient client = AtprotoClient.builder().service(this.pds.url()).clock(local).build();
		client.login(HANDLE, PASSWORD);
		for (int minute = 0; minute <= 120; minute += 10) {
			int failures = ConcurrencyTests.runTogether(ConcurrencyTests.THREADS, client::getSession);
			assertThat(failures).isZero();
			this.clock.advance(Duration.ofMinutes(10));
			local.advance(Duration.ofMinutes(10));
		}
		assertThat(this.pds.callCount(REFRESH)).isLessThanOrEqualTo(1);
		assertThat(this.pds.calls()).filteredOn((call) -> call.status() >= 400).isEmpty();
	}

	@Test
	void withTheLocalClockTwoHoursBehindTheClientRefreshesBeforeTheServerRefusesTheToken() {
		MutableClock local = MutableClock.at(this.clock.instant().minus(Duration.ofHours(2)));
		AtprotoClient client = AtprotoClient.builder().service(this.pds.url()).clock(local).build();
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).minusMinutes(1));
		local.advance(Duration.ofHours(2).minusMinutes(1));
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(this.pds.calls()).filteredOn((call) -> call.status() >= 400).isEmpty();
	}

	@Test
	void aMarginAboveTheTokensLifetimeRefreshesHalfWayAndNotOnEveryCall() {
		AtprotoClient client = client((builder) -> builder.refreshMargin(Duration.ofHours(3)));
		client.login(HANDLE, PASSWORD);
		for (int i = 0; i < 10; i++) {
			client.getSession();
		}
		assertThat(this.pds.callCount(REFRESH)).isZero();
		this.clock.advance(Duration.ofMinutes(61));
		for (int i = 0; i < 10; i++) {
			client.getSession();
		}
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void aRestartWithAMarginAboveTheLifetimeCausesAtMostOneRefresh() {
		client((builder) -> builder.sessionStore(this.store)).login(HANDLE, PASSWORD);
		this.pds.resetCounters();
		AtprotoClient restarted = client(
				(builder) -> builder.sessionStore(this.store).account(HANDLE).refreshMargin(Duration.ofDays(1)));
		for (int i = 0; i < 10; i++) {
			restarted.getSession();
		}
		assertThat(this.pds.callCount(REFRESH)).isLessThanOrEqualTo(1);
		assertThat(this.pds.callCount(GET_SESSION)).isEqualTo(10);
	}

	@Test
	void aCallWaitingForAnotherThreadsChangeGivesUpWhenInterrupted() throws Exception {
		CountDownLatch saving = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtprotoClient client = client((builder) -> builder.sessionStore(blockingStore(saving, release)));
		ExecutorService pool = TestThreads.pool(2);
		try {
			Future<Session> login = pool.submit(() -> client.login(HANDLE, PASSWORD));
			assertThat(saving.await(10, TimeUnit.SECONDS)).isTrue();
			AtomicReference<Thread> waiter = new AtomicReference<>();
			CountDownLatch waiting = new CountDownLatch(1);
			Future<Boolean> call = pool.submit(() -> {
				waiter.set(Thread.currentThread());
				waiting.countDown();
				try {
					client.getSession();
					return false;
				}
				catch (SessionWaitException ex) {
					return Thread.currentThread().isInterrupted();
				}
			});
			assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
			waiter.get().interrupt();
			assertThat(call.get(10, TimeUnit.SECONDS)).isTrue();
			release.countDown();
			assertThat(login.get(10, TimeUnit.SECONDS).did()).isEqualTo(this.did);
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	@Test
	void aCallWaitsForAnotherThreadsChangeNoLongerThanTheTimeout() throws Exception {
		CountDownLatch saving = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtprotoClient client = client((builder) -> builder.sessionStore(blockingStore(saving, release))
			.sessionChangeTimeout(Duration.ofMillis(200)));
		ExecutorService pool = TestThreads.pool(1);
		try {
			Future<Session> login = pool.submit(() -> client.login(HANDLE, PASSWORD));
			assertThat(saving.await(10, TimeUnit.SECONDS)).isTrue();
			assertThatExceptionOfType(SessionWaitException.class).isThrownBy(client::getSession)
				.withMessageContaining("did not finish within PT0.2S");
			release.countDown();
			assertThat(login.get(10, TimeUnit.SECONDS).did()).isEqualTo(this.did);
		}
		catch (ExecutionException ex) {
			throw new AssertionError(ex);
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	/** A store whose first save holds the change until released. */
	private SessionStore blockingStore(CountDownLatch saving, CountDownLatch release) {
		InMemorySessionStore memory = this.store;
		return new SessionStore() {

			@Override
			public java.util.Optional<Session> find(String service, String identifier) {
				return memory.find(service, identifier);
			}

			@Override
			public void save(String service, Session session) {
				saving.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				memory.save(service, session);
			}

			@Override
			public void delete(String service, String did) {
				memory.delete(service, did);
			}

		};
	}

}
