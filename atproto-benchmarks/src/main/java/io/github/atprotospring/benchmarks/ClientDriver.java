package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import io.github.atprotospring.autoconfigure.AtprotoRequestFactories;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoHttpClients;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
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
 * Modes: {@code plain-jdk} (the client as {@code AtprotoClient.builder()} builds it
 * today: the JDK client on HTTP/1.1), {@code plain-default} (the client on
 * {@link AtprotoHttpClients#requestFactory}, wired by hand as the client's default will
 * be), {@code starter-boot} (the starter's client bean in a Spring Boot application, on
 * the factory Boot detects, as today), {@code starter-default} (the same application with
 * the client bean built as the auto-configuration will build it, on
 * {@link AtprotoRequestFactories#forAtprotoClient}), {@code plain-apache} (the client on
 * Apache HttpClient 5 with a pool of 256 connections per host, for comparison; its JVM
 * has Apache HttpClient on the class path).
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
			case "plain-jdk" ->
				client = AtprotoClient.builder().service(service).credentials(identifier, password).build();
			case "plain-default" -> client = AtprotoClient.builder()
				.service(service)
				.restClientBuilder(RestClient.builder()
					.requestFactory(AtprotoHttpClients.requestFactory(AtprotoHttpClients.DEFAULT_CONNECT_TIMEOUT,
							AtprotoHttpClients.DEFAULT_READ_TIMEOUT)))
				.credentials(identifier, password)
				.build();
			case "plain-apache" -> client = AtprotoClient.builder()
				.service(service)
				.restClientBuilder(RestClient.builder().requestFactory(Transport.APACHE_256.create()))
				.credentials(identifier, password)
				.build();
			case "starter-boot", "starter-default" -> {
				context = start(service, identifier, password, mode.equals("starter-default"));
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
	 * An application with the starter and nothing else; with {@code wired}, its client
	 * bean is built as the auto-configuration will build it once the new default is wired
	 * in: on Boot's {@code RestClient.Builder}, with the request factory that
	 * {@link AtprotoRequestFactories} chooses from Boot's builder and settings.
	 */
	private static ConfigurableApplicationContext start(String service, String identifier, String password,
			boolean wired) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE);
		if (wired) {
			builder.initializers(
					(GenericApplicationContext context) -> context.registerBean("atprotoClient", AtprotoClient.class,
							() -> AtprotoClient.builder()
								.service(service)
								.restClientBuilder(context.getBean(RestClient.Builder.class)
									.requestFactory(wiredFactory(context.getBeanFactory())))
								.credentials(identifier, password)
								.build()));
		}
		return builder.run("--spring.main.banner-mode=off", "--spring.main.log-startup-info=false",
				"--atproto.session.store=memory", "--atproto.service=" + service, "--atproto.handle=" + identifier,
				"--atproto.password=" + password);
	}

	private static ClientHttpRequestFactory wiredFactory(ConfigurableListableBeanFactory beans) {
		return AtprotoRequestFactories.forAtprotoClient(beans.getBean(ClientHttpRequestFactoryBuilder.class),
				beans.getBean(HttpClientSettings.class), AtprotoRequestFactories.applicationChoseFactory(beans));
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
