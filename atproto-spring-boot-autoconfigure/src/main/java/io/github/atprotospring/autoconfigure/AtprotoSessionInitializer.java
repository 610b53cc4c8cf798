package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AccountDeactivatedException;
import io.github.atprotospring.client.AccountTakedownException;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.AuthFactorTokenRequiredException;
import io.github.atprotospring.client.AuthenticationRequiredException;
import io.github.atprotospring.client.SessionExpiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Makes the configured account's session ready while the application starts. The client
 * has already resumed the stored session when its bean was created (no network call);
 * this refreshes it if its access token has expired, or logs in with the configured
 * password if there is no live session.
 * <p>
 * Refused credentials fail the startup (see {@link AtprotoStartupException}); a server
 * that cannot be reached does not: the application starts and the client resumes or logs
 * in on first use. With several {@link AtprotoClient} beans of the application's own it
 * does nothing.
 */
public class AtprotoSessionInitializer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoSessionInitializer.class);

	private final ObjectProvider<AtprotoClient> clients;

	private final AtprotoProperties properties;

	private volatile boolean running;

	/**
	 * @param clients the client to make ready, if there is exactly one
	 * @param properties the configuration
	 */
	public AtprotoSessionInitializer(ObjectProvider<AtprotoClient> clients, AtprotoProperties properties) {
		this.clients = clients;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
		AtprotoClient client = this.clients.getIfUnique();
		String identifier = this.properties.getHandle();
		if (client == null) {
			return;
		}
		if (!StringUtils.hasText(identifier)) {
			if (StringUtils.hasText(this.properties.getPassword())) {
				logger.warn("atproto.password is set but atproto.handle is not: the client starts without a session");
			}
			return;
		}
		if (client.session().isEmpty() && !client.hasCredentials()) {
			logger.warn("No stored atproto session for {} at {} and no atproto.password: the client starts without a "
					+ "session", identifier, client.service());
			return;
		}
		if (this.properties.getSession().isResumeOnStartup()) {
			resume(client, identifier.strip());
		}
	}

	private void resume(AtprotoClient client, String identifier) {
		try {
			if (client.session().isEmpty() && StringUtils.hasText(this.properties.getAuthFactorToken())) {
				client.login(identifier, this.properties.getPassword(), this.properties.getAuthFactorToken());
			}
			else {
				client.ensureSession();
			}
		}
		catch (AuthenticationRequiredException | AuthFactorTokenRequiredException | AccountTakedownException
				| AccountDeactivatedException ex) {
			throw new AtprotoStartupException(identifier, client.service(), ex);
		}
		catch (SessionExpiredException ex) {
			logger.warn("The stored atproto session for {} is dead and no atproto.password is set: the client starts "
					+ "without a session ({})", identifier, ex.getMessage());
		}
		catch (AtprotoException ex) {
			logger.warn("Could not resume the atproto session for {} at {} while starting; the application starts and "
					+ "the client tries again on first use: {}", identifier, client.service(), ex.getMessage());
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
	 * Early, so that the session is ready before a web server takes requests.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
