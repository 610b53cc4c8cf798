package io.github.atprotospring.lexicon.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * The build step: {@code Generate <local Maven repository> <output directory>} writes the
 * typed API generated from {@link LexiconPackage#ATPROTO_API} under the output directory.
 * A file is written only when its text changed (so that the compiler does not redo
 * unchanged work), and generated files that are no longer generated are deleted.
 */
public final class Generate {

	private Generate() {
	}

	/**
	 * Runs the generator.
	 * @param args the local Maven repository (the package's cache is kept there) and the
	 * output directory
	 */
	public static void main(String[] args) {
		if (args.length != 2) {
			throw new IllegalArgumentException(
					"Usage: Generate <local Maven repository> <output directory>, but was " + Arrays.toString(args));
		}
		Path cache = LexiconPackage.cacheIn(Path.of(args[0]));
		LexiconPackage source = LexiconPackage.ATPROTO_API;
		SortedMap<String, String> files = new JavaGenerator(source.documents(cache), source).generate();
		int written = write(Path.of(args[1]), files);
		if (written > 0) {
			// Said only when something changed, so that a quiet build stays quiet.
			System.out.println("atproto-lexicon-generator: " + written + " of " + files.size()
					+ " sources written from " + source.name() + "@" + source.version());
		}
	}

	/**
	 * Writes generated sources into a directory, leaving unchanged files untouched and
	 * deleting the files of the generated package that are not among them.
	 * @param output the source root
	 * @param files the sources by relative path
	 * @return how many files were written
	 */
	public static int write(Path output, Map<String, String> files) {
		try {
			int written = 0;
			for (Map.Entry<String, String> file : files.entrySet()) {
				Path path = output.resolve(file.getKey());
				byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
				if (Files.isRegularFile(path) && Arrays.equals(Files.readAllBytes(path), content)) {
					continue;
				}
				Files.createDirectories(path.getParent());
				Files.write(path, content);
				written++;
			}
			Path dir = output.resolve(JavaGenerator.PACKAGE.replace('.', '/'));
			if (Files.isDirectory(dir)) {
				List<Path> stale;
				try (Stream<Path> existing = Files.list(dir)) {
					stale = existing
						.filter((path) -> !files.containsKey(
								output.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/")))
						.toList();
				}
				for (Path path : stale) {
					Files.delete(path);
				}
			}
			return written;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The generated sources could not be written to " + output, ex);
		}
	}

}
