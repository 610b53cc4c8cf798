package io.github.atprotospring.sample;

import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says in a few lines, once the sample is up, what a newcomer wants to know: where it
 * answers, which service it talks to, what happened to the session and where the session
 * is kept; and, when it stops, that the session stays there.
 */
@Component
class StartupReport {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final AtprotoClient client;

	private final SessionActivity activity;

	private final ObjectProvider<SessionStore> store;

	private final Environment environment;

	StartupReport(AtprotoClient client, SessionActivity activity, ObjectProvider<SessionStore> store,
			Environment environment) {
		this.client = client;
		this.activity = activity;
		this.store = store;
		this.environment = environment;
	}

	@EventListener(ApplicationReadyEvent.class)
	void report() {
		String address = this.environment.getProperty("server.address", "every interface");
		String port = this.environment.getProperty("local.server.port", "?");
		boolean loopback = address.equals("127.0.0.1") || address.equals("localhost") || address.equals("::1");
		logger.info("Sample ready on http://{}:{}/session ({})", loopback ? "localhost" : address, port,
				loopback ? "reachable from this machine only; SERVER_ADDRESS=0.0.0.0 opens it to the network"
						: "listening on " + address);
		boolean localPds = this.environment.getProperty("sample.local-pds.active", Boolean.class, false);
		logger.info("atproto service: {} ({})", this.client.service(),
				localPds ? "the LOCAL demo PDS; set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD to use Bluesky"
						: "from atproto.service");
		logger.info("Session: {}; kept in {}", sessionSummary(), storeSummary());
	}

	@EventListener(ContextClosedEvent.class)
	void stopped() {
		logger.info("Sample stopped; the session stays in {} for the next start", storeSummary());
	}

	private String sessionSummary() {
		List<SessionActivity.Change> changes = this.activity.changes();
		String account = this.client.session().map((s) -> s.handle() + " (" + s.did() + ")").orElse(null);
		if (account == null) {
			return "none yet (the client logs in on first use)";
		}
		if (changes.isEmpty()) {
			return account;
		}
		String what = switch (changes.get(changes.size() - 1).type()) {
			case CREATE -> "CREATE, a new login with the password (createSession)";
			case REFRESH -> "REFRESH, the stored session's tokens renewed (refreshSession)";
			case IMPORT -> "IMPORT, the stored session resumed without a login";
			case DELETE -> "DELETE, the stored session was dead and removed";
			case REFRESH_FAILED -> "REFRESH_FAILED, the refresh failed for a passing reason; the session is kept";
		};
		return what + ", for " + account;
	}

	private String storeSummary() {
		SessionStore sessionStore = this.store.getIfAvailable();
		if (sessionStore == null || sessionStore instanceof InMemorySessionStore) {
			return "memory only (a restart logs in again)";
		}
		String url = this.environment.getProperty("spring.datasource.url");
		if (sessionStore.getClass().getSimpleName().startsWith("Jpa")) {
			return "the database " + ((url != null) ? url : "of the application") + " (table atproto_session)";
		}
		return sessionStore.getClass().getName();
	}

}
