package io.github.atprotospring.benchmarks;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by the harness with the same {@code java} and class path as its own,
 * spoken to by lines: the parent writes commands to its standard input, and it answers on
 * its standard output with lines that start with {@link #MARK}. Anything else it prints
 * (its log goes to standard error) ends up in its log file.
 */
final class ChildJvm implements AutoCloseable {

	/** The start of every answer line of a child. */
	static final String MARK = "@@bench ";

	private static final String EOF = "\u0000eof";

	private final String name;

	private final Process process;

	private final BufferedWriter input;

	private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

	private final Path log;

	private ChildJvm(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.input = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
		Thread reader = new Thread(this::readAnswers, name + "-stdout");
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts {@code main} in a new JVM.
	 * @param name a name for messages and the reader thread
	 * @param main the class whose {@code main} runs
	 * @param jvmArgs options for the JVM, such as {@code -Xmx1g}
	 * @param args the program's arguments
	 * @param log the file its standard error (and any stray output) is appended to
	 * @return the running JVM
	 */
	static ChildJvm start(String name, Class<?> main, List<String> jvmArgs, List<String> args, Path log) {
		return start(name, main, System.getProperty("java.class.path"), jvmArgs, args, log);
	}

	/**
	 * Starts {@code main} in a new JVM on the given class path.
	 * @param name a name for messages and the reader thread
	 * @param main the class whose {@code main} runs
	 * @param classPath the class path
	 * @param jvmArgs options for the JVM, such as {@code -Xmx1g}
	 * @param args the program's arguments
	 * @param log the file its standard error (and any stray output) is appended to
	 * @return the running JVM
	 */
	static ChildJvm start(String name, Class<?> main, String classPath, List<String> jvmArgs, List<String> args,
			Path log) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmArgs);
		command.add("-cp");
		command.add(classPath);
		command.add(main.getName());
		command.addAll(args);
		return startCommand(name, command, log);
	}

	/**
	 * Starts any program that speaks the same line protocol (answers on its standard
	 * output marked with {@link #MARK}, commands on its standard input).
	 * @param name a name for messages and the reader thread
	 * @param command the program and its arguments
	 * @param log the file its standard error (and any stray output) is appended to
	 * @return the running program
	 */
	static ChildJvm startCommand(String name, List<String> command, Path log) {
		try {
			Files.createDirectories(log.toAbsolutePath().getParent());
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			return new ChildJvm(name, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the JVM " + name, ex);
		}
	}

	String name() {
		return this.name;
	}

	Path log() {
		return this.log;
	}

	/** Sends one command line. */
	void send(String line) {
		try {
			this.input.write(line);
			this.input.newLine();
			this.input.flush();
		}
		catch (IOException ex) {
			throw new IllegalStateException(
					this.name + " does not take commands any more (" + ex.getMessage() + "); see its log " + this.log,
					ex);
		}
	}

	/**
	 * Waits for the next answer, which must start with {@code word}.
	 * @return its fields ({@code key=value} pairs after the word)
	 * @throws IllegalStateException if the JVM ended, answered something else, or took
	 * longer than {@code timeout}
	 */
	Map<String, String> expect(String word, Duration timeout) {
		String line;
		try {
			line = this.answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + this.name, ex);
		}
		if (line == null) {
			throw new IllegalStateException(this.name + " did not answer " + word + " within " + timeout.toSeconds()
					+ " s; see its log " + this.log);
		}
		if (line == EOF) {
			throw new IllegalStateException(
					this.name + " ended before answering " + word + "; see its log " + this.log);
		}
		String[] parts = line.split(" ");
		if (!parts[0].equals(word)) {
			throw new IllegalStateException(
					this.name + " answered '" + line + "' instead of " + word + "; see its log " + this.log);
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			int eq = parts[i].indexOf('=');
			if (eq > 0) {
				fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
			}
		}
		return fields;
	}

	/**
	 * Waits for the JVM to end by itself, and ends it if it does not.
	 */
	/**
	 * CPU time the child has used so far (all its threads), or zero where the platform
	 * does not tell.
	 */
	Duration cpu() {
		return ProcessCpu.of(this.process.toHandle());
	}

	/** The part of {@link #cpu()} spent in the kernel, or zero where that is not told. */
	Duration systemCpu() {
		return ProcessCpu.system(this.process.toHandle());
	}

	@Override
	public void close() {
		try {
			this.input.close();
		}
		catch (IOException ex) {
			// it may have ended already
		}
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroy();
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
				}
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private void readAnswers() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith(MARK)) {
					this.answers.add(line.substring(MARK.length()));
				}
				else {
					Files.writeString(this.log, line + System.lineSeparator(), StandardOpenOption.CREATE,
							StandardOpenOption.APPEND);
				}
			}
		}
		catch (IOException ex) {
			// the JVM ended
		}
		finally {
			this.answers.add(EOF);
		}
	}

	/**
	 * Prints an answer line, from the child's side.
	 * @param word what the answer is
	 * @param fields its fields, written {@code key=value} (values without spaces)
	 */
	static void answer(String word, Map<String, ?> fields) {
		StringBuilder line = new StringBuilder(MARK).append(word);
		fields.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
		System.out.println(line);
		System.out.flush();
	}

}
