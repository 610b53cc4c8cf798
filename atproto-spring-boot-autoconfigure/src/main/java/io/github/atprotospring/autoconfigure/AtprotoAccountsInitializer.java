package io.github.atprotospring.autoconfigure;

import java.util.Map;

import io.github.atprotospring.client.AccountDeactivatedException;
import io.github.atprotospring.client.AccountTakedownException;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.AuthFactorTokenRequiredException;
import io.github.atprotospring.client.AuthenticationRequiredException;
import io.github.atprotospring.client.SessionExpiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Makes the session of every named account ({@code atproto.accounts.<name>}) ready while
 * the application starts, as {@link AtprotoSessionInitializer} does for the account of
 * {@code atproto.handle}: each client has resumed its stored session when its bean was
 * created (no network call); this refreshes it if its access token has expired, or logs
 * in with the account's password if there is no live session.
 * <p>
 * Refused credentials fail the startup with a report that names the account's properties
 * ({@code atproto.accounts.<name>.handle}, {@code .password}); a server that cannot be
 * reached does not: the application starts and the client resumes or logs in on first
 * use.
 */
class AtprotoAccountsInitializer implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoAccountsInitializer.class);

	private final BeanFactory beanFactory;

	private final Map<String, AtprotoProperties.Account> accounts;

	private final AtprotoProperties properties;

	private volatile boolean running;

	/**
	 * @param beanFactory where the accounts' client beans are
	 * @param accounts the named accounts, by name
	 * @param properties the configuration
	 */
	AtprotoAccountsInitializer(BeanFactory beanFactory, Map<String, AtprotoProperties.Account> accounts,
			AtprotoProperties properties) {
		this.beanFactory = beanFactory;
		this.accounts = accounts;
		this.properties = properties;
	}

	@Override
	public void start() {
		this.running = true;
		this.accounts.forEach((name, account) -> {
			AtprotoClient client = this.beanFactory.getBean(name, AtprotoClient.class);
			String prefix = AtprotoAccountsRegistrar.PREFIX + name;
			String identifier = account.getHandle().strip();
			if (client.session().isEmpty() && !client.hasCredentials()) {
				logger.warn("No stored atproto session for {} at {} and no {}.password: the account's client starts "
						+ "without a session", identifier, client.service(), prefix);
				return;
			}
			if (this.properties.getSession().isResumeOnStartup()) {
				resume(client, prefix, account, identifier);
			}
		});
	}

	private void resume(AtprotoClient client, String prefix, AtprotoProperties.Account account, String identifier) {
		try {
			if (client.session().isEmpty() && StringUtils.hasText(account.getAuthFactorToken())) {
				client.login(identifier, account.getPassword(), account.getAuthFactorToken());
			}
			else {
				client.ensureSession();
			}
		}
		catch (AuthenticationRequiredException | AuthFactorTokenRequiredException | AccountTakedownException
				| AccountDeactivatedException ex) {
			String serviceProperty = StringUtils.hasText(account.getService()) ? prefix + ".service"
					: "atproto.service";
			throw new AtprotoStartupException(prefix, serviceProperty, identifier, client.service(), ex);
		}
		catch (SessionExpiredException ex) {
			logger.warn("The stored atproto session for {} is dead and no {}.password is set: the account's client "
					+ "starts without a session ({})", identifier, prefix, ex.getMessage());
		}
		catch (AtprotoException ex) {
			logger.warn(
					"Could not resume the atproto session for {} ({}) at {} while starting; the application "
							+ "starts and the client tries again on first use: {}",
					identifier, prefix, client.service(), ex.getMessage());
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
	 * Early, with the primary account's initializer, so that the sessions are ready
	 * before a web server takes requests.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
