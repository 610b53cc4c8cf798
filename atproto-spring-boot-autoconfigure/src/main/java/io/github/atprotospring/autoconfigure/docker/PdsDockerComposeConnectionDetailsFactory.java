package io.github.atprotospring.autoconfigure.docker;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Makes the {@link AtprotoConnectionDetails} of a PDS that Spring Boot's Docker Compose
 * support started: a service of the image {@code ghcr.io/bluesky-social/pds} (any tag),
 * or of another image labelled {@code org.springframework.boot.service-connection:
 * ghcr.io/bluesky-social/pds}. The service is reached on the host port published for the
 * container's {@code PDS_PORT} (3000 unless the service sets it), over plain http as the
 * image serves it.
 */
class PdsDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<AtprotoConnectionDetails> {

	static final String IMAGE = "ghcr.io/bluesky-social/pds";

	private static final int DEFAULT_PDS_PORT = 3000;

	PdsDockerComposeConnectionDetailsFactory() {
		super(IMAGE);
	}

	@Override
	protected AtprotoConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new PdsDockerComposeConnectionDetails(source.getRunningService());
	}

	/**
	 * The service URL of a running PDS container.
	 */
	static final class PdsDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements AtprotoConnectionDetails {

		private final String service;

		PdsDockerComposeConnectionDetails(RunningService service) {
			super(service);
			int port = service.ports().get(containerPort(service));
			this.service = "http://" + service.host() + ":" + port;
		}

		private static int containerPort(RunningService service) {
			String configured = service.env().get("PDS_PORT");
			if (configured == null || configured.isBlank()) {
				return DEFAULT_PDS_PORT;
			}
			try {
				return Integer.parseInt(configured.strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("The PDS service '" + service.name()
						+ "' has a PDS_PORT that is not a port number: '" + configured + "'");
			}
		}

		@Override
		public String getService() {
			return this.service;
		}

	}

}
