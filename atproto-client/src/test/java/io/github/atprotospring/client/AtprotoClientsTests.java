package io.github.atprotospring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registry of many accounts: accounts logged in once and kept by their stored
 * sessions, loaded on first use without a network call, bounded in memory, each with a
 * lifecycle of its own.
 */
class AtprotoClientsTests extends PdsDoubleSupport {

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String DELETE = "com.atproto.server.deleteSession";

	final InMemorySessionStore store = new InMemorySessionStore();

	final List<String> told = Collections.synchronizedList(new ArrayList<>());

	final List<AtprotoClient> toldClients = Collections.synchronizedList(new ArrayList<>());

	AtprotoClients registry(int maxResident) {
		return registry(maxResident, List.of());
	}

	AtprotoClients registry(int maxResident, List<AtprotoClient> pinned) {
		return AtprotoClients.builder()
			.service(this.pds.url())
			.sessionStore(this.store)
			.clientBuilder(() -> AtprotoClient.builder().clock(this.clock))
			.maxResident(maxResident)
			.pinned(pinned)
			.sessionChangeListener((client, event, session) -> {
				this.told.add(event + " " + session.handle());
				this.toldClients.add(client);
			})
			.build();
	}

	String account(String name) {
		return this.pds.createAccount(name + ".test", name + "@example.com", PASSWORD).did();
	}

