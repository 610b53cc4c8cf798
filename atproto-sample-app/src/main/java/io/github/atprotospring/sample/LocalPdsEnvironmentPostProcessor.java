package io.github.atprotospring.sample;

import java.nio.file.Path;
import java.util.Map;

import io.github.atprotospring.test.PdsDouble;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * When no account is configured ({@code BLUESKY_HANDLE} unset), starts a local in-process
 * PDS (the PDS double of atproto-test) with a demo account and points the starter at it,
 * so that the sample runs on a fresh machine with no credentials. The double keeps its
 * state in a file, so a restart of the sample resumes the stored session against it as it
 * would against Bluesky.
 * <p>
 * This is demo scaffolding: an application of your own needs nothing like it.
 */
public class LocalPdsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String DEMO_HANDLE = "demo.test";

	static final String DEMO_PASSWORD = "demo-app-password";

	private final Log logger;

	public LocalPdsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(LocalPdsEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("atproto.handle"))
				|| !environment.getProperty("atproto.enabled", Boolean.class, true)) {
			return;
		}
		int port = environment.getProperty("sample.local-pds.port", Integer.class, 2583);
		Path stateFile = Path.of(environment.getProperty("sample.local-pds.state-file", "./data/local-pds.json"));
		PdsDouble pds = PdsDouble.builder().port(port).stateFile(stateFile).start();
		if (pds.findAccount(DEMO_HANDLE).isEmpty()) {
			pds.createAccount(DEMO_HANDLE, "demo@example.test", DEMO_PASSWORD);
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("localPds", Map.of("atproto.service", pds.url(), "atproto.handle",
					DEMO_HANDLE, "atproto.password", DEMO_PASSWORD, "sample.local-pds.active", "true")));
		application.addListeners((event) -> {
			if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
				pds.close();
			}
		});
		this.logger.warn("No BLUESKY_HANDLE is set: the sample runs against a LOCAL in-process PDS at " + pds.url()
				+ " with the demo account " + DEMO_HANDLE + " (state in " + stateFile.toAbsolutePath().normalize()
				+ "). Set BLUESKY_HANDLE and BLUESKY_APP_PASSWORD to use Bluesky.");
	}

}
