package io.github.atprotospring.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The secrets a {@link SecretsCheckExtension} looks for, and everything the run wrote
 * that it looks in. A test gets it as a parameter (of a test, a lifecycle method or a
 * constructor) and registers secrets, watches {@link PdsDouble}s so that their tokens and
 * passwords are registered as they pass, and hands over things to inspect (an exception
 * it caught, an object whose {@code toString()} it shows).
 * <p>
 * A secret is found whatever its form: as it is, inside a session string
 * ({@code handle:::did:::access:::refresh:::pds}) or a JSON document, JSON-escaped,
 * URL-encoded, and for a JWT also its signature alone (with the readable header and
 * payload it is the token). Thread-safe: logs come from every thread.
 * <p>
 * A failure names where a secret appeared and which one by its number, never the secret
 * itself, so that the report of a leak does not leak it again.
 */
public final class Secrets {

	/**
	 * Below this length a secret would be found in ordinary text by chance.
	 */
	static final int MIN_LENGTH = 6;

	/** More captured text than this is refused rather than held without bound. */
	private static final long MAX_CAPTURED_CHARS = 512L * 1024 * 1024;

	/** What is looked for: the secrets as registered, in order. */
	private final List<String> secrets = new CopyOnWriteArrayList<>();

	/** Each secret's forms, in the order of {@link #secrets}; guarded by this. */
	private final List<List<String>> forms = new ArrayList<>();

	/** Guarded by this. */
	private final List<Record> records = new ArrayList<>();

	/** Guarded by this. */
	private final List<Stream> streams = new ArrayList<>();

	/** Guarded by this. */
	private long capturedChars;

	/** Guarded by this. */
	private boolean overflowed;

	/** Guarded by this: how many records and secrets the last check covered. */
	private int checkedRecords;

	/** Guarded by this. */
	private int checkedSecrets;

	private final Set<PdsDouble> watched = Collections.newSetFromMap(new IdentityHashMap<>());

	private final List<String> tolerated = new CopyOnWriteArrayList<>();

	/** Guarded by this. */
	private int toleratedLeaks;

	Secrets() {
	}

	/**
	 * Adds secrets to look for: passwords, tokens, session strings. A secret registered
	 * late is still looked for in everything captured before.
	 * @param values the secrets; {@code null}s are ignored
	 * @return this
	 * @throws IllegalArgumentException if a secret is shorter than 6 characters: it would
	 * be found in ordinary text by chance
	 */
	public Secrets register(String... values) {
		for (String value : values) {
			if (value == null) {
				continue;
			}
			if (value.length() < MIN_LENGTH) {
				throw new IllegalArgumentException("A secret of " + value.length()
						+ " characters would be found in ordinary text by chance; use at least " + MIN_LENGTH);
			}
			add(value);
		}
		return this;
	}

	/**
	 * Registers every token a double hands out and every password it is given from now on
	 * (through {@link PdsDouble#onSecret}); a password shorter than 6 characters is not
	 * looked for. Watching a double twice changes nothing.
	 * @param pds the double
	 * @return this
	 */
	public Secrets watch(PdsDouble pds) {
		Objects.requireNonNull(pds, "pds");
		synchronized (this.watched) {
			if (!this.watched.add(pds)) {
				return this;
			}
		}
		pds.onSecret((value) -> {
			if (value.length() >= MIN_LENGTH) {
				add(value);
			}
		});
		return this;
	}

	/**
	 * Looks in things a test holds as well: an exception (with its causes and suppressed
	 * ones), a text, or any object by its {@code toString()}.
	 * @param things what to look in; {@code null}s are ignored
	 * @return this
	 */
	public Secrets inspect(Object... things) {
		for (Object thing : things) {
			if (thing instanceof Throwable thrown) {
				captureThrowable("inspected", thrown);
			}
			else if (thing != null) {
				capture("inspected " + thing.getClass().getSimpleName(), String.valueOf(thing));
			}
		}
		return this;
	}

