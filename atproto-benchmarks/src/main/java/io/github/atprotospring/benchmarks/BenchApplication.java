package io.github.atprotospring.benchmarks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.SessionCoordinator;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The application the restart and cluster benchmarks start: nothing of its own,
 * everything from auto-configuration, as an application that only adds the starter would
 * be (DataSource, JPA, the starter's JPA session store and Flyway schema, Boot's
 * RestClient.Builder, the AtprotoClient).
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class BenchApplication {

	/**
	 * Starts the application.
	 * @param properties configuration, passed as command-line arguments so that nothing
	 * in the environment overrides it
	 * @param clock a {@link Clock} bean for the starter, or {@code null} for none (the
	 * system clock)
	 * @param events the listener of session events
	 * @param coordinated {@code false} to give the client
	 * {@link SessionCoordinator#local()} as a primary bean, which replaces the
	 * coordination through the database: each instance then refreshes on its own
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(Map<String, String> properties, Clock clock, EventCounter events,
			boolean coordinated) {
		List<String> args = new ArrayList<>();
		args.add("--spring.main.banner-mode=off");
		args.add("--spring.main.log-startup-info=false");
		args.add("--spring.jpa.hibernate.ddl-auto=validate");
		args.add("--spring.jpa.open-in-view=false");
		// No call waits for ever (and a refresh holds the session row's lock for one call
		// at most this long).
		args.add("--spring.http.clients.connect-timeout=" + Http.TIMEOUT.toSeconds() + "s");
		args.add("--spring.http.clients.read-timeout=" + Http.TIMEOUT.toSeconds() + "s");
		properties.forEach((key, value) -> args.add("--" + key + "=" + value));
		SpringApplicationBuilder builder = new SpringApplicationBuilder(BenchApplication.class)
			.web(WebApplicationType.NONE)
			.listeners(events);
		if (clock != null || !coordinated) {
			builder.initializers(new Beans(clock, coordinated));
		}
		return builder.run(args.toArray(String[]::new));
	}

	/**
	 * Registers the benchmark's clock as the unique {@link Clock} bean, which the starter
	 * uses, and the local coordinator when asked to.
	 */
	private static final class Beans implements ApplicationContextInitializer<GenericApplicationContext> {

		private final Clock clock;

		private final boolean coordinated;

		Beans(Clock clock, boolean coordinated) {
			this.clock = clock;
			this.coordinated = coordinated;
		}

		@Override
		public void initialize(GenericApplicationContext context) {
			if (this.clock != null) {
				context.registerBean("benchmarkClock", Clock.class, () -> this.clock);
			}
			if (!this.coordinated) {
				context.registerBean("benchmarkLocalCoordinator", SessionCoordinator.class, SessionCoordinator::local,
						(definition) -> definition.setPrimary(true));
			}
		}

	}

}
