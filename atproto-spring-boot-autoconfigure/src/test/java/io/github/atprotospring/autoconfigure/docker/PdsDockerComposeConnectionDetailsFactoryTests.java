package io.github.atprotospring.autoconfigure.docker;

import java.util.List;
import java.util.Map;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The PDS service of a {@code docker-compose.yml} as Spring Boot's Docker Compose support
 * reports it (no Docker engine here: the running service is a mock): the official image
 * is recognised by its name, in any registry form and tag, and reached on the host port
 * published for the container's PDS port.
 */
class PdsDockerComposeConnectionDetailsFactoryTests {

	final PdsDockerComposeConnectionDetailsFactory factory = new PdsDockerComposeConnectionDetailsFactory();

	@Test
	void thePdsImageOfTheComposeFileIsTheServiceOnItsPublishedPort() {
		RunningService pds = service("ghcr.io/bluesky-social/pds:0.4", Map.of("PDS_PORT", "3000"), Map.of(), 3000,
				53000);
		AtprotoConnectionDetails details = this.factory.getConnectionDetails(source(pds));
		assertThat(details).isNotNull();
		assertThat(details.getService()).isEqualTo("http://127.0.0.1:53000");
	}

	@Test
	void withoutPdsPortTheContainerPortIs3000() {
		RunningService pds = service("ghcr.io/bluesky-social/pds", Map.of(), Map.of(), 3000, 49152);
		assertThat(this.factory.getConnectionDetails(source(pds)).getService()).isEqualTo("http://127.0.0.1:49152");
	}

	@Test
	void anotherPdsPortIsFollowed() {
		RunningService pds = service("ghcr.io/bluesky-social/pds:latest", Map.of("PDS_PORT", "2583"), Map.of(), 2583,
				40001);
		assertThat(this.factory.getConnectionDetails(source(pds)).getService()).isEqualTo("http://127.0.0.1:40001");
	}

	@Test
	void anImageOfAnotherNameIsAPdsOnlyWhenLabelledOne() {
		RunningService postgres = service("postgres:17-alpine", Map.of(), Map.of(), 5432, 5432);
		assertThat(this.factory.getConnectionDetails(source(postgres))).isNull();
		RunningService labelled = service("example/my-pds:1", Map.of(),
				Map.of("org.springframework.boot.service-connection", "ghcr.io/bluesky-social/pds"), 3000, 50000);
		assertThat(this.factory.getConnectionDetails(source(labelled)).getService())
			.isEqualTo("http://127.0.0.1:50000");
	}

	@Test
	void aPdsPortThatIsNoNumberIsReported() {
		RunningService pds = service("ghcr.io/bluesky-social/pds:0.4", Map.of("PDS_PORT", "three thousand"), Map.of(),
				3000, 53000);
		assertThatIllegalStateException().isThrownBy(() -> this.factory.getConnectionDetails(source(pds)))
			.withMessageContaining("PDS_PORT that is not a port number: 'three thousand'");
	}

	@Test
	void theFactoryIsRegisteredForSpringBoot() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ConnectionDetailsFactory.class))
			.hasAtLeastOneElementOfType(PdsDockerComposeConnectionDetailsFactory.class);
	}

	private static DockerComposeConnectionSource source(RunningService service) {
		DockerComposeConnectionSource source = mock(DockerComposeConnectionSource.class);
		given(source.getRunningService()).willReturn(service);
		given(source.getEnvironment()).willReturn(new MockEnvironment());
		return source;
	}

	private static RunningService service(String image, Map<String, String> env, Map<String, String> labels,
			int containerPort, int hostPort) {
		RunningService service = mock(RunningService.class);
		ConnectionPorts ports = mock(ConnectionPorts.class);
		given(ports.get(containerPort)).willReturn(hostPort);
		given(ports.getAll()).willReturn(List.of(hostPort));
		given(service.name()).willReturn("pds");
		given(service.image()).willReturn(ImageReference.of(image));
		given(service.host()).willReturn("127.0.0.1");
		given(service.ports()).willReturn(ports);
		given(service.env()).willAnswer((invocation) -> env);
		given(service.labels()).willReturn(labels);
		return service;
	}

}
