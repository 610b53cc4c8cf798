package io.github.atprotospring.client;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.atprotospring.test.CheckSecrets;
import io.github.atprotospring.test.PdsDouble.Fault;
import io.github.atprotospring.test.Secrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A whole session lifecycle of the client, with its failures, under {@link CheckSecrets}:
 * every log line of every logger at every level, every exception logged or thrown to the
 * caller, and standard out and err, must hold no password, token or session string. The
 * double's tokens and passwords are registered as they pass.
 */
@CheckSecrets
class SecretsLifecycleTests extends PdsDoubleSupport {

	@Test
	void aLifecycleWithEveryKindOfFailureWritesNoSecret(Secrets secrets) {
		secrets.register(PASSWORD);
		RowStore store = new RowStore();
		AtprotoClient client = client((builder) -> builder.credentials(HANDLE, PASSWORD)
			.sessionStore(store)
			.sessionChangeListener((event, session) -> {
				throw new IllegalStateException("a listener that shows " + session.toSessionString());
			}));

		secrets.inspect(catchThrowable(() -> client().login(HANDLE, "a-wrong-password")));
		assertThat(client.getSession().handle()).isEqualTo(HANDLE);
		// A refresh before expiry, then failures of the server while the token is valid.
		this.clock.advance(Duration.ofHours(2).minusMinutes(4));
		client.getSession();
		this.clock.advance(Duration.ofHours(2).minusMinutes(4));
		this.pds.failNext("com.atproto.server.refreshSession", 1, Fault.INTERNAL_SERVER_ERROR);
		client.getSession();
		this.clock.advance(Duration.ofMinutes(1));
		this.pds.failNext("com.atproto.server.refreshSession", 1, Fault.DROP_CONNECTION);
		client.getSession();
		// A store that cannot save, with the session in its error.
		store.failSaves = true;
		client.refreshSession();
		store.failSaves = false;
		// A dead session: revoked elsewhere, then expired; the client logs in again.
		AtprotoClient other = client();
		other.importSession(client.exportSessionString());
		other.logout();
		this.clock.advance(Duration.ofHours(3));
		client.getSession();
		// The session dies with no password to fall back on.
		AtprotoClient passwordless = client();
		passwordless.importSession(client.exportSessionString());
		AtprotoClient revoker = client();
		revoker.importSession(client.exportSessionString());
		revoker.logout();
		this.clock.advance(Duration.ofHours(3));
		secrets.inspect(catchThrowable(passwordless::getSession));
		// A stored row that cannot be read, and session strings that are not right.
		Session held = client.session().orElseThrow();
		store.rows.put(HANDLE, "garbage:::" + held.toSessionString());
		AtprotoClient resumed = clientBuilder().sessionStore(store).account(HANDLE).build();
		assertThat(resumed.session()).isEmpty();
		secrets.inspect(catchThrowable(() -> client().importSession(HANDLE + ":::" + this.did + ":::" + held.accessJwt()
				+ ":::" + held.refreshJwt() + ":::" + held.accessJwt())));
		secrets.inspect(catchThrowable(
				() -> client().importSession(HANDLE + ":::did:x:::" + held.accessJwt() + ":::not-a-jwt")));
		client.logout();
		secrets.inspect(catchThrowable(client::refreshSession));

		secrets.inspect(held, client, resumed, passwordless);
		assertThat(secrets.count()).isGreaterThan(8);
		assertThat(this.pds.callCount("com.atproto.server.createSession")).isEqualTo(3);
	}

	/**
	 * A store that keeps session strings, as a database does, and can fail to save with
	 * the session in its error message.
	 */
	static final class RowStore implements SessionStore {

		final Map<String, String> rows = new ConcurrentHashMap<>();

		volatile boolean failSaves;

		@Override
		public Optional<Session> find(String service, String identifier) {
			return Optional.ofNullable(this.rows.get(identifier)).map(SessionString::parse);
		}

		@Override
		public void save(String service, Session session) {
			if (this.failSaves) {
				throw new IllegalStateException("could not write row " + session.toSessionString());
			}
			this.rows.put(session.handle(), session.toSessionString());
		}

		@Override
		public void delete(String service, String did) {
			this.rows.values().removeIf((row) -> row.contains(":::" + did + ":::"));
		}

	}

}
