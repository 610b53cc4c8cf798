package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionStore;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Makes the clients of named accounts ({@code atproto.accounts.<name>}) and of the
 * {@link io.github.atprotospring.client.AtprotoClients} registry as the primary client is
 * made: on the same store, login budget, coordinator, clock and HTTP transport (one
 * connection pool), with the same session settings and customizers, each telling its
 * changes to the {@link SessionEventPublisher} under its account's name.
 */
final class AtprotoClientFactory {

	private final AtprotoProperties properties;

	private final LoginBudget loginBudget;

	private final SessionStore store;

	private final ObjectProvider<RestClient.Builder> restClientBuilder;

	private final Clock clock;

	private final ObjectProvider<SessionCoordinator> coordinator;

	private final AtprotoHttpClientConfiguration.Transport transport;

	private final ObjectProvider<AtprotoClientBuilderCustomizer> customizers;

	private final SessionEventPublisher events;

	/** One mapper for all the clients made here: its caches are not paid per account. */
	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/**
	 * The HTTP client builder every client made here is cloned from: Boot's, on the
	 * transport's request factory, made once (each of Boot's builders makes an HTTP
	 * client of its own before ours replaces it).
	 */
	private volatile RestClient.Builder sharedHttp;

	AtprotoClientFactory(AtprotoProperties properties, LoginBudget loginBudget, SessionStore store,
			ObjectProvider<RestClient.Builder> restClientBuilder, ObjectProvider<Clock> clock,
			ObjectProvider<SessionCoordinator> coordinator, AtprotoHttpClientConfiguration.Transport transport,
			ObjectProvider<AtprotoClientBuilderCustomizer> customizers, SessionEventPublisher events) {
		this.properties = properties;
		this.loginBudget = loginBudget;
		this.store = store;
		this.restClientBuilder = restClientBuilder;
		this.clock = clock.getIfUnique(Clock::systemUTC);
		this.coordinator = coordinator;
		this.transport = transport;
		this.customizers = customizers;
		this.events = events;
	}

	/**
	 * The client of a named account, with its stored session resumed (no network call).
	 * @param name the account's name: its bean's name and the name its events carry
	 * @param account its properties, checked already
	 * @return the client
	 */
	AtprotoClient account(String name, AtprotoProperties.Account account) {
		String prefix = AtprotoAccountsRegistrar.PREFIX + name;
		AtprotoClient.Builder builder = common();
		if (StringUtils.hasText(account.getService())) {
			try {
				builder.service(account.getService().strip());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(prefix + ".service must be an http or https URL, such as "
						+ AtprotoClient.DEFAULT_SERVICE + ", but is '" + account.getService() + "'");
			}
		}
		else {
			AtprotoPropertiesCheck.service(builder, this.properties);
		}
		builder.maxResponseSize(this.transport.maxResponseSize()).restClientBuilder(sharedHttp().clone());
		if (StringUtils.hasText(account.getPassword())) {
			builder.credentials(account.getHandle(), account.getPassword());
		}
		else {
			builder.account(account.getHandle());
		}
		AtomicReference<AtprotoClient> built = new AtomicReference<>();
		builder.sessionChangeListener(this.events.listenerFor(name, built::get));
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		AtprotoClient client = builder.build();
		built.set(client);
		this.events.wired(client);
		return client;
	}

	/**
	 * The one RestClient of the registry's clients, on the transport: Boot's builder, so
	 * that its customizers and observations apply.
	 * @return the RestClient
	 */
	RestClient registryRestClient() {
		return sharedHttp().clone().build();
	}

	/**
	 * A builder of a client of the registry: everything shared, no account and no
	 * credentials (the registry sets the account, the service, the store and the
	 * {@link #registryRestClient() RestClient} itself).
	 * @return a new builder
	 */
	AtprotoClient.Builder registryClient() {
		AtprotoClient.Builder builder = common();
		AtprotoPropertiesCheck.service(builder, this.properties);
		builder.maxResponseSize(this.transport.maxResponseSize());
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	private AtprotoClient.Builder common() {
		AtprotoClient.Builder builder = AtprotoClient.builder()
			.refreshMargin(AtprotoPropertiesCheck.refreshMargin(this.properties))
			.sessionChangeTimeout(AtprotoPropertiesCheck.positive("atproto.session.change-timeout",
					this.properties.getSession().getChangeTimeout()))
			.clock(this.clock)
			.loginBudget(this.loginBudget)
			.sessionStore(this.store)
			.jsonMapper(this.json);
		this.coordinator.ifUnique(builder::sessionCoordinator);
		return builder;
	}

	private RestClient.Builder sharedHttp() {
		RestClient.Builder http = this.sharedHttp;
		if (http == null) {
			synchronized (this) {
				http = this.sharedHttp;
				if (http == null) {
					http = this.restClientBuilder.getIfAvailable(RestClient::builder)
						.requestFactory(this.transport.requestFactory());
					this.sharedHttp = http;
				}
			}
		}
		return http;
	}

}
