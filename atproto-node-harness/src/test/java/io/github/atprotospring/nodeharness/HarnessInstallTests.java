package io.github.atprotospring.nodeharness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache key of a harness install: what must install afresh does, and what may share
 * an install does.
 */
class HarnessInstallTests {

	private static final NodeRuntime NODE_20 = new NodeRuntime(Path.of("/usr/bin/node"), Path.of("/usr/bin/npm"),
			"v20.20.2", null);

	@Test
	void theSameLockfileAndNodeShareOneInstallWhereverTheHarnessLies(@TempDir Path dir) throws IOException {
		Path one = harness(dir.resolve("atproto-e2e/pds-harness"), "{\"lockfileVersion\":3}");
		Path other = harness(dir.resolve("clone/atproto-e2e/pds-harness"), "{\"lockfileVersion\":3}");
		assertThat(HarnessInstall.key(NODE_20, one)).hasSize(16).isEqualTo(HarnessInstall.key(NODE_20, other));
	}

	@Test
	void aNewLockfileOrANewNodeInstallsAfresh(@TempDir Path dir) throws IOException {
		Path harness = harness(dir.resolve("pds-harness"), "{\"lockfileVersion\":3}");
		String key = HarnessInstall.key(NODE_20, harness);
		NodeRuntime node22 = new NodeRuntime(NODE_20.node(), NODE_20.npm(), "v22.23.3", null);
		assertThat(HarnessInstall.key(node22, harness)).isNotEqualTo(key);
		Files.writeString(harness.resolve("package-lock.json"), "{\"lockfileVersion\":3,\"packages\":{}}");
		assertThat(HarnessInstall.key(NODE_20, harness)).isNotEqualTo(key);
	}

	@Test
	void theCacheLiesOutsideTheWorkTreeUnderTheHarnessName() {
		Path root = HarnessInstall.cacheRoot("sdk-harness");
		assertThat(root).isAbsolute();
		if (System.getProperty("atproto.e2e.cache") == null && System.getenv("ATPROTO_E2E_CACHE") == null) {
			assertThat(root).endsWith(Path.of("atproto-spring-boot", "sdk-harness"));
		}
	}

	private static Path harness(Path dir, String lockfile) throws IOException {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("package.json"), "{\"name\":\"pds-harness\",\"private\":true}");
		Files.writeString(dir.resolve("package-lock.json"), lockfile);
		return dir;
	}

}
