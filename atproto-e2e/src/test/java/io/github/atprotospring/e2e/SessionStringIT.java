package io.github.atprotospring.e2e;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.RecordedEvents;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 3: a session string exported by one client works in another without a new
 * login.
 */
@ExtendWith(ReferencePdsExtension.class)
class SessionStringIT {

	@Test
	void anExportedSessionWorksInAnotherClientWithoutCreateSession(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url())) {
			AtprotoClient first = pds.clientBuilder().service(proxy.url()).build();
			Session created = first.login(account.handle(), account.password());
			String exported = first.exportSessionString();

			assertThat(exported.split(":::", -1)).containsExactly(account.handle(), account.did(), created.accessJwt(),
					created.refreshJwt(), pds.publicUrl());

			RecordedEvents events = new RecordedEvents();
			AtprotoClient second = pds.clientBuilder().service(proxy.url()).sessionChangeListener(events).build();
			Session imported = second.importSession(exported);

			assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
			assertThat(imported.pdsEndpoint()).isEqualTo(pds.publicUrl());
			assertThat(second.getSession().did()).isEqualTo(account.did());
			assertThat(second.createPost("posted with an imported session").uri()).startsWith("at://" + account.did());
			assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
			assertThat(proxy.count("com.atproto.server.createSession")).isEqualTo(1);
		}
	}

}