	/**
	 * Lets the log lines of some loggers hold secrets without failing the check: for a
	 * leak known and accepted (say, a library that prints the values it binds when its
	 * DEBUG or TRACE logging is on), said in so many words where the test is written. A
	 * tolerated leak is still counted ({@link #toleratedLeaks()}); everything else,
	 * standard out and err included, is checked as before. It holds until the end of the
	 * test that says it (called from a {@code @BeforeAll} method, until the end of the
	 * first test).
	 * @param loggerPrefix the name, or the start of the names, of the loggers
	 * @param reason why the leak is accepted
	 * @return this
	 */
	public Secrets tolerate(String loggerPrefix, String reason) {
		Objects.requireNonNull(loggerPrefix, "loggerPrefix");
		if (reason == null || reason.isBlank()) {
			throw new IllegalArgumentException("Say why the leaks of " + loggerPrefix + " are tolerated");
		}
		this.tolerated.add(loggerPrefix);
		return this;
	}

	/** Ends what held for one test only: the tolerated loggers and their count. */
	synchronized void endTest() {
		this.tolerated.clear();
		this.toleratedLeaks = 0;
	}

	/**
	 * How many leaks were found in the log lines of tolerated loggers in this test so
	 * far.
	 * @return the count
	 */
	public synchronized int toleratedLeaks() {
		return this.toleratedLeaks;
	}

	/**
	 * How many secrets are registered.
	 * @return the count
	 */
	public int count() {
		return this.secrets.size();
	}

	/**
	 * Fails now if anything captured so far holds a secret; each leak is reported once.
	 * The extension does this after each test and after the class.
	 * @throws AssertionError naming each leak: where, and the secret's number
	 */
	public void assertNoLeak() {
		List<String> leaks = newLeaks();
		if (!leaks.isEmpty()) {
			throw new AssertionError(leaks.size() + " secret(s) written where none may be (each shown as <secret #n>, "
					+ "numbered in the order registered):\n" + String.join("\n", leaks));
		}
	}

	// --- capture, used by the extension

	void capture(String source, String text) {
		capture(source, null, text);
	}

	/**
	 * Keeps something the run wrote.
	 * @param source where it came from, for the report
	 * @param logger the logger that wrote it, or {@code null}
	 * @param text what was written
	 */
	void capture(String source, String logger, String text) {
		if (text == null || text.isEmpty()) {
			return;
		}
		synchronized (this) {
			if (this.overflowed) {
				return;
			}
			if (this.capturedChars + text.length() > MAX_CAPTURED_CHARS) {
				this.overflowed = true;
				return;
			}
			this.capturedChars += text.length();
			this.records.add(new Record(source, logger, text));
		}
	}

	/**
	 * An exception, its causes and its suppressed ones, each by its class and message.
	 */
	void captureThrowable(String source, Throwable thrown) {
		captureThrowable(source, null, thrown);
	}

