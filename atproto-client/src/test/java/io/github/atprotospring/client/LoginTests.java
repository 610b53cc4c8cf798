package io.github.atprotospring.client;

import java.util.List;

import io.github.atprotospring.test.PdsDouble;
import io.github.atprotospring.test.PdsDouble.RecordedCall;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LoginTests extends PdsDoubleSupport {

	@Test
	void logsInWithAHandleAndReportsCreate() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events));
		Session session = client.login(HANDLE, PASSWORD);
		assertThat(session.handle()).isEqualTo(HANDLE);
		assertThat(session.did()).isEqualTo(this.did);
		assertThat(session.email()).isEqualTo(EMAIL);
		assertThat(session.accessExpiresAt()).contains(this.clock.instant().plusSeconds(7200));
		assertThat(events.events()).containsExactly(SessionEvent.CREATE);
		assertThat(client.session()).contains(session);
		assertThat(client.getSession().did()).isEqualTo(this.did);
	}

	@Test
	void logsInWithAnEmail() {
		assertThat(client().login(EMAIL, PASSWORD).did()).isEqualTo(this.did);
	}

	@Test
	void logsInWithADid() {
		assertThat(client().login(this.did, PASSWORD).handle()).isEqualTo(HANDLE);
	}

	@Test
	void loginCallsOnlyCreateSession() {
		client().login(HANDLE, PASSWORD);
		assertThat(this.pds.calls()).extracting(RecordedCall::nsid).containsExactly("com.atproto.server.createSession");
	}

	@Test
	void wrongCredentialsAreNotRetried() {
		AtprotoClient client = client();
		assertThatExceptionOfType(AuthenticationRequiredException.class).isThrownBy(() -> client.login(HANDLE, "wrong"))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(401);
				assertThat(ex.error()).isEqualTo("AuthenticationRequired");
				assertThat(ex.nsid()).isEqualTo("com.atproto.server.createSession");
				assertThat(ex.getMessage()).doesNotContain("wrong");
			});
		assertThat(this.pds.callCount("com.atproto.server.createSession")).isEqualTo(1);
		assertThat(client.session()).isEmpty();
		assertThat(client.hasCredentials()).isFalse();
	}

	@Test
	void configuredCredentialsThatTheServerRefusesAreDroppedAfterOneAttempt() {
		AtprotoClient client = client((builder) -> builder.credentials(HANDLE, "wrong"));
		assertThatExceptionOfType(AuthenticationRequiredException.class).isThrownBy(client::getSession);
		assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(client::getSession);
		assertThat(this.pds.callCount("com.atproto.server.createSession")).isEqualTo(1);
	}

	@Test
	void configuredCredentialsLogInOnTheFirstCall() {
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.credentials(HANDLE, PASSWORD).sessionChangeListener(events));
		assertThat(this.pds.totalCalls()).isZero();
		assertThat(client.getSession().handle()).isEqualTo(HANDLE);
		assertThat(events.events()).containsExactly(SessionEvent.CREATE);
	}

	@Test
	void aCallWithoutSessionOrCredentialsSendsNothing() {
		AtprotoClient client = client();
		assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(client::getSession)
			.withMessageContaining("login");
		assertThat(this.pds.totalCalls()).isZero();
	}

	@Test
	void anEmailedSignInCodeIsAskedForAndAccepted() {
		this.pds.requireAuthFactor(this.did, "ABCDE-12345");
		AtprotoClient client = client();
		assertThatExceptionOfType(AuthFactorTokenRequiredException.class)
			.isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo("AuthFactorTokenRequired"));
		assertThat(client.login(HANDLE, PASSWORD, "ABCDE-12345").did()).isEqualTo(this.did);
	}

	@Test
	void aTakenDownAccountIsTold() {
		this.pds.takedown(this.did);
		assertThatExceptionOfType(AccountTakedownException.class).isThrownBy(() -> client().login(HANDLE, PASSWORD));
	}

	@Test
	void aDeactivatedAccountIsTold() {
		this.pds.deactivate(this.did);
		assertThatExceptionOfType(AccountDeactivatedException.class).isThrownBy(() -> client().login(HANDLE, PASSWORD));
	}

	@Test
	void theServiceIsKeptWhenTheServerSendsNoDidDoc() {
		PdsDouble plain = PdsDouble.builder().clock(this.clock).didDocWithSession(false).start();
		try {
			plain.createAccount("bob.test", "bob@example.com", PASSWORD);
			AtprotoClient client = AtprotoClient.builder().service(plain.url() + "/").clock(this.clock).build();
			assertThat(client.login("bob.test", PASSWORD).pdsEndpoint()).isEqualTo(plain.url());
		}
		finally {
			plain.close();
		}
	}

	@Test
	void dataCallsGoToThePdsOfTheDidDoc() {
		String pdsByName = "http://localhost:" + this.pds.port();
		this.pds.setDidDocPdsEndpoint(pdsByName);
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		assertThat(session.pdsEndpoint()).isEqualTo(pdsByName);
		client.getSession();
		client.createPost("hello");
		List<RecordedCall> calls = this.pds.calls();
		assertThat(calls).filteredOn((call) -> call.nsid().equals("com.atproto.server.createSession"))
			.extracting(RecordedCall::host)
			.containsExactly("127.0.0.1:" + this.pds.port());
		assertThat(calls).filteredOn((call) -> !call.nsid().equals("com.atproto.server.createSession"))
			.extracting(RecordedCall::host)
			.containsOnly("localhost:" + this.pds.port())
			.hasSize(2);
		assertThat(client.exportSessionString()).endsWith(":::" + pdsByName);
	}

	@Test
	void logoutRevokesTheRefreshTokenAndDropsTheSession() {
		AtprotoClient client = client();
		Session session = client.login(HANDLE, PASSWORD);
		client.logout();
		assertThat(client.session()).isEmpty();
		assertThat(client.hasCredentials()).isFalse();
		assertThat(this.pds.callCount("com.atproto.server.deleteSession")).isEqualTo(1);
		AtprotoClient other = client();
		other.importSession(session);
		assertThatExceptionOfType(SessionExpiredException.class).isThrownBy(other::refreshSession);
	}

}
