package io.github.atprotospring.autoconfigure;

import java.util.Optional;

import io.github.atprotospring.client.AccountDeactivatedException;
import io.github.atprotospring.client.AccountTakedownException;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.AuthFactorTokenRequiredException;
import io.github.atprotospring.client.AuthenticationRequiredException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionExpiredException;
import io.github.atprotospring.client.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Resumes the configured account's session while the application starts: the stored
 * session is imported (no login), refreshed if its access token has expired, and replaced
 * by a login with the configured password only if it is dead or missing.
 * <p>
 * Refused credentials fail the startup (see {@link AtprotoStartupException}); a server
 * that cannot be reached does not: the application starts and the client resumes or logs
 * in on first use.
 */
public class AtprotoSessionInitializer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoSessionInitializer.class);

	private final AtprotoClient client;

	private final SessionStore store;

	private final AtprotoProperties properties;

	private volatile boolean running;

	/**
	 * @param client the client to resume
	 * @param store where the session was stored
	 * @param properties the configuration
	 */
	public AtprotoSessionInitializer(AtprotoClient client, SessionStore store, AtprotoProperties properties) {
		this.client = client;
		this.store = store;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
		String identifier = this.properties.getHandle();
		if (!StringUtils.hasText(identifier)) {
			if (StringUtils.hasText(this.properties.getPassword())) {
				logger.warn("atproto.password is set but atproto.handle is not: the client starts without a session");
			}
			return;
		}
		Optional<Session> stored = findStored(identifier.strip());
		stored.ifPresent(this.client::importSession);
		if (stored.isEmpty() && !StringUtils.hasText(this.properties.getPassword())) {
			logger.warn("No stored atproto session for {} at {} and no atproto.password: the client starts without a "
					+ "session", identifier, this.client.service());
			return;
		}
		if (this.properties.getSession().isResumeOnStartup()) {
			resume(identifier.strip(), stored);
		}
	}

	private Optional<Session> findStored(String identifier) {
		try {
			Optional<Session> stored = this.store.find(this.client.service(), identifier);
			if (stored.isPresent() && !SessionStore.belongsTo(stored.get(), identifier)) {
				logger.warn("The stored atproto session for {} at {} belongs to another account ({}); it is ignored",
						identifier, this.client.service(), stored.get().did());
				return Optional.empty();
			}
			return stored;
		}
		catch (RuntimeException ex) {
			logger.warn(
					"The stored atproto session for {} at {} cannot be read and is ignored; the client logs in "
							+ "again ({}: {})",
					identifier, this.client.service(), ex.getClass().getName(), ex.getMessage());
			return Optional.empty();
		}
	}

	private void resume(String identifier, Optional<Session> stored) {
		try {
			if (stored.isEmpty() && StringUtils.hasText(this.properties.getAuthFactorToken())) {
				this.client.login(identifier, this.properties.getPassword(), this.properties.getAuthFactorToken());
			}
			else {
				this.client.ensureSession();
			}
		}
		catch (AuthenticationRequiredException | AuthFactorTokenRequiredException | AccountTakedownException
				| AccountDeactivatedException ex) {
			forgetDeadSession(stored);
			throw new AtprotoStartupException(identifier, this.client.service(), ex);
		}
		catch (SessionExpiredException ex) {
			forgetDeadSession(stored);
			logger.warn("The stored atproto session for {} is dead and no atproto.password is set: the client starts "
					+ "without a session ({})", identifier, ex.getMessage());
		}
		catch (AtprotoException ex) {
			logger.warn(
					"Could not resume the atproto session for {} at {} while starting; the application starts and "
							+ "the client tries again on first use: {}",
					identifier, this.client.service(), ex.getMessage());
		}
	}

	/**
	 * A stored session the client dropped as dead is removed, so no later start tries it
	 * again.
	 */
	private void forgetDeadSession(Optional<Session> stored) {
		if (stored.isPresent() && this.client.session().isEmpty()) {
			try {
				this.store.delete(this.client.service(), stored.get().did());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove the dead atproto session of {} from the store: {}", stored.get().did(),
						ex.getClass().getName());
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Early, so that the session is resumed before a web server takes requests.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
