package io.github.atprotospring.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code atproto} endpoint: the session status of every {@link AtprotoClient} bean
 * ({@code /actuator/atproto}), or of one by its bean name
 * ({@code /actuator/atproto/{name}}). It shows what the health contributor shows, from
 * memory alone: never a token, and no call to the server. With a registry of accounts
 * added at runtime ({@link AtprotoClients}) it also shows how many of them are in memory
 * against {@code atproto.registry.max-resident}.
 */
@Endpoint(id = "atproto")
public class AtprotoEndpoint {

	private final AtprotoSessionMonitor monitor;

	private final AtprotoClients registry;

	/**
	 * @param monitor what tells the status of each client
	 */
	public AtprotoEndpoint(AtprotoSessionMonitor monitor) {
		this(monitor, null);
	}

	/**
	 * @param monitor what tells the status of each client
	 * @param registry the registry of accounts added at runtime, or {@code null}
	 */
	public AtprotoEndpoint(AtprotoSessionMonitor monitor, AtprotoClients registry) {
		this.monitor = monitor;
		this.registry = registry;
	}

	/**
	 * The status of every client.
	 * @return the statuses by bean name
	 */
	@ReadOperation
	public AccountsDescriptor accounts() {
		Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
		this.monitor.accounts().forEach((name, status) -> accounts.put(name, status.toMap()));
		RegistryDescriptor registry = (this.registry != null) ? new RegistryDescriptor(this.registry.service(),
				this.registry.residentCount(), this.registry.maxResident()) : null;
		return new AccountsDescriptor(accounts, registry);
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
	 * @param registry the registry of accounts added at runtime, or {@code null} (left
	 * out) if the application has none
	 */
	public record AccountsDescriptor(Map<String, Map<String, Object>> accounts,
			@JsonInclude(JsonInclude.Include.NON_NULL) RegistryDescriptor registry) implements OperationResponseBody {

		/**
		 * An answer without a registry.
		 * @param accounts the status of each client, by bean name
		 */
		public AccountsDescriptor(Map<String, Map<String, Object>> accounts) {
			this(accounts, null);
		}

	}

	/**
	 * The registry of accounts added at runtime, from memory alone: its accounts in the
	 * store are not listed (there may be many thousands).
	 *
	 * @param service the service of its accounts
	 * @param resident how many of its clients are in memory now (not counting the
	 * application's own client beans, which it holds too)
	 * @param maxResident how many may be ({@code atproto.registry.max-resident})
	 */
	public record RegistryDescriptor(String service, int resident, int maxResident) {
	}

}
