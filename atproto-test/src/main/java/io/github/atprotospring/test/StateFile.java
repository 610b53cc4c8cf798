package io.github.atprotospring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON file a {@link PdsDouble} keeps its state in across restarts of the JVM: the
 * JWT secret, the accounts (with SHA-256 password digests, never plain passwords), the
 * refresh-token table and the records. Counters, recorded calls, faults and rate-limit
 * windows are not kept.
 *
 * <p>
 * Every save writes a temporary file next to the state file and moves it over the state
 * file atomically, so a reader (or a crash) never sees half a file.
 *
 * <p>
 * Saving is coalesced and cannot deadlock with the stores: a change is announced with
 * {@link #changed()} after the store's own lock has been released; the save then takes
 * this file's lock, and under it the stores' locks one at a time to copy their contents.
 * No store ever waits for this lock while holding its own. Each call of
 * {@link #changed()} returns only once a snapshot taken after its change has been
 * written, so the file always ends up with every completed change.
 */
final class StateFile {

	private static final Logger log = LoggerFactory.getLogger(StateFile.class);

	private static final int VERSION = 1;

	/** An account as saved; the password only as its SHA-256 digest. */
	record SavedAccount(String did, String handle, String email, byte[] passwordDigest, boolean takenDown,
			boolean deactivated, String authFactorCode) {
		@Override
		public String toString() {
			return "SavedAccount[" + did + ", " + handle + "]";
		}
	}

	/**
	 * A row of the refresh-token table; {@code nextId} is {@code null} until the token is
	 * first used.
	 */
	record SavedToken(String jti, String did, Instant expiresAt, String nextId) {
		@Override
		public String toString() {
			return "SavedToken[" + did + ", expiresAt=" + expiresAt + "]";
		}
	}

	/** A record of a repo. */
	record SavedRecord(String repo, String collection, String rkey, String cid, JsonNode value) {
	}

	/**
	 * Everything the file holds. {@code lastTidMicros} keeps record keys made after a
	 * restart unique.
	 */
	record State(String jwtSecret, List<SavedAccount> accounts, List<SavedToken> refreshTokens,
			List<SavedRecord> records, long lastTidMicros) {
		@Override
		public String toString() {
			return "State[accounts=" + accounts.size() + ", refreshTokens=" + refreshTokens.size() + ", records="
					+ records.size() + "]";
		}
	}

	/**
	 * A file that cannot be read back as a state; the message says what is wrong, without
	 * values.
	 */
	private static final class CorruptException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		CorruptException(String message) {
			super(message, null, false, false);
		}

	}

	private final Path file;

	private final JsonMapper json;

	private final Supplier<State> snapshot;

	private final Object lock = new Object();

	/**
	 * Number of changes announced so far; incremented only after the change is complete.
	 */
	private final AtomicLong announced = new AtomicLong();

	/**
	 * The value of {@code announced} the last written snapshot is known to include.
	 * Guarded by {@code lock}.
	 */
	private long written = -1;

	StateFile(Path file, JsonMapper json, Supplier<State> snapshot) {
		this.file = file;
		this.json = json;
		this.snapshot = snapshot;
	}

	Path file() {
		return file;
	}

	/**
	 * Reads a state file.
	 * @return the state, or {@code null} if there is no file
	 * @throws IllegalStateException if the file cannot be read or is not a state file of
	 * this version
	 */
	static State read(Path file, JsonMapper json) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (NoSuchFileException e) {
			return null;
		}
		catch (IOException e) {
			throw new IllegalStateException("Could not read the PdsDouble state file " + file + ": " + e, e);
		}
		try {
			return parse(json, bytes);
		}
		catch (JacksonException e) {
			throw corrupt(file, "not valid JSON: " + e.getOriginalMessage(), e);
		}
		catch (CorruptException e) {
			throw corrupt(file, e.getMessage(), e);
		}
	}

	/**
	 * Announces a completed change and returns once the file holds it (or a later state).
	 * @throws UncheckedIOException if the file cannot be written; the next change tries
	 * again
	 */
	void changed() {
		save(announced.incrementAndGet());
	}

	/**
	 * Writes the current state at once, e.g. at start, so the file exists and names the
	 * secret in use.
	 */
	void saveNow() {
		save(announced.get());
	}

	private void save(long change) {
		synchronized (lock) {
			if (written >= change) {
				// A snapshot taken after this change completed is already on disk.
				return;
			}
			long covered = announced.get();
			// Every change counted in 'covered' completed before this point, so the
			// snapshot has it.
			State state = snapshot.get();
			write(state);
			written = covered;
		}
	}

	private void write(State state) {
		Path target = file.toAbsolutePath();
		Path directory = target.getParent();
		Path temp = null;
		try {
			Files.createDirectories(directory);
			// createTempFile makes the file readable by its owner only: it holds the
			// signing secret.
			temp = Files.createTempFile(directory, target.getFileName().toString() + ".", ".tmp");
			Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(state)));
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException e) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			temp = null;
		}
		catch (IOException e) {
			log.warn("Could not save the PdsDouble state file {}", target, e);
			throw new UncheckedIOException("Could not save the PdsDouble state file " + target, e);
		}
		finally {
			if (temp != null) {
				try {
					Files.deleteIfExists(temp);
				}
				catch (IOException e) {
					log.debug("Could not delete {}", temp, e);
				}
			}
		}
	}

	private ObjectNode toJson(State state) {
		ObjectNode root = json.createObjectNode()
			.put("version", VERSION)
			.put("jwtSecret", state.jwtSecret())
			.put("lastTidMicros", state.lastTidMicros());
		ArrayNode accounts = root.putArray("accounts");
		for (SavedAccount account : state.accounts()) {
			ObjectNode node = accounts.addObject()
				.put("did", account.did())
				.put("handle", account.handle())
				.put("email", account.email())
				.put("passwordSha256", Base64.getEncoder().encodeToString(account.passwordDigest()))
				.put("takenDown", account.takenDown())
				.put("deactivated", account.deactivated());
			if (account.authFactorCode() != null) {
				node.put("authFactorCode", account.authFactorCode());
			}
		}
		ArrayNode tokens = root.putArray("refreshTokens");
		for (SavedToken token : state.refreshTokens()) {
			ObjectNode node = tokens.addObject()
				.put("jti", token.jti())
				.put("did", token.did())
				.put("expiresAt", token.expiresAt().toString());
			if (token.nextId() != null) {
				node.put("nextId", token.nextId());
			}
		}
		ArrayNode records = root.putArray("records");
		for (SavedRecord record : state.records()) {
			records.addObject()
				.put("repo", record.repo())
				.put("collection", record.collection())
				.put("rkey", record.rkey())
				.put("cid", record.cid())
				.set("value", record.value());
		}
		return root;
	}

	private static State parse(JsonMapper json, byte[] bytes) {
		JsonNode root = json.readTree(bytes);
		if (root == null || !root.isObject()) {
			throw new CorruptException("not a JSON object");
		}
		JsonNode version = root.get("version");
		if (version == null || !version.isIntegralNumber()) {
			throw new CorruptException("no \"version\"");
		}
		if (version.intValue() != VERSION) {
			throw new CorruptException("unsupported version " + version.asString() + ", expected " + VERSION);
		}
		String secret = string(root, "jwtSecret", "");
		if (secret.isEmpty()) {
			throw new CorruptException("empty \"jwtSecret\"");
		}
		long lastTidMicros = number(root, "lastTidMicros", "");

		List<SavedAccount> accounts = new ArrayList<>();
		Set<String> dids = new HashSet<>();
		Set<String> handles = new HashSet<>();
		Set<String> emails = new HashSet<>();
		for (JsonNode node : array(root, "accounts")) {
			String where = "accounts[" + accounts.size() + "]";
			byte[] digest;
			try {
				digest = Base64.getDecoder().decode(string(node, "passwordSha256", where));
			}
			catch (IllegalArgumentException e) {
				throw new CorruptException(where + ".passwordSha256 is not base64");
			}
			if (digest.length != 32) {
				throw new CorruptException(where + ".passwordSha256 is not a SHA-256 digest");
			}
			SavedAccount account = new SavedAccount(string(node, "did", where), string(node, "handle", where),
					string(node, "email", where), digest, bool(node, "takenDown", where),
					bool(node, "deactivated", where), optionalString(node, "authFactorCode", where));
			if (!dids.add(account.did()) || !handles.add(account.handle()) || !emails.add(account.email())) {
				throw new CorruptException(where + " repeats the DID, handle or email of another account");
			}
			accounts.add(account);
		}

		List<SavedToken> tokens = new ArrayList<>();
		for (JsonNode node : array(root, "refreshTokens")) {
			String where = "refreshTokens[" + tokens.size() + "]";
			Instant expiresAt;
			try {
				expiresAt = Instant.parse(string(node, "expiresAt", where));
			}
			catch (DateTimeParseException e) {
				throw new CorruptException(where + ".expiresAt is not an instant");
			}
			tokens.add(new SavedToken(string(node, "jti", where), string(node, "did", where), expiresAt,
					optionalString(node, "nextId", where)));
		}

		List<SavedRecord> records = new ArrayList<>();
		for (JsonNode node : array(root, "records")) {
			String where = "records[" + records.size() + "]";
			JsonNode value = node.get("value");
			if (value == null || !value.isObject()) {
				throw new CorruptException(where + ".value is not an object");
			}
			records.add(new SavedRecord(string(node, "repo", where), string(node, "collection", where),
					string(node, "rkey", where), string(node, "cid", where), value));
		}
		return new State(secret, List.copyOf(accounts), List.copyOf(tokens), List.copyOf(records), lastTidMicros);
	}

	private static JsonNode array(JsonNode parent, String field) {
		JsonNode value = parent.get(field);
		if (value == null || !value.isArray()) {
			throw new CorruptException("\"" + field + "\" is not an array");
		}
		return value;
	}

	private static String string(JsonNode parent, String field, String where) {
		String value = optionalString(parent, field, where);
		if (value == null) {
			throw new CorruptException(name(where, field) + " is missing");
		}
		return value;
	}

	private static String optionalString(JsonNode parent, String field, String where) {
		if (!parent.isObject()) {
			throw new CorruptException(where + " is not an object");
		}
		JsonNode value = parent.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new CorruptException(name(where, field) + " is not a string");
		}
		return value.stringValue();
	}

	private static boolean bool(JsonNode parent, String field, String where) {
		JsonNode value = parent.get(field);
		if (value == null || !value.isBoolean()) {
			throw new CorruptException(name(where, field) + " is not a boolean");
		}
		return value.booleanValue();
	}

	private static long number(JsonNode parent, String field, String where) {
		JsonNode value = parent.get(field);
		if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
			throw new CorruptException(name(where, field) + " is not an integer");
		}
		return value.longValue();
	}

	private static String name(String where, String field) {
		return where.isEmpty() ? "\"" + field + "\"" : where + "." + field;
	}

	private static IllegalStateException corrupt(Path file, String detail, Exception cause) {
		return new IllegalStateException("The PdsDouble state file " + file + " is corrupt (" + detail
				+ "); delete it to start the double with an empty state", cause);
	}

}
