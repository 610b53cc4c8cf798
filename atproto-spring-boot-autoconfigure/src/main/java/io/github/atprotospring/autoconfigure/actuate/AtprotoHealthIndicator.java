package io.github.atprotospring.autoconfigure.actuate;

import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code atproto} health contributor: one detail per {@link AtprotoClient} bean,
 * named after the bean (session present, token expiry times, password configured, last
 * change and last refresh failure, store and whether it survives restarts). DOWN when a
 * client can make no call: it has no session and no password, or its refresh token has
 * ended and no password can replace it. It never calls the server and never shows a
 * token.
 */
public class AtprotoHealthIndicator implements HealthIndicator {

	private final AtprotoSessionMonitor monitor;

	/**
	 * @param monitor what tells the status of each client
	 */
	public AtprotoHealthIndicator(AtprotoSessionMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public Health health() {
		Map<String, AccountStatus> accounts = this.monitor.accounts();
		if (accounts.isEmpty()) {
			return Health.unknown().build();
		}
		Health.Builder builder = accounts.values().stream().allMatch(AccountStatus::up) ? Health.up() : Health.down();
		accounts.forEach((name, status) -> builder.withDetail(name, status.toMap()));
		return builder.build();
	}

}
