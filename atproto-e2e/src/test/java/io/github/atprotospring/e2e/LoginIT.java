package io.github.atprotospring.e2e;

import java.time.Duration;
import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.model.SessionInfo;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.Jwts;
import io.github.atprotospring.e2e.support.RecordedEvents;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.ReferencePdsExtension.Plain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1: an account made with {@code createAccount} logs in with its handle, its
 * email and its DID, and the session works; the PDS named by a didDoc is used, and
 * without one the service is kept.
 */
@ExtendWith(ReferencePdsExtension.class)
class LoginIT {

	private static final String CREATE_SESSION = "com.atproto.server.createSession";

	private static final String GET_SESSION = "com.atproto.server.getSession";

	@Test
	void loginWithHandleEmailOrDidCreatesAUsableSession(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		for (String identifier : List.of(account.handle(), account.email(), account.did(),
				account.handle().toUpperCase())) {
			RecordedEvents events = new RecordedEvents();
			AtprotoClient client = pds.clientBuilder().sessionChangeListener(events).build();

			Session session = client.login(identifier, account.password());

			assertThat(events.events()).as(identifier).containsExactly(SessionEvent.CREATE);
			assertThat(session.did()).isEqualTo(account.did());
			assertThat(session.handle()).isEqualTo(account.handle());
			assertThat(session.email()).isEqualTo(account.email());
			assertThat(session.emailConfirmed()).isFalse();
			assertThat(session.active()).isTrue();
			assertThat(session.status()).isNull();
			SessionInfo info = client.getSession();
			assertThat(info.did()).isEqualTo(account.did());
			assertThat(info.handle()).isEqualTo(account.handle());
			assertThat(info.email()).isEqualTo(account.email());
			assertThat(info.active()).isTrue();
		}
	}

	@Test
	void theTokensAreWhatTheClientExpects(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		Session session = pds.clientBuilder().build().login(account.handle(), account.password());

		JsonNode access = Jwts.payload(session.accessJwt());
		assertThat(Jwts.header(session.accessJwt()).toString()).isEqualTo("{\"typ\":\"at+jwt\",\"alg\":\"HS256\"}");
		assertThat(access.propertyNames()).containsExactly("scope", "aud", "sub", "iat", "exp");
		assertThat(access.path("scope").asString()).isEqualTo("com.atproto.access");
		assertThat(access.path("aud").asString()).isEqualTo(pds.serviceDid()).isEqualTo("did:web:localhost");
		assertThat(access.path("sub").asString()).isEqualTo(account.did());
		assertThat(access.path("exp").asLong() - access.path("iat").asLong())
			.isEqualTo(Duration.ofHours(2).toSeconds());
		assertThat(session.accessExpiresAt())
			.hasValueSatisfying((exp) -> assertThat(exp.getEpochSecond()).isEqualTo(access.path("exp").asLong()));

		JsonNode refresh = Jwts.payload(session.refreshJwt());
		assertThat(Jwts.header(session.refreshJwt()).toString())
			.isEqualTo("{\"typ\":\"refresh+jwt\",\"alg\":\"HS256\"}");
		assertThat(refresh.propertyNames()).containsExactly("scope", "aud", "sub", "jti", "iat", "exp");
		assertThat(refresh.path("scope").asString()).isEqualTo("com.atproto.refresh");
		assertThat(refresh.path("jti").asString()).matches("[A-Za-z0-9+/]{43}");
		assertThat(refresh.path("exp").asLong() - refresh.path("iat").asLong())
			.isEqualTo(Duration.ofDays(90).toSeconds());
	}

	@Test
	void dataCallsGoToThePdsTheDidDocNames(ReferencePds pds) {
		assertThat(pds.options().didDocWithSession()).isTrue();
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient client = pds.clientBuilder().service(proxy.url()).build();

			Session session = client.login(account.handle(), account.password());
			client.getSession();

			// The didDoc names http://localhost:<port>: the same server, but not the
			// service logged in to.
			assertThat(session.pdsEndpoint()).isEqualTo(pds.publicUrl()).isNotEqualTo(proxy.url());
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(1);
			assertThat(proxy.count(GET_SESSION)).isZero();
		}
	}

	@Test
	void withoutADidDocTheServiceLoggedInToIsKept(@Plain ReferencePds pds) {
		assertThat(pds.options().didDocWithSession()).isFalse();
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient client = pds.clientBuilder().service(proxy.url()).build();

			Session session = client.login(account.handle(), account.password());
			assertThat(client.getSession().did()).isEqualTo(account.did());

			assertThat(session.pdsEndpoint()).isEqualTo(proxy.url());
			assertThat(proxy.count(CREATE_SESSION)).isEqualTo(1);
			assertThat(proxy.count(GET_SESSION)).isEqualTo(1);
		}
	}

}