	@Test
	void loginUsesThePasswordOnceAndKeepsItNowhere() {
		AtprotoClients registry = registry(10);
		AtprotoClient client = registry.login(HANDLE, PASSWORD);
		assertThat(client.hasCredentials()).isFalse();
		assertThat(client.session().orElseThrow().did()).isEqualTo(this.did);
		assertThat(this.store.find(this.pds.url(), this.did).orElseThrow().sameTokensAs(client.session().orElseThrow()))
			.isTrue();
		assertThat(this.told).containsExactly("CREATE alice.test");
		assertThat(this.toldClients).containsExactly(client);
		assertThat(registry.find(this.did)).containsSame(client);
		assertThat(registry.find("ALICE.test")).containsSame(client);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void refusedCredentialsAddNothing() {
		AtprotoClients registry = registry(10);
		assertThatExceptionOfType(AuthenticationRequiredException.class)
			.isThrownBy(() -> registry.login(HANDLE, "wrong-password"));
		assertThat(registry.find(HANDLE)).isEmpty();
		assertThat(registry.list()).isEmpty();
		assertThat(this.told).isEmpty();
	}

	@Test
	void anotherRegistryOnTheSameStoreResumesEveryAccountWithoutANetworkCall() {
		AtprotoClients first = registry(10);
		List<String> dids = List.of(this.did, account("bob"), account("carol"));
		first.login(HANDLE, PASSWORD);
		first.login("bob.test", PASSWORD);
		first.login("carol.test", PASSWORD);
		this.pds.resetCounters();
		this.told.clear();

		AtprotoClients restarted = registry(10);
		for (String did : dids) {
			assertThat(restarted.find(did))
				.hasValueSatisfying((client) -> assertThat(client.session().orElseThrow().did()).isEqualTo(did));
		}
		assertThat(this.pds.totalCalls()).isZero();
		assertThat(this.told).containsExactly("IMPORT alice.test", "IMPORT bob.test", "IMPORT carol.test");
		assertThat(restarted.list()).extracting(StoredAccount::did).containsExactlyInAnyOrderElementsOf(dids);
		assertThat(restarted.get("bob.test").getSession().handle()).isEqualTo("bob.test");
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void anAccountWithNoStoredSessionIsNotFoundAndCostsNoCall() {
		AtprotoClients registry = registry(10);
		assertThat(registry.find("did:plc:nobody")).isEmpty();
		assertThat(registry.find("nobody.test")).isEmpty();
		assertThatExceptionOfType(java.util.NoSuchElementException.class).isThrownBy(() -> registry.get("nobody.test"))
			.withMessageContaining("login(identifier, password)");
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void theLeastRecentlyUsedClientsLeaveMemoryAndTheirSessionsStayInTheStore() {
		AtprotoClients registry = registry(2);
		List<String> dids = new ArrayList<>();
		for (String name : List.of("bob", "carol", "dave", "erin")) {
			dids.add(account(name));
			registry.login(name + ".test", PASSWORD);
			assertThat(registry.residentCount()).isLessThanOrEqualTo(2);
		}
		assertThat(registry.residentCount()).isEqualTo(2);
		assertThat(registry.list()).hasSize(4);
		for (String did : dids) {
			assertThat(this.store.find(this.pds.url(), did)).isPresent();
			assertThat(registry.find(did)).isPresent();
			assertThat(registry.residentCount()).isLessThanOrEqualTo(2);
		}
		assertThat(this.pds.callCount(CREATE)).isEqualTo(4);
		assertThat(this.pds.callCount(REFRESH)).isZero();
	}

	@Test
	void aClientTheApplicationStillHoldsIsHandedOutAgainRatherThanDoubled() {
		AtprotoClients registry = registry(1);
		AtprotoClient alice = registry.login(HANDLE, PASSWORD);
		account("bob");
		registry.login("bob.test", PASSWORD);
		assertThat(registry.residentCount()).isEqualTo(1);
		assertThat(registry.find(this.did)).containsSame(alice);
		assertThat(registry.find(HANDLE)).containsSame(alice);
		assertThat(this.told).containsExactly("CREATE alice.test", "CREATE bob.test");
	}

	@Test
	void threadsAskingForOneAccountTogetherGetOneClient() throws Exception {
		registry(10).login(HANDLE, PASSWORD);
		this.told.clear();
		this.pds.resetCounters();
		AtprotoClients restarted = registry(10);
		int threads = 16;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<AtprotoClient>> found = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				String id = (i % 2 == 0) ? this.did : HANDLE;
				found.add(pool.submit(() -> {
					go.await();
					return restarted.get(id);
				}));
			}
			go.countDown();
			Set<AtprotoClient> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
			for (Future<AtprotoClient> client : found) {
				distinct.add(client.get(30, TimeUnit.SECONDS));
			}
			assertThat(distinct).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.told).containsExactly("IMPORT alice.test");
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void aRefreshOfOneAccountNeverTouchesAnother() {
		AtprotoClients registry = registry(10);
		AtprotoClient alice = registry.login(HANDLE, PASSWORD);
		String bob = account("bob");
		AtprotoClient bobClient = registry.login("bob.test", PASSWORD);
		Session bobBefore = bobClient.session().orElseThrow();
		this.told.clear();
		this.pds.resetCounters();

		alice.refreshSession();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(this.told).containsExactly("REFRESH alice.test");
		assertThat(bobClient.session().orElseThrow().sameTokensAs(bobBefore)).isTrue();
		assertThat(this.store.find(this.pds.url(), bob).orElseThrow().sameTokensAs(bobBefore)).isTrue();
		assertThat(this.pds.totalCalls()).isEqualTo(1);
	}

	@Test
	void everyAccountCostsOneRefreshPerExpiryWhateverTheNumberOfCallers() throws Exception {
		AtprotoClients registry = registry(3);
		List<String> dids = new ArrayList<>();
		for (String name : List.of("bob", "carol", "dave", "erin", "frank")) {
			dids.add(account(name));
			registry.login(name + ".test", PASSWORD);
		}
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int expiry = 1; expiry <= 2; expiry++) {
				this.clock.advance(Duration.ofHours(2).plusMinutes(1));
				CountDownLatch go = new CountDownLatch(1);
				List<Future<String>> calls = new ArrayList<>();
				for (int i = 0; i < 40; i++) {
					String did = dids.get(i % dids.size());
					calls.add(pool.submit(() -> {
						go.await();
						return registry.get(did).getSession().did();
					}));
				}
				go.countDown();
				for (int i = 0; i < calls.size(); i++) {
					assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(dids.get(i % dids.size()));
				}
				assertThat(this.pds.callCount(REFRESH)).isEqualTo(expiry * dids.size());
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(this.pds.callCount(CREATE)).isEqualTo(dids.size());
	}

	@Test
	void removeRevokesTheSessionDeletesItAndForgetsTheAccount() {
		AtprotoClients registry = registry(10);
		AtprotoClient client = registry.login(HANDLE, PASSWORD);
		assertThat(registry.remove(HANDLE)).isTrue();
		assertThat(this.pds.callCount(DELETE)).isEqualTo(1);
		assertThat(this.store.find(this.pds.url(), this.did)).isEmpty();
		assertThat(client.session()).isEmpty();
		assertThat(registry.find(this.did)).isEmpty();
		assertThat(registry.residentCount()).isZero();
		assertThat(registry.remove(HANDLE)).isFalse();
		assertThat(this.told).containsExactly("CREATE alice.test", "DELETE alice.test");
	}

	@Test
	void removeOfAnAccountNotInMemoryLoadsItQuietly() {
		registry(10).login(HANDLE, PASSWORD);
		this.told.clear();
		AtprotoClients restarted = registry(10);
		assertThat(restarted.remove(this.did)).isTrue();
		assertThat(this.store.find(this.pds.url(), this.did)).isEmpty();
		assertThat(this.told).containsExactly("DELETE alice.test");
		assertThat(this.pds.callCount(DELETE)).isEqualTo(1);
	}

	@Test
	void aSessionTheServerDeclaresDeadLeavesTheRegistry() {
		AtprotoClients registry = registry(10);
		AtprotoClient client = registry.login(HANDLE, PASSWORD);
		AtprotoClient other = clientBuilder().build();
		other.importSession(client.session().orElseThrow());
		other.logout();
		this.clock.advance(Duration.ofHours(3));
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(client::getSession);
		assertThat(this.told).containsExactly("CREATE alice.test", "DELETE alice.test");
		assertThat(registry.residentCount()).isZero();
		assertThat(registry.find(HANDLE)).isEmpty();
	}

	@Test
	void aLoginOfAnAccountAlreadyHeldGivesItsClientTheNewSession() {
		AtprotoClients registry = registry(10);
		AtprotoClient first = registry.login(HANDLE, PASSWORD);
		Session old = first.session().orElseThrow();
		this.clock.advance(Duration.ofSeconds(5));
		AtprotoClient second = registry.login(HANDLE, PASSWORD);
		assertThat(second).isSameAs(first);
		assertThat(second.session().orElseThrow().sameTokensAs(old)).isFalse();
		assertThat(this.store.find(this.pds.url(), this.did).orElseThrow().sameTokensAs(second.session().orElseThrow()))
			.isTrue();
		assertThat(this.told).containsExactly("CREATE alice.test", "CREATE alice.test", "IMPORT alice.test");
		assertThat(this.toldClients).containsOnly(first);
	}

	@Test
	void aPinnedClientIsHandedOutForItsAccountAndNeverRemoved() {
		AtprotoClient configured = clientBuilder().sessionStore(this.store).credentials(HANDLE, PASSWORD).build();
		configured.ensureSession();
		AtprotoClients registry = registry(10, List.of(configured));
		assertThat(registry.find(HANDLE)).containsSame(configured);
		assertThat(registry.find(this.did)).containsSame(configured);
		assertThat(registry.residentCount()).isZero();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> registry.remove(HANDLE))
			.withMessageContaining("configured");
		assertThat(configured.session()).isPresent();
	}

	@Test
	void withTheDefaultHttpStackEveryAccountCallsTheService() {
		AtprotoClients registry = AtprotoClients.builder().service(this.pds.url()).sessionStore(this.store).build();
		AtprotoClient alice = registry.login(HANDLE, PASSWORD);
		account("bob");
		AtprotoClient bob = registry.login("bob.test", PASSWORD);
		assertThat(alice.getSession().did()).isEqualTo(this.did);
		assertThat(bob.getSession().handle()).isEqualTo("bob.test");
		assertThat(alice).isNotSameAs(bob);
	}

	@Test
	void everyClientSendsItsCallsThroughTheOneRestClientGiven() {
		java.util.concurrent.atomic.AtomicInteger through = new java.util.concurrent.atomic.AtomicInteger();
		org.springframework.web.client.RestClient shared = org.springframework.web.client.RestClient.builder()
			.requestFactory(AtprotoClient.http11RequestFactory())
			.requestInterceptor((request, body, execution) -> {
				through.incrementAndGet();
				return execution.execute(request, body);
			})
			.build();
		AtprotoClients registry = AtprotoClients.builder()
			.service(this.pds.url())
			.sessionStore(this.store)
			.clientBuilder(() -> AtprotoClient.builder().clock(this.clock))
			.restClient(shared)
			.build();
		account("bob");
		registry.login(HANDLE, PASSWORD).getSession();
		registry.login("bob.test", PASSWORD).getSession();
		AtprotoClients restarted = AtprotoClients.builder()
			.service(this.pds.url())
			.sessionStore(this.store)
			.clientBuilder(() -> AtprotoClient.builder().clock(this.clock))
			.restClient(shared)
			.build();
		restarted.get("bob.test").refreshSession();
		assertThat(through).hasValue(this.pds.totalCalls()).hasValue(5);
	}

	@Test
	void badArgumentsSayWhatToFix() {
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> AtprotoClients.builder().service(this.pds.url()).build())
			.withMessageContaining("SessionStore");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> AtprotoClients.builder().maxResident(0))
			.withMessageContaining("at least one");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> AtprotoClients.builder().service("ftp://example.com"))
			.withMessageContaining("http or https");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> registry(1).find(" "))
			.withMessageContaining("must not be empty");
	}

}
