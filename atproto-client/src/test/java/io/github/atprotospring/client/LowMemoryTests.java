package io.github.atprotospring.client;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers of 2 GiB in a JVM with a 128 MiB heap: the client reads a few KB of an error
 * body and up to its limit of an answer, never the whole, so none of them exhausts the
 * heap. The test forks a JVM with {@code -Xmx128m} that runs {@link HugeBodyProbe}.
 */
class LowMemoryTests {

	@Test
	void answersOfTwoGibibytesEndInAnExceptionInA128MibHeap(@TempDir Path dir) throws Exception {
		Path output = dir.resolve("probe.txt");
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		Process process = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp",
				System.getProperty("java.class.path"), HugeBodyProbe.class.getName()))
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		boolean ended = process.waitFor(3, TimeUnit.MINUTES);
		if (!ended) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		System.out.println("HugeBodyProbe at -Xmx128m:" + System.lineSeparator() + printed);

		assertThat(ended).as("the probe ended; it printed:%n%s", printed).isTrue();
		assertThat(process.exitValue()).as("the probe's exit code; it printed:%n%s", printed).isZero();
		assertThat(printed).contains("createSession (500): ok: com.atproto.server.createSession failed: 500",
				"refreshSession (200): ok: com.atproto.server.refreshSession failed: 200 InvalidResponse",
				"getSession (400): ok: com.atproto.server.getSession failed: 400",
				"getRecord (200, chunked): ok: com.atproto.repo.getRecord failed: 200 InvalidResponse",
				"listRecords (500, chunked): ok: com.atproto.repo.listRecords failed: 500");
	}

}
