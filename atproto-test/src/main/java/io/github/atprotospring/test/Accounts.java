package io.github.atprotospring.test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The double's accounts. Handles and emails are matched case-insensitively, as on the
 * reference PDS. Passwords are kept only as SHA-256 digests so that no plain password
 * sits in a heap dump or a debugger's {@code toString}.
 */
final class Accounts {

	static final String HANDLE_DOMAIN = ".test";

	private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

	/**
	 * Mutable per-account state; flags are volatile because admin calls come from the
	 * test thread.
	 */
	static final class State {

		final String did;

		final String handle;

		final String email;

		private final byte[] passwordDigest;

		final AtomicInteger posts = new AtomicInteger();

		volatile boolean takenDown;

		volatile boolean deactivated;

		volatile String authFactorCode;

		State(String did, String handle, String email, String password) {
			this(did, handle, email, digest(password));
		}

		private State(String did, String handle, String email, byte[] passwordDigest) {
			this.did = did;
			this.handle = handle;
			this.email = email;
			this.passwordDigest = passwordDigest;
		}

		boolean passwordMatches(String candidate) {
			return MessageDigest.isEqual(passwordDigest, digest(candidate));
		}

		PdsDouble.Account toAccount() {
			return new PdsDouble.Account(did, handle, email);
		}

		@Override
		public String toString() {
			return "Account[" + did + ", " + handle + "]";
		}

	}

	private final SecureRandom random;

	private final Map<String, State> byDid = new ConcurrentHashMap<>();

	private final Map<String, State> byHandle = new ConcurrentHashMap<>();

	private final Map<String, State> byEmail = new ConcurrentHashMap<>();

	Accounts(SecureRandom random) {
		this.random = random;
	}

	/**
	 * Top-level domains atproto handles may not use (".test" is one, but a local PDS
	 * serves it).
	 */
	private static final Set<String> DISALLOWED_TLDS = Set.of("alt", "arpa", "example", "internal", "invalid", "local",
			"localhost", "onion");

	/**
	 * Whether a string has the syntax of a handle (a domain name of two labels or more).
	 */
	static boolean isHandleSyntax(String handle) {
		return handle.length() <= 253 && handle
			.matches("([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
	}

	/**
	 * Creates an account with the checks of the reference PDS's createAccount, in its
	 * order and with its errors: handle syntax, a disallowed TLD, a domain the server
	 * does not serve, the length and characters of the name before it, a taken handle, a
	 * taken email.
	 * @throws XrpcErrorAnswer on an unsupported or taken handle or email
	 */
	synchronized State create(String handle, String email, String password) {
		if (!isHandleSyntax(handle)) {
			throw XrpcErrorAnswer.invalidRequest("Invalid handle (got \"" + handle + "\") at $.handle");
		}
		String normalized = handle.toLowerCase(Locale.ROOT);
		String tld = normalized.substring(normalized.lastIndexOf('.') + 1);
		if (DISALLOWED_TLDS.contains(tld)) {
			throw new XrpcErrorAnswer(400, "InvalidHandle", "Handle TLD is invalid or disallowed");
		}
		if (!normalized.endsWith(HANDLE_DOMAIN)) {
			throw new XrpcErrorAnswer(400, "UnsupportedDomain", "Not a supported handle domain");
		}
		String front = normalized.substring(0, normalized.length() - HANDLE_DOMAIN.length());
		if (front.contains(".")) {
			throw new XrpcErrorAnswer(400, "InvalidHandle", "Invalid characters in handle");
		}
		if (front.length() < 3) {
			throw new XrpcErrorAnswer(400, "InvalidHandle", "Handle too short");
		}
		if (front.length() > 18) {
			throw new XrpcErrorAnswer(400, "InvalidHandle", "Handle too long");
		}
		if (byHandle.containsKey(normalized)) {
			throw XrpcErrorAnswer.invalidRequest("Handle already taken: " + normalized);
		}
		String normalizedEmail = email.toLowerCase(Locale.ROOT);
		if (byEmail.containsKey(normalizedEmail)) {
			throw XrpcErrorAnswer.invalidRequest("Email already taken: " + normalizedEmail);
		}
		String did;
		do {
			did = "did:plc:" + randomBase32(24);
		}
		while (byDid.containsKey(did));
		State state = new State(did, normalized, normalizedEmail, password);
		byDid.put(did, state);
		byHandle.put(normalized, state);
		byEmail.put(normalizedEmail, state);
		return state;
	}

	/** Copies the accounts for the state file; the password stays a digest. */
	synchronized List<StateFile.SavedAccount> snapshot() {
		List<StateFile.SavedAccount> saved = new ArrayList<>(byDid.size());
		for (State state : byDid.values()) {
			saved.add(new StateFile.SavedAccount(state.did, state.handle, state.email, state.passwordDigest.clone(),
					state.takenDown, state.deactivated, state.authFactorCode));
		}
		saved.sort(Comparator.comparing(StateFile.SavedAccount::handle));
		return saved;
	}

	/** Adds the accounts of a state file; called before the server starts. */
	synchronized void restore(List<StateFile.SavedAccount> saved) {
		for (StateFile.SavedAccount account : saved) {
			State state = new State(account.did(), account.handle().toLowerCase(Locale.ROOT),
					account.email().toLowerCase(Locale.ROOT), account.passwordDigest().clone());
			state.takenDown = account.takenDown();
			state.deactivated = account.deactivated();
			state.authFactorCode = account.authFactorCode();
			byDid.put(state.did, state);
			byHandle.put(state.handle, state);
			byEmail.put(state.email, state);
		}
	}

	/** Finds an account by DID or handle, the two forms of a repo or actor parameter. */
	Optional<State> byDidOrHandle(String didOrHandle) {
		if (didOrHandle.startsWith("did:")) {
			return Optional.ofNullable(byDid.get(didOrHandle));
		}
		return Optional.ofNullable(byHandle.get(didOrHandle.toLowerCase(Locale.ROOT)));
	}

	/**
	 * Finds an account by a createSession identifier: an email (contains '@'), a DID or a
	 * handle.
	 */
	Optional<State> byIdentifier(String identifier) {
		if (identifier.contains("@")) {
			return Optional.ofNullable(byEmail.get(identifier.toLowerCase(Locale.ROOT)));
		}
		return byDidOrHandle(identifier);
	}

	State require(String did) {
		State state = byDid.get(did);
		if (state == null) {
			throw new IllegalArgumentException("No account " + did);
		}
		return state;
	}

	String randomBase32(int length) {
		char[] chars = new char[length];
		for (int i = 0; i < length; i++) {
			chars[i] = BASE32[random.nextInt(BASE32.length)];
		}
		return new String(chars);
	}

	private static byte[] digest(String password) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 unavailable", e);
		}
	}

}
