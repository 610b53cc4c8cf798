package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.github.atprotospring.autoconfigure.AtprotoRequestFactories;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoHttpClients;
import io.github.atprotospring.client.XrpcHttp;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The Java side of the {@code versus} benchmark, in a JVM of its own whose class path is
 * what an application with only the starter has: one {@link AtprotoClient} logged in to
 * the reference PDS, timing {@code getSession()} calls on command. It speaks the same
 * line protocol as {@code sdk-harness/driver.js}: {@code READY} once logged in, then
 * {@code seq N} and {@code conc C K}, each answered by
 * {@code RESULT wallNanos=.. failed=.. firstFailure=.. nanos=n1,n2,...}.
 * <p>
 * Modes: {@code plain-default} (the client as {@code AtprotoClient.builder()} builds it:
 * {@link AtprotoHttpClients}, queries on {@code HttpURLConnection}), {@code plain-jdk}
 * (the client on the JDK client at HTTP/1.1 for everything,
 * {@link XrpcHttp#jdkRequestFactory}: the default before issue 16),
 * {@code starter-default} (the starter's client bean in a Spring Boot application with
 * nothing but the starter: what {@link AtprotoRequestFactories#forAtprotoClient}
 * chooses), {@code starter-boot} (the same application with {@code
 * spring.http.clients.imperative.factory=jdk}: Boot's JDK client, what the starter used
 * before issue 16), {@code plain-apache} (the client on Apache HttpClient 5 with a pool
 * of 256 connections per host, for comparison; its JVM has Apache HttpClient on the class
 * path).
 */
public final class ClientDriver {

	private ClientDriver() {
	}

	/**
	 * Runs the driver.
	 * @param args {@code --mode=M --service=URL --identifier=H --password=P}
	 * @throws IOException if standard input fails
	 */
	public static void main(String[] args) throws IOException {
		Options options = Options.parse(args, null);
		String mode = options.required("mode");
		String service = options.required("service");
		String identifier = options.required("identifier");
		String password = options.required("password");
		ConfigurableApplicationContext context = null;
		AtprotoClient client;
		switch (mode) {
			case "plain-default" ->
				client = AtprotoClient.builder().service(service).credentials(identifier, password).build();
			case "plain-jdk" -> client = AtprotoClient.builder()
				.service(service)
				.restClientBuilder(RestClient.builder()
					.requestFactory(XrpcHttp.jdkRequestFactory(XrpcHttp.DEFAULT_CONNECT_TIMEOUT,
							XrpcHttp.DEFAULT_READ_TIMEOUT)))
				.credentials(identifier, password)
				.build();
			case "plain-apache" -> client = AtprotoClient.builder()
				.service(service)
				.restClientBuilder(RestClient.builder().requestFactory(Transport.APACHE_256.create()))
				.credentials(identifier, password)
				.build();
			case "starter-boot", "starter-default" -> {
				context = start(service, identifier, password, mode.equals("starter-boot"));
				client = context.getBean(AtprotoClient.class);
			}
			default -> throw new IllegalArgumentException("Unknown mode " + mode);
		}
		client.ensureSession();
		Map<String, Object> ready = new LinkedHashMap<>();
		ready.put("mode", mode);
		if (context != null) {
			ready.put("bootDetected", factoryOf(context));
		}
		ready.put("requestFactory", requestFactoryOf(client));
		ChildJvm.answer("READY", ready);
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String[] parts = line.strip().split("\\s+");
			Load load;
			if (parts[0].equals("seq")) {
				load = Load.run(1, Integer.parseInt(parts[1]), client::getSession, 600);
			}
			else if (parts[0].equals("conc")) {
				load = Load.run(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), client::getSession, 600);
			}
			else {
				continue;
			}
			StringJoiner nanos = new StringJoiner(",");
			for (int i = 0; i < load.count(); i++) {
				nanos.add(Long.toString(load.nanos()[i]));
			}
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("wallNanos", load.wallNanos());
			result.put("failed", load.failed());
			result.put("firstFailure",
					(load.firstFailure() != null) ? load.firstFailure().replaceAll("\\s+", "_") : "-");
			result.put("nanos", nanos);
			ChildJvm.answer("RESULT", result);
		}
		if (context != null) {
			context.close();
		}
		System.exit(0);
	}

	/**
	 * An application with the starter and nothing else; with {@code bootsJdkClient}, it
	 * chooses Boot's JDK client ({@code spring.http.clients.imperative.factory=jdk}).
	 */
	private static ConfigurableApplicationContext start(String service, String identifier, String password,
			boolean bootsJdkClient) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off",
				"--spring.main.log-startup-info=false", "--atproto.session.store=memory",
				"--atproto.service=" + service, "--atproto.handle=" + identifier, "--atproto.password=" + password));
		if (bootsJdkClient) {
			args.add("--spring.http.clients.imperative.factory=jdk");
		}
		return builder.run(args.toArray(String[]::new));
	}

	/**
	 * The class of the request factory under the client's RestClient (read by reflection:
	 * the client does not expose it, and the benchmark only prints it).
	 */
	private static String requestFactoryOf(AtprotoClient client) {
		try {
			Object xrpc = field(client, "xrpc");
			RestClient rest = (RestClient) field(xrpc, "rest");
			Object factory = field(rest, "clientRequestFactory");
			while (factory instanceof org.springframework.http.client.AbstractClientHttpRequestFactoryWrapper) {
				factory = field(factory, "requestFactory");
			}
			return factory.getClass().getName().replace("org.springframework.http.client.", "");
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return "unknown";
		}
	}

	private static Object field(Object target, String name) throws ReflectiveOperationException {
		Class<?> type = target.getClass();
		while (type != null) {
			try {
				java.lang.reflect.Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(target);
			}
			catch (NoSuchFieldException ex) {
				type = type.getSuperclass();
			}
		}
		throw new NoSuchFieldException(name);
	}

	/** The kind of request factory Boot detected in this JVM. */
	private static String factoryOf(ConfigurableApplicationContext context) {
		return context.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
			.getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect())
			.getClass()
			.getSimpleName();
	}

}
