package io.github.atprotospring.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ```java} block of README.md is one of this module's example files, whole
 * (imports included), up to whitespace; and every file the README is meant to show is
 * shown. So the README's Java compiles as given and runs in the build, and a change on
 * either side without the other fails here.
 */
class ReadmeCodeBlocksTests {

	/** The example files the README shows, relative to this module's {@code src}. */
	private static final List<String> SHOWN = List.of("main/java/com/example/bot/Greeter.java",
			"main/java/com/example/bot/ProfileReader.java", "main/java/com/example/bot/SessionLogger.java",
			"main/java/com/example/bot/Poster.java", "main/java/com/example/fleet/Fleet.java",
			"test/java/com/example/bot/GreeterTests.java");

	private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\n(.*?)^```",
			Pattern.DOTALL | Pattern.MULTILINE);

	private static final Path README = Path.of(System.getProperty("atproto.readme", "../README.md"));

	private static final Path EXAMPLES = Path.of(System.getProperty("atproto.readme.examples", "src"));

	@Test
	void everyJavaBlockOfTheReadmeIsAnExampleFile() throws IOException {
		Map<String, String> examples = examples();
		List<String> blocks = javaBlocks();
		assertThat(blocks).isNotEmpty();
		List<String> shown = new ArrayList<>();
		for (String block : blocks) {
			String file = examples.get(normalise(block));
			assertThat(file)
				.as("README block matches no example file under %s (or differs from it):%n%s", EXAMPLES, block)
				.isNotNull();
			shown.add(file);
		}
		assertThat(shown).as("README's Java blocks, as example files").containsExactlyInAnyOrderElementsOf(SHOWN);
	}

	private static List<String> javaBlocks() throws IOException {
		Matcher matcher = JAVA_BLOCK.matcher(Files.readString(README).replace("\r\n", "\n"));
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
	}

	/** Every Java file of the module, by its normalised text. */
	private static Map<String, String> examples() throws IOException {
		Map<String, String> examples = new LinkedHashMap<>();
		try (Stream<Path> files = Files.walk(EXAMPLES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				examples.put(normalise(Files.readString(file)),
						EXAMPLES.relativize(file).toString().replace('\\', '/'));
			}
		}
		return examples;
	}

	/**
	 * Whitespace runs as one space, none at the ends: indentation and wrapping may
	 * differ.
	 */
	private static String normalise(String code) {
		return code.strip().replaceAll("\\s+", " ");
	}

}
