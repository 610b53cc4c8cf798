package io.github.atprotospring.autoconfigure.testcontainers;

import java.util.Map;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * A container of the official PDS image marked with Spring Boot's
 * {@code @ServiceConnection}, as a test with Docker has it. No Docker engine runs here,
 * so the container is a mock whose mapped port leads to a {@code PdsDouble}: what is
 * tested is that Boot's service connection finds our factory by the image name and that
 * the client logs in where the container's port 3000 is mapped.
 */
@SpringBootTest(classes = PdsContainerServiceConnectionTests.Application.class, properties = {
		"atproto.handle=alice.test", "atproto.password=app-password-1234", "atproto.session.store=memory" })
class PdsContainerServiceConnectionTests {

	static final PdsDouble pds = PdsDouble.builder().start();

	@ServiceConnection
	static final GenericContainer<?> container = pdsContainer();

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	AtprotoConnectionDetails connectionDetails;

	@Autowired
	AtprotoClient client;

	@Test
	void theClientLogsInWhereThePdsContainersPortIsMapped() {
		assertThat(this.connectionDetails.getService()).isEqualTo("http://127.0.0.1:" + pds.port());
		assertThat(this.client.service()).isEqualTo(pds.url());
		assertThat(this.client.getSession().handle()).isEqualTo("alice.test");
	}

	@SuppressWarnings("unchecked")
	private static GenericContainer<?> pdsContainer() {
		pds.createAccount("alice.test", "alice@example.com", "app-password-1234");
		GenericContainer<?> container = mock(GenericContainer.class);
		given(container.getDockerImageName()).willReturn("ghcr.io/bluesky-social/pds:0.4");
		given(container.getHost()).willReturn("127.0.0.1");
		given(container.getMappedPort(3000)).willReturn(pds.port());
		given(container.getEnvMap()).willReturn(Map.of("PDS_PORT", "3000"));
		return container;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
