package io.github.atprotospring.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml} publishes its services on the loopback interface only:
 * PostgreSQL's password and the PDS's admin password are in the file for everyone to
 * read.
 */
class DockerComposeTests {

	private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

	@Test
	void everyPublishedPortIsBoundToLoopback() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE_FILE));
		Map<String, Map<String, Object>> services = map(compose.get("services"));
		List<String> published = new ArrayList<>();
		services.forEach((name, service) -> {
			assertThat(service.get("network_mode")).as(name + ": host networking publishes every port")
				.isNotEqualTo("host");
			for (Object port : list(service.get("ports"))) {
				assertThat(hostIp(port)).as(name + " publishes " + port).isEqualTo("127.0.0.1");
				published.add(name);
			}
		});
		assertThat(published).contains("postgres", "pds");
	}

	/**
	 * The host address of a port entry, in its short form
	 * ({@code [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]}) or its long one; an entry
	 * without one is published on every interface.
	 */
	private static String hostIp(Object port) {
		if (port instanceof Map<?, ?> longForm) {
			Object hostIp = longForm.get("host_ip");
			return (hostIp != null) ? hostIp.toString() : "every interface";
		}
		String spec = port.toString().split("/", 2)[0];
		if (spec.startsWith("[")) {
			return spec.substring(1, spec.indexOf(']'));
		}
		String[] parts = spec.split(":");
		return (parts.length == 3) ? parts[0] : "every interface";
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> map(Object value) {
		return (Map<String, Map<String, Object>>) value;
	}

	private static List<Object> list(Object value) {
		return (value != null) ? castList(value) : List.of();
	}

	@SuppressWarnings("unchecked")
	private static List<Object> castList(Object value) {
		return (List<Object>) value;
	}

}