	void captureThrowable(String source, String logger, Throwable thrown) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		List<Throwable> pending = new ArrayList<>();
		pending.add(thrown);
		while (!pending.isEmpty()) {
			Throwable next = pending.remove(pending.size() - 1);
			if (next == null || !seen.add(next)) {
				continue;
			}
			String where = source + ", " + next.getClass().getName();
			capture(where, logger, String.valueOf(next));
			capture(where, logger, next.getMessage());
			pending.add(next.getCause());
			Collections.addAll(pending, next.getSuppressed());
		}
	}

	/** A stream whose whole contents so far are looked in at each check. */
	synchronized void captureStream(String name, Supplier<String> contents) {
		this.streams.add(new Stream(name, contents, new HashSet<>()));
	}

	synchronized boolean overflowed() {
		return this.overflowed;
	}

	synchronized long capturedChars() {
		return this.capturedChars;
	}

	private void add(String value) {
		synchronized (this) {
			if (this.secrets.contains(value)) {
				return;
			}
			this.secrets.add(value);
			this.forms.add(formsOf(value));
		}
	}

	/** The leaks not reported before, as lines of a report. */
	List<String> newLeaks() {
		List<String> leaks = new ArrayList<>();
		synchronized (this) {
			if (this.overflowed) {
				leaks.add(" - the capture passed " + MAX_CAPTURED_CHARS
						+ " characters and stopped: what came after was not checked");
			}
			int recordCount = this.records.size();
			int secretCount = this.forms.size();
			for (int r = 0; r < recordCount; r++) {
				int fromSecret = (r < this.checkedRecords) ? this.checkedSecrets : 0;
				for (int s = fromSecret; s < secretCount; s++) {
					Record record = this.records.get(r);
					String leak = find(record, s);
					if (leak != null) {
						if (isTolerated(record)) {
							this.toleratedLeaks++;
						}
						else {
							leaks.add(leak);
						}
					}
				}
			}
			this.checkedRecords = recordCount;
			this.checkedSecrets = secretCount;
			// A stream is looked at whole each time, and each secret reported once for
			// it.
			for (Stream stream : this.streams) {
				String text = stream.contents().get();
				for (int s = 0; s < secretCount; s++) {
					if (!stream.reported().contains(s)) {
						String leak = find(stream.name(), text, s);
						if (leak != null) {
							stream.reported().add(s);
							leaks.add(leak);
						}
					}
				}
			}
		}
		return leaks;
	}

	private boolean isTolerated(Record record) {
		if (record.logger() == null) {
			return false;
		}
		for (String prefix : this.tolerated) {
			if (record.logger().startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private String find(Record record, int secret) {
		return find(record.source(), record.text(), secret);
	}

	private String find(String source, String text, int secret) {
		for (String form : this.forms.get(secret)) {
			if (text.contains(form)) {
				return " - " + describe(secret) + " in " + source + ": " + excerpt(text, secret);
			}
		}
		return null;
	}

	private String describe(int secret) {
		String value = this.secrets.get(secret);
		return "<secret #" + (secret + 1) + "> (" + (isJwt(value) ? "a JWT" : "not a JWT") + ", " + value.length()
				+ " characters)";
	}

	/**
	 * Some text around the first secret in it, every secret replaced by its number (in
	 * the whole text first, so that the cut cannot leave part of one).
	 */
	private String excerpt(String text, int secret) {
		String redacted = text;
		for (int s = 0; s < this.forms.size(); s++) {
			for (String form : this.forms.get(s)) {
				redacted = redacted.replace(form, "<secret #" + (s + 1) + ">");
			}
		}
		int hit = Math.max(0, redacted.indexOf("<secret #" + (secret + 1) + ">"));
		int from = Math.max(0, hit - 120);
		int to = Math.min(redacted.length(), hit + 240);
		return "'" + ((from > 0) ? "..." : "") + redacted.substring(from, to).replace("\n", "\\n")
				+ ((to < redacted.length()) ? "..." : "") + "'";
	}

	/**
	 * The forms a secret can take in text: as it is, JSON-escaped, URL-encoded, and a
	 * JWT's signature on its own.
	 */
	static List<String> formsOf(String value) {
		Set<String> forms = new LinkedHashSet<>();
		forms.add(value);
		forms.add(jsonEscaped(value));
		forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
		if (isJwt(value)) {
			String signature = value.substring(value.lastIndexOf('.') + 1);
			if (signature.length() >= 16) {
				forms.add(signature);
			}
		}
		return List.copyOf(forms);
	}

	static boolean isJwt(String value) {
		String[] parts = value.split("\\.", -1);
		if (parts.length != 3) {
			return false;
		}
		for (String part : parts) {
			if (part.isEmpty() || !part.matches("[A-Za-z0-9_-]+")) {
				return false;
			}
		}
		return true;
	}

	private static String jsonEscaped(String value) {
		StringBuilder out = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

	/** One thing the run wrote: where it came from and its text. */
	private record Record(String source, String logger, String text) {
	}

	/** A stream the run writes to, and the secrets already reported for it. */
	private record Stream(String name, Supplier<String> contents, Set<Integer> reported) {
	}

}
