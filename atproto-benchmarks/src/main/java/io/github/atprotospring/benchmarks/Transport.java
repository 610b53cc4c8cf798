package io.github.atprotospring.benchmarks;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.github.atprotospring.client.AtprotoHttpClients;
import reactor.netty.http.HttpResources;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;

/**
 * The request factories Spring's {@code RestClient} can run on, each built as the
 * transport of an atproto client must be: no redirect followed (a credential must not
 * follow one), a connect and a read timeout, HTTP/1.1 to plain {@code http://} servers.
 * They are built through Boot's {@link ClientHttpRequestFactoryBuilder}s, the way the
 * starter gets them, with Boot's pool settings unless the name says otherwise.
 */
enum Transport {

	/** The JDK's {@code java.net.http.HttpClient} on HTTP/1.1: today's default. */
	JDK("jdk", "JDK HttpClient, HTTP/1.1",
			(settings) -> ClientHttpRequestFactoryBuilder.jdk()
				.withHttpClientCustomizer((http) -> http.version(HttpClient.Version.HTTP_1_1))
				.build(settings)),

	/** {@code HttpURLConnection} ({@code SimpleClientHttpRequestFactory}). */
	SIMPLE("simple", "HttpURLConnection (Simple)",
			(settings) -> ClientHttpRequestFactoryBuilder.simple().build(settings)),

	/**
	 * Apache HttpClient 5, classic, with its connection pool as Boot leaves it (5
	 * connections per host, 25 in all).
	 */
	APACHE("apache", "Apache HttpClient 5 (pool 5/host)",
			(settings) -> ClientHttpRequestFactoryBuilder.httpComponents().build(settings)),

	/** Apache HttpClient 5 with a pool of up to 256 connections per host. */
	APACHE_256("apache-256", "Apache HttpClient 5 (pool 256/host)",
			(settings) -> ClientHttpRequestFactoryBuilder.httpComponents()
				.withConnectionManagerCustomizer((pool) -> pool.setMaxConnPerRoute(256).setMaxConnTotal(256))
				.build(settings)),

	/** Jetty's HTTP client (64 connections per host by default). */
	JETTY("jetty", "Jetty HttpClient", (settings) -> ClientHttpRequestFactoryBuilder.jetty().build(settings)),

	/** Reactor Netty's HTTP client on its global connection pool. */
	REACTOR("reactor", "Reactor Netty", (settings) -> ClientHttpRequestFactoryBuilder.reactor().build(settings)),

	/**
	 * The client's default, {@link AtprotoHttpClients} (on {@code HttpURLConnection}).
	 */
	DEFAULT("default", "AtprotoHttpClients (default)",
			(settings) -> AtprotoHttpClients.requestFactory(settings.connectTimeout(), settings.readTimeout()));

	/** What issue 11 asks of the client's transport by default. */
	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** What issue 11 asks of the client's transport by default. */
	static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final String id;

	private final String label;

	private final Function<HttpClientSettings, ClientHttpRequestFactory> build;

	Transport(String id, String label, Function<HttpClientSettings, ClientHttpRequestFactory> build) {
		this.id = id;
		this.label = label;
		this.build = build;
	}

	String id() {
		return this.id;
	}

	String label() {
		return this.label;
	}

	/** A new factory with its own connections. */
	ClientHttpRequestFactory create() {
		return this.build.apply(new HttpClientSettings(HttpRedirects.DONT_FOLLOW, CONNECT_TIMEOUT, READ_TIMEOUT, null));
	}

	/**
	 * The transports named in a comma-separated list, or all of them for {@code all}.
	 * @throws IllegalArgumentException for an unknown name
	 */
	static List<Transport> parse(String names) {
		if (names.strip().equalsIgnoreCase("all")) {
			return List.of(values());
		}
		return Arrays.stream(names.split(","))
			.map(String::strip)
			.filter((name) -> !name.isEmpty())
			.map((name) -> Arrays.stream(values())
				.filter((transport) -> transport.id.equals(name.toLowerCase(Locale.ROOT)))
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("Unknown transport '" + name + "'; known: "
						+ Arrays.stream(values()).map(Transport::id).toList())))
			.toList();
	}

	/**
	 * Closes what a factory holds (its pool, its threads), whatever kind it is. Reactor
	 * Netty's factory runs on the global connection pool and event loops, which are
	 * disposed too, so that its connections do not count for the next transport.
	 */
	static void close(ClientHttpRequestFactory factory) {
		try {
			if (factory instanceof AutoCloseable closeable) {
				closeable.close();
			}
			else if (factory instanceof DisposableBean disposable) {
				disposable.destroy();
			}
			if (factory instanceof ReactorClientHttpRequestFactory) {
				HttpResources.disposeLoopsAndConnections();
			}
		}
		catch (Exception ex) {
			System.err.println("Closing " + factory.getClass().getSimpleName() + " failed: " + ex);
		}
	}

}
