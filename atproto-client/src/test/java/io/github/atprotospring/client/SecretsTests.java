package io.github.atprotospring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.atprotospring.test.PdsDouble.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Runs a whole session lifecycle with every logger at TRACE and checks that no token and
 * no password appears in a log line or an exception message.
 */
class SecretsTests extends PdsDoubleSupport {

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Logger root;

	private Level rootLevel;

	@BeforeEach
	void captureLogs() {
		this.root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.rootLevel = this.root.getLevel();
		this.root.setLevel(Level.TRACE);
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.root.detachAppender(this.appender);
		this.root.setLevel(this.rootLevel);
	}

	@Test
	void noTokenOrPasswordIsLoggedOrPutInAnExceptionMessage() {
		Set<String> secrets = ConcurrentHashMap.newKeySet();
		secrets.add(PASSWORD);
		List<Throwable> thrown = new ArrayList<>();
		AtprotoClient client = client(
				(builder) -> builder.credentials(HANDLE, PASSWORD).sessionChangeListener((event, session) -> {
					secrets.add(session.accessJwt());
					secrets.add(session.refreshJwt());
					secrets.add(session.toSessionString());
				}));
		client.onSessionChange((event, session) -> {
			throw new IllegalStateException("could not store " + session.toSessionString());
		});
		client.getSession();
		this.clock.advance(Duration.ofHours(2));
		client.getSession();
		this.pds.failNext("com.atproto.server.refreshSession", 1, Fault.DROP_CONNECTION);
		this.clock.advance(Duration.ofHours(2));
		thrown.add(catchThrowable(client::getSession));
		Session held = client.session().orElseThrow();
		AtprotoClient other = client();
		other.importSession(client.exportSessionString());
		other.logout();
		thrown.add(catchThrowable(other::refreshSession));
		thrown.add(catchThrowable(() -> other.importSession("a:::did:x:::" + held.accessJwt() + ":::garbage")));
		client.getSession();
		thrown.add(catchThrowable(() -> client().login(HANDLE, PASSWORD + "-wrong")));
		secrets.add(PASSWORD + "-wrong");
		client.logout();

		assertThat(thrown).doesNotContainNull();
		assertThat(this.appender.list).isNotEmpty();
		List<String> texts = new ArrayList<>();
		for (ILoggingEvent event : this.appender.list) {
			texts.add(event.getFormattedMessage());
			for (IThrowableProxy proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
				texts.add(proxy.getMessage());
			}
		}
		for (Throwable ex : thrown) {
			for (Throwable t = ex; t != null; t = t.getCause()) {
				texts.add(t.getMessage());
				texts.add(t.toString());
			}
		}
		texts.add(held.toString());
		texts.add(client.toString());
		assertThat(secrets).hasSizeGreaterThan(6);
		for (String text : texts) {
			if (text != null) {
				for (String secret : secrets) {
					assertThat(text).doesNotContain(secret);
				}
			}
		}
		assertThat(texts).anySatisfy((text) -> assertThat(text).contains("<redacted>"));
	}

}
