package io.github.atprotospring.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's arguments: benchmark names, and options written {@code --name=value}.
 * {@code --scale} multiplies every call count (not thread counts), so that
 * {@code --scale=0.05} gives a quick run.
 */
final class Options {

	private final List<String> names;

	private final Map<String, String> values;

	private Options(List<String> names, Map<String, String> values) {
		this.names = names;
		this.values = values;
	}

	/**
	 * Parses arguments.
	 * @param args the arguments
	 * @param known the option names allowed ({@code null} for any)
	 * @return the options
	 * @throws IllegalArgumentException for an unknown option or one without a value
	 */
	static Options parse(String[] args, Set<String> known) {
		List<String> names = new ArrayList<>();
		Map<String, String> values = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.isBlank()) {
				continue;
			}
			if (!arg.startsWith("--")) {
				names.add(arg.strip());
				continue;
			}
			int eq = arg.indexOf('=');
			if (eq < 0) {
				throw new IllegalArgumentException("Option " + arg + " needs a value: " + arg + "=<value>");
			}
			String name = arg.substring(2, eq);
			if (known != null && !known.contains(name)) {
				throw new IllegalArgumentException("Unknown option --" + name);
			}
			values.put(name, arg.substring(eq + 1));
		}
		return new Options(names, values);
	}

	List<String> names() {
		return this.names;
	}

	String string(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	String required(String name) {
		String value = this.values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing option --" + name);
		}
		return value;
	}

	int integer(String name, int fallback) {
		String value = this.values.get(name);
		if (value == null) {
			return fallback;
		}
		try {
			int parsed = Integer.parseInt(value.strip().replace("_", "").replace(",", ""));
			if (parsed < 0) {
				throw new NumberFormatException();
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a whole number >= 0, but was " + value);
		}
	}

	double scale() {
		String value = this.values.get("scale");
		if (value == null) {
			return 1.0;
		}
		try {
			double parsed = Double.parseDouble(value.strip());
			if (!(parsed > 0)) {
				throw new NumberFormatException();
			}
			return parsed;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--scale must be a number > 0, but was " + value);
		}
	}

	/**
	 * A call count: the option if given (not scaled), else the default times
	 * {@link #scale()}, at least {@code min}.
	 */
	int count(String name, int fallback, int min) {
		if (this.values.containsKey(name)) {
			return Math.max(min, integer(name, fallback));
		}
		return (int) Math.max(min, Math.round(fallback * scale()));
	}

	Duration timeLimit() {
		return Duration.ofSeconds(integer("time-limit", 540));
	}

}
