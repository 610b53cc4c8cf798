package io.github.atprotospring.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.Jwts;
import io.github.atprotospring.e2e.support.RecordedEvents;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.ReferencePdsExtension.Plain;
import io.github.atprotospring.e2e.support.Xrpc;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Scenario 2: a refresh before expiry (the client's clock moved into the refresh margin)
 * and one after the server answered {@code 400 ExpiredToken} to a token the client still
 * believed valid.
 */
@ExtendWith(ReferencePdsExtension.class)
class RefreshIT {

	private static final String GET_SESSION = "com.atproto.server.getSession";

	private static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	@Test
	void aTokenInsideTheRefreshMarginIsRefreshedBeforeTheCall(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		MutableClock clock = MutableClock.startingNow();
		RecordedEvents events = new RecordedEvents();
		AtprotoClient client = pds.clientBuilder().clock(clock).sessionChangeListener(events).build();
		Session created = client.login(account.handle(), account.password());

		// 2 h tokens, a 5 min margin: 4 min before expiry the next call refreshes first.
		clock.advance(Duration.ofHours(2).minusMinutes(4));
		assertThat(client.getSession().did()).isEqualTo(account.did());

		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
		Session refreshed = client.session().orElseThrow();
		assertThat(Jwts.payload(refreshed.refreshJwt()).path("jti").asString())
			.isNotEqualTo(Jwts.payload(created.refreshJwt()).path("jti").asString());
		assertThat(refreshed.pdsEndpoint()).isEqualTo(created.pdsEndpoint());

		// Back at the real time the new token is far from expiry: no further refresh.
		clock.set(Instant.now());
		client.createPost("after a proactive refresh");
		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.REFRESH);
	}

	@Test
	void aCallTheServerAnswersExpiredTokenIsRefreshedAndRetriedOnce(@Plain ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Xrpc.Response login = pds.xrpc()
			.post("com.atproto.server.createSession",
					Map.of("identifier", account.handle(), "password", account.password()), null,
					Map.of("X-Forwarded-For", account.clientIp()));
		Instant now = Instant.now();
		Instant expired = now.minusSeconds(60);
		String expiredAccess = pds.mintAccessToken(account.did(), now.minus(Duration.ofHours(2)), expired);
		// The server says "expired"; the client's clock, half an hour behind, says "valid
		// for 30 min".
		MutableClock clock = MutableClock.at(expired.minus(Duration.ofMinutes(30)));
		RecordedEvents events = new RecordedEvents();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient client = pds.clientBuilder(account.clientIp())
				.service(proxy.url())
				.clock(clock)
				.sessionChangeListener(events)
				.build();
			client.importSession(new Session(account.handle(), account.did(), expiredAccess,
					login.body().path("refreshJwt").asString(), proxy.url()));

			assertThat(client.getSession().handle()).isEqualTo(account.handle());

			assertThat(events.events()).containsExactly(SessionEvent.IMPORT, SessionEvent.REFRESH);
			assertThat(proxy.calls()).extracting(CountingProxy.Call::nsid, CountingProxy.Call::status)
				.containsExactly(tuple(GET_SESSION, 400), tuple(REFRESH_SESSION, 200), tuple(GET_SESSION, 200));
		}
	}

	@Test
	void theServerAnswersAnExpiredAccessTokenWith400ExpiredToken(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Instant now = Instant.now();
		String expired = pds.mintAccessToken(account.did(), now.minus(Duration.ofHours(2)), now.minusSeconds(1));

		Xrpc.Response answer = pds.xrpc().get(GET_SESSION, "", expired, Map.of("X-Forwarded-For", account.clientIp()));

		assertThat(List.of(answer.status(), answer.error(), answer.message())).containsExactly(400, "ExpiredToken",
				"Token has expired");
		assertThat(answer.header("WWW-Authenticate")).isNull();
	}

}
