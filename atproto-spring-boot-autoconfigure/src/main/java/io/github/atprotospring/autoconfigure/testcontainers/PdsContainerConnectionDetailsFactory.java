package io.github.atprotospring.autoconfigure.testcontainers;

import java.util.Map;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import org.testcontainers.containers.Container;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * Makes the {@link AtprotoConnectionDetails} of a Testcontainers container of the image
 * {@code ghcr.io/bluesky-social/pds} marked {@code @ServiceConnection} (or of another
 * image with {@code @ServiceConnection(name = "bluesky-social/pds")}): the service is the
 * container's host and the port mapped to its {@code PDS_PORT} (3000 unless the container
 * sets it), over plain http as the image serves it.
 */
class PdsContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<Container<?>, AtprotoConnectionDetails> {

	static final String CONNECTION_NAME = "bluesky-social/pds";

	private static final int DEFAULT_PDS_PORT = 3000;

	PdsContainerConnectionDetailsFactory() {
		super(CONNECTION_NAME);
	}

	@Override
	protected AtprotoConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
		return new PdsContainerConnectionDetails(source);
	}

	/**
	 * The service URL of a PDS container, read when it is asked for (the container is
	 * started by then).
	 */
	static final class PdsContainerConnectionDetails extends ContainerConnectionDetails<Container<?>>
			implements AtprotoConnectionDetails {

		PdsContainerConnectionDetails(ContainerConnectionSource<Container<?>> source) {
			super(source);
		}

		@Override
		public String getService() {
			Container<?> container = getContainer();
			return "http://" + container.getHost() + ":" + container.getMappedPort(pdsPort(container.getEnvMap()));
		}

		private static int pdsPort(Map<String, String> env) {
			String configured = (env != null) ? env.get("PDS_PORT") : null;
			if (configured == null || configured.isBlank()) {
				return DEFAULT_PDS_PORT;
			}
			try {
				return Integer.parseInt(configured.strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException(
						"The PDS container has a PDS_PORT that is not a port number: '" + configured + "'");
			}
		}

	}

}
