package io.github.atprotospring.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code atproto} endpoint: the session status of every {@link AtprotoClient} bean
 * ({@code /actuator/atproto}), or of one by its bean name
 * ({@code /actuator/atproto/{name}}). It shows what the health contributor shows, from
 * memory alone: never a token, and no call to the server.
 */
@Endpoint(id = "atproto")
public class AtprotoEndpoint {

	private final AtprotoSessionMonitor monitor;

	/**
	 * @param monitor what tells the status of each client
	 */
	public AtprotoEndpoint(AtprotoSessionMonitor monitor) {
		this.monitor = monitor;
	}

	/**
	 * The status of every client.
	 * @return the statuses by bean name
	 */
	@ReadOperation
	public AccountsDescriptor accounts() {
		Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
		this.monitor.accounts().forEach((name, status) -> accounts.put(name, status.toMap()));
		return new AccountsDescriptor(accounts);
	}

	/**
	 * The status of one client.
	 * @param name the client's bean name
	 * @return its status, or {@code null} (a 404) if there is no such client
	 */
	@ReadOperation
	public Map<String, Object> account(@Selector String name) {
		AccountStatus status = this.monitor.accounts().get(name);
		return (status != null) ? status.toMap() : null;
	}

	/**
	 * The answer of the endpoint.
	 *
	 * @param accounts the status of each client, by bean name
	 */
	public record AccountsDescriptor(Map<String, Map<String, Object>> accounts) implements OperationResponseBody {
	}

}
