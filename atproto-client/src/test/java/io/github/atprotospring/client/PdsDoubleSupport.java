package io.github.atprotospring.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh PDS double with one account for each test, a clock shared by the double and the
 * clients, and a recorder of session events.
 */
abstract class PdsDoubleSupport {

	static final String HANDLE = "alice.test";

	static final String EMAIL = "alice@example.com";

	static final String PASSWORD = "hunter2-app-password";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	String did;

	@BeforeEach
	void startPds() {
		this.pds = configure(PdsDouble.builder().clock(this.clock)).start();
		this.did = this.pds.createAccount(HANDLE, EMAIL, PASSWORD).did();
	}

	@AfterEach
	void stopPds() {
		this.pds.close();
	}

	/** Lets a test class change the double's configuration. */
	PdsDouble.Builder configure(PdsDouble.Builder builder) {
		return builder;
	}

	AtprotoClient.Builder clientBuilder() {
		return AtprotoClient.builder().service(this.pds.url()).clock(this.clock);
	}

	AtprotoClient client(Consumer<AtprotoClient.Builder> customizer) {
		AtprotoClient.Builder builder = clientBuilder();
		customizer.accept(builder);
		return builder.build();
	}

	AtprotoClient client() {
		return clientBuilder().build();
	}

	/** Records the session events a client reports. */
	static final class Events implements SessionChangeListener {

		private final List<SessionEvent> events = Collections.synchronizedList(new ArrayList<>());

		private final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onSessionChange(SessionEvent event, Session session) {
			this.events.add(event);
			this.sessions.add(session);
		}

		List<SessionEvent> events() {
			synchronized (this.events) {
				return List.copyOf(this.events);
			}
		}

		Session last() {
			synchronized (this.sessions) {
				return this.sessions.get(this.sessions.size() - 1);
			}
		}

	}

}
