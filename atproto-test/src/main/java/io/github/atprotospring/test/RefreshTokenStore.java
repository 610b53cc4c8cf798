package io.github.atprotospring.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The refresh-token table of the reference PDS: one row per {@code jti} with an expiry
 * and the id of the token that replaced it. Rotation keeps the used token alive for a
 * grace period after its first use, and every reuse within that period names the same
 * successor, so two holders racing on one token end up with the same session instead of
 * one of them being logged out.
 *
 * <p>
 * All methods are synchronized: rotation is a read-modify-write that must not interleave.
 */
final class RefreshTokenStore {

	private record Entry(String did, Instant expiresAt, String nextId) {
	}

	/**
	 * Result of a rotation: the account and the {@code jti} the new refresh token must
	 * carry.
	 */
	record Rotation(String did, String nextId) {
	}

	private final Map<String, Entry> byId = new HashMap<>();

	synchronized void store(String jti, String did, Instant expiresAt) {
		byId.put(jti, new Entry(did, expiresAt, null));
	}

	/**
	 * Rotates a refresh token.
	 * @param successorExpiresAt the expiry of the successor if it has to be stored now
	 * @return empty when the token was revoked or its grace period is over
	 */
	synchronized Optional<Rotation> rotate(String jti, Instant now, Duration grace, Supplier<String> newId,
			Instant successorExpiresAt) {
		Entry entry = byId.get(jti);
		if (entry == null || !entry.expiresAt().isAfter(now)) {
			byId.remove(jti);
			return Optional.empty();
		}
		String nextId = entry.nextId() != null ? entry.nextId() : newId.get();
		Instant graceEnd = now.plus(grace);
		Instant shortened = graceEnd.isBefore(entry.expiresAt()) ? graceEnd : entry.expiresAt();
		byId.put(jti, new Entry(entry.did(), shortened, nextId));
		// A reuse within the grace period must not reset the successor's row.
		byId.putIfAbsent(nextId, new Entry(entry.did(), successorExpiresAt, null));
		return Optional.of(new Rotation(entry.did(), nextId));
	}

	synchronized void revoke(String jti) {
		byId.remove(jti);
	}

	/** Copies the table for the state file. */
	synchronized List<StateFile.SavedToken> snapshot() {
		List<StateFile.SavedToken> saved = new ArrayList<>(byId.size());
		byId.forEach((jti, entry) -> saved
			.add(new StateFile.SavedToken(jti, entry.did(), entry.expiresAt(), entry.nextId())));
		saved.sort(Comparator.comparing(StateFile.SavedToken::expiresAt).thenComparing(StateFile.SavedToken::jti));
		return saved;
	}

	/** Adds the rows of a state file; called before the server starts. */
	synchronized void restore(List<StateFile.SavedToken> saved) {
		for (StateFile.SavedToken token : saved) {
			byId.put(token.jti(), new Entry(token.did(), token.expiresAt(), token.nextId()));
		}
	}

}
