package io.github.atprotospring.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AuthenticationRequiredException;
import io.github.atprotospring.client.InvalidTokenException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.SessionExpiredException;
import io.github.atprotospring.e2e.support.Jwts;
import io.github.atprotospring.e2e.support.RecordedEvents;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.Xrpc;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Scenario 5: the server's refusals reach the caller as the client's typed exceptions,
 * and a revoked refresh token makes the client log in again with its password, or report
 * the dead session.
 */
@ExtendWith(ReferencePdsExtension.class)
class ErrorsIT {

	@Test
	void aWrongPasswordIsAuthenticationRequired(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		AtprotoClient client = pds.clientBuilder().build();

		assertThatExceptionOfType(AuthenticationRequiredException.class)
			.isThrownBy(() -> client.login(account.handle(), "not-the-password"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(401);
				assertThat(ex.error()).isEqualTo("AuthenticationRequired");
				assertThat(ex.errorMessage()).isEqualTo("Invalid identifier or password");
				assertThat(ex.getMessage()).doesNotContain("not-the-password");
			});
		assertThat(client.session()).isEmpty();
	}

	@Test
	void aGarbageTokenIsInvalidToken(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Instant now = Instant.now();
		String forged = Jwts.hs256("not-the-secret", "at+jwt",
				List.of(Map.entry("scope", "com.atproto.access"), Map.entry("aud", pds.serviceDid()),
						Map.entry("sub", account.did()), Map.entry("iat", now.getEpochSecond()),
						Map.entry("exp", now.plus(Duration.ofHours(2)).getEpochSecond())));
		for (String token : List.of("garbage", forged)) {
			AtprotoClient client = pds.clientBuilder().build();
			client.importSession(new Session(account.handle(), account.did(), token, token, pds.url()));

			assertThatExceptionOfType(InvalidTokenException.class).as(token)
				.isThrownBy(client::getSession)
				.satisfies((ex) -> {
					assertThat(ex.status()).isEqualTo(400);
					assertThat(ex.error()).isEqualTo("InvalidToken");
					assertThat(ex.errorMessage()).isEqualTo("Token could not be verified");
				});
		}
	}

	@Test
	void aRevokedRefreshTokenMakesTheClientLogInAgainWithThePasswordOfLogin(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		RecordedEvents events = new RecordedEvents();
		AtprotoClient client = pds.clientBuilder(account.clientIp()).sessionChangeListener(events).build();
		Session first = client.login(account.handle(), account.password());
		revoke(pds, account, first);

		Session second = client.refreshSession();

		assertThat(events.events()).containsExactly(SessionEvent.CREATE, SessionEvent.DELETE, SessionEvent.CREATE);
		assertThat(second.refreshJwt()).isNotEqualTo(first.refreshJwt());
		assertThat(client.getSession().did()).isEqualTo(account.did());
	}

	@Test
	void aRevokedRefreshTokenMakesTheClientLogInAgainWithTheBuildersCredentials(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Session stored = login(pds, account);
		MutableClock clock = MutableClock.startingNow();
		RecordedEvents events = new RecordedEvents();
		AtprotoClient client = pds.clientBuilder(account.clientIp())
			.clock(clock)
			.credentials(account.handle(), account.password())
			.sessionChangeListener(events)
			.build();
		client.importSession(stored);
		revoke(pds, account, stored);

		// Past the access token's expiry, the next call must refresh, which the server
		// refuses.
		clock.advance(Duration.ofHours(2).plusMinutes(1));
		assertThat(client.getSession().did()).isEqualTo(account.did());

		assertThat(events.events()).containsExactly(SessionEvent.IMPORT, SessionEvent.DELETE, SessionEvent.CREATE);
	}

	@Test
	void aRevokedRefreshTokenWithoutAPasswordIsSessionExpired(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Session stored = login(pds, account);
		revoke(pds, account, stored);

		AtprotoClient refreshing = pds.clientBuilder(account.clientIp()).build();
		refreshing.importSession(stored);
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(refreshing::refreshSession);
		assertThat(refreshing.session()).isEmpty();

		MutableClock clock = MutableClock.startingNow();
		AtprotoClient calling = pds.clientBuilder(account.clientIp()).clock(clock).build();
		calling.importSession(stored);
		clock.advance(Duration.ofHours(2).plusMinutes(1));
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(calling::getSession);
		assertThat(calling.session()).isEmpty();
	}

	@Test
	void theServerAnswersARevokedRefreshTokenWith400ExpiredToken(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Session session = login(pds, account);
		revoke(pds, account, session);

		Xrpc.Response answer = pds.xrpc()
			.post("com.atproto.server.refreshSession", null, session.refreshJwt(),
					Map.of("X-Forwarded-For", account.clientIp()));

		assertThat(List.of(answer.status(), answer.error(), answer.message())).containsExactly(400, "ExpiredToken",
				"Token has been revoked");
	}

	private static Session login(ReferencePds pds, ReferencePds.Account account) {
		return pds.clientBuilder(account.clientIp()).build().login(account.handle(), account.password());
	}

	/** Revokes the session's refresh token at the server, as a logout elsewhere would. */
	private static void revoke(ReferencePds pds, ReferencePds.Account account, Session session) {
		Xrpc.Response deleted = pds.xrpc()
			.post("com.atproto.server.deleteSession", null, session.refreshJwt(),
					Map.of("X-Forwarded-For", account.clientIp()));
		assertThat(deleted.status()).as("deleteSession: %s", deleted.rawBody()).isEqualTo(200);
	}

}
