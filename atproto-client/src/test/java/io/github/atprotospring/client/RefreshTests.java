package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;

import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.PdsDouble.Fault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RefreshTests extends PdsDoubleSupport {

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String CREATE = "com.atproto.server.createSession";

	@Test
	void refreshesBeforeACallWhenTheAccessTokenExpiresWithinTheMargin() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events));
		Session first = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).minusMinutes(4));
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
		assertThat(events.last().refreshJwt()).isNotEqualTo(first.refreshJwt());
		assertThat(client.session()).contains(events.last());
	}

	@Test
	void doesNotRefreshOutsideTheMargin() {
		AtprotoClient client = client((builder) -> builder.refreshMargin(Duration.ofMinutes(10)));
		client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).minusMinutes(11));
		client.getSession();
		assertThat(this.pds.callCount(REFRESH)).isZero();
		this.clock.advance(Duration.ofMinutes(2));
		client.getSession();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void refreshesOnceAndRetriesOnceWhenTheServerSaysTheTokenExpired() {
		MutableClock serverClock = MutableClock.at(this.clock.instant());
		PdsDouble ahead = PdsDouble.builder().clock(serverClock).start();
		try {
			ahead.createAccount("bob.test", "bob@example.com", PASSWORD);
			Events events = new Events();
			AtprotoClient client = AtprotoClient.builder()
				.service(ahead.url())
				.clock(this.clock)
				.sessionChangeListener(events)
				.build();
			client.login("bob.test", PASSWORD);
			// The client's clock still sees a valid token; the server's says it has
			// expired.
			serverClock.advance(Duration.ofHours(3));
			assertThat(client.getSession().handle()).isEqualTo("bob.test");
			assertThat(ahead.callCount(REFRESH)).isEqualTo(1);
			assertThat(ahead.callCount("com.atproto.server.getSession")).isEqualTo(2);
			assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
		}
		finally {
			ahead.close();
		}
	}

	@Test
	void neverLoopsWhenTheRetryIsAlsoAnsweredExpired() {
		MutableClock serverClock = MutableClock.at(this.clock.instant());
		PdsDouble instantExpiry = PdsDouble.builder().clock(serverClock).accessTokenLifetime(Duration.ZERO).start();
		try {
			instantExpiry.createAccount("bob.test", "bob@example.com", PASSWORD);
			AtprotoClient client = AtprotoClient.builder()
				.service(instantExpiry.url())
				.clock(MutableClock.at(Instant.EPOCH))
				.build();
			client.login("bob.test", PASSWORD);
			assertThatExceptionOfType(ExpiredTokenException.class).isThrownBy(client::getSession)
				.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400));
			assertThat(instantExpiry.callCount(REFRESH)).isEqualTo(1);
			assertThat(instantExpiry.callCount("com.atproto.server.getSession")).isEqualTo(2);
		}
		finally {
			instantExpiry.close();
		}
	}

	@Test
	void aListenerThatThrowsLosesNeitherTheSessionNorTheCall() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		client.onSessionChange((event, session) -> {
			throw new IllegalStateException("store is down");
		});
		Session before = client.session().orElseThrow();
		this.clock.advance(Duration.ofHours(2));
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(client.session().orElseThrow().refreshJwt()).isNotEqualTo(before.refreshJwt());
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void aRefusedRefreshDropsTheSessionAndLogsInAgainWithTheCredentials() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events));
		Session session = client.login(HANDLE, PASSWORD);
		revoke(session);
		this.clock.advance(Duration.ofHours(2));
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.DELETE, SessionEvent.CREATE);
	}

	@Test
	void aRefusedRefreshWithoutCredentialsIsASessionExpiredExceptionAndNoTokenlessCalls() {
		Session session = client().login(HANDLE, PASSWORD);
		AtprotoClient client = client();
		client.importSession(session);
		revoke(session);
		this.clock.advance(Duration.ofHours(2));
		this.pds.resetCounters();
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(ExpiredTokenException.class));
		assertThat(client.session()).isEmpty();
		assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(client::getSession);
		assertThat(this.pds.calls()).extracting(PdsDouble.RecordedCall::nsid).containsExactly(REFRESH);
	}

	@Test
	void anExpiredRefreshTokenIsDeadWithoutAskingTheServer() {
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		AtprotoClient other = client();
		other.importSession(session);
		this.clock.advance(Duration.ofDays(91));
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(other::getSession)
			.withMessageContaining("expired");
		assertThat(this.pds.callCount(REFRESH)).isZero();
	}

	@Test
	void aServerErrorDuringRefreshKeepsTheSessionForTheNextTry() {
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2));
		this.pds.failNext(REFRESH, 1, Fault.SERVICE_UNAVAILABLE);
		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.isServerError()).isTrue());
		assertThat(client.session()).contains(session);
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(2);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aDroppedConnectionDuringRefreshKeepsTheSessionForTheNextTry() {
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2));
		this.pds.failNext(REFRESH, 1, Fault.DROP_CONNECTION);
		assertThatExceptionOfType(XrpcTransportException.class).isThrownBy(client::getSession)
			.withMessageContaining(REFRESH);
		assertThat(client.session()).contains(session);
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aFailedProactiveRefreshGoesOnWithTheStillValidAccessToken() {
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2).minusMinutes(3));
		this.pds.failNext(REFRESH, 1, Fault.INTERNAL_SERVER_ERROR);
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(client.session()).contains(session);
		// No new attempt on every call while the server is failing...
		client.getSession();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
		// ...but one again after a while.
		this.clock.advance(Duration.ofSeconds(31));
		client.getSession();
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(2);
		assertThat(client.session().orElseThrow().refreshJwt()).isNotEqualTo(session.refreshJwt());
	}

	@Test
	void aSessionTheCoordinatorHandsBackIsAdoptedAsAnImportWithoutARefresh() {
		Session first = client().login(HANDLE, PASSWORD);
		AtprotoClient elsewhere = client();
		elsewhere.importSession(first);
		this.clock.advance(Duration.ofHours(2).minusMinutes(3));
		Session refreshedElsewhere = elsewhere.refreshSession();
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events)
			.sessionCoordinator((service, held, usable, refresh) -> usable.test(refreshedElsewhere) ? refreshedElsewhere
					: refresh.apply(held)));
		client.importSession(first);
		assertThat(client.getSession().did()).isEqualTo(this.did);
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT, SessionEvent.IMPORT);
		assertThat(client.session()).contains(refreshedElsewhere);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void theCoordinatorRunsTheRefreshAndItsResultIsReportedAsARefresh() {
		java.util.List<Session> seen = new java.util.ArrayList<>();
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events)
			.sessionCoordinator((service, held, usable, refresh) -> {
				seen.add(held);
				assertThat(service).isEqualTo(this.pds.url());
				return refresh.apply(held);
			}));
		Session first = client.login(HANDLE, PASSWORD);
		this.clock.advance(Duration.ofHours(2));
		client.getSession();
		assertThat(seen).containsExactly(first);
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
	}

	@Test
	void aForcedRefreshRotatesTheTokens() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events));
		Session first = client.login(HANDLE, PASSWORD);
		Session second = client.refreshSession();
		assertThat(second.refreshJwt()).isNotEqualTo(first.refreshJwt());
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
	}

	@Test
	void anExportedSessionIsImportedWithoutANetworkCall() {
		AtprotoClient first = client();
		first.login(HANDLE, PASSWORD);
		String exported = first.exportSessionString();
		this.pds.resetCounters();
		Events events = new Events();
		AtprotoClient second = client((builder) -> builder.sessionChangeListener(events));
		Session imported = second.importSession(exported);
		assertThat(this.pds.totalCalls()).isZero();
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
		assertThat(imported.did()).isEqualTo(this.did);
		assertThat(second.getSession().handle()).isEqualTo(HANDLE);
		assertThat(this.pds.callCount(CREATE)).isZero();
		assertThat(second.exportSessionString()).isEqualTo(exported);
	}

	@Test
	void anImportedSessionWithAnExpiredAccessTokenIsRefreshedOnFirstUse() {
		AtprotoClient first = client();
		first.login(HANDLE, PASSWORD);
		String exported = first.exportSessionString();
		this.clock.advance(Duration.ofHours(3));
		Events events = new Events();
		AtprotoClient second = client((builder) -> builder.sessionChangeListener(events));
		second.importSession(exported);
		second.getSession();
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT, SessionEvent.REFRESH);
		assertThat(this.pds.callCount(REFRESH)).isEqualTo(1);
	}

	@Test
	void createsAndReadsBackAPost() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		var created = client.createPost("Hello from Java");
		assertThat(created.uri()).startsWith("at://" + this.did + "/app.bsky.feed.post/");
		var record = client.getRecord(this.did, "app.bsky.feed.post", created.rkey());
		assertThat(record.value().path("text").asString()).isEqualTo("Hello from Java");
		assertThat(client.getProfile(HANDLE).postsCount()).isEqualTo(1);
		assertThatExceptionOfType(XrpcException.class)
			.isThrownBy(
					() -> client.createRecord("app.bsky.feed.post", java.util.Map.of("$type", "app.bsky.feed.post")))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.error()).isEqualTo("InvalidRequest");
				assertThat(ex.errorMessage()).contains("text");
			});
	}

	@Test
	void aGarbageAccessTokenIsAnInvalidTokenException() {
		Session real = client().login(HANDLE, PASSWORD);
		AtprotoClient client = client();
		String unsigned = SessionStringTests.jwt("{\"scope\":\"com.atproto.access\",\"exp\":4000000000}");
		client.importSession(new Session(HANDLE, this.did, unsigned, real.refreshJwt(), this.pds.url()));
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(400));
		assertThat(this.pds.callCount(REFRESH)).isZero();
	}

	private void revoke(Session session) {
		AtprotoClient other = client();
		other.importSession(session);
		other.logout();
	}

}
