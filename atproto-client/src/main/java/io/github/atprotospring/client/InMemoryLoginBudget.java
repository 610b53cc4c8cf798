package io.github.atprotospring.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link LoginBudget} held in memory: it protects one process; a budget in a shared
 * store is needed to protect an account across restarts and replicas.
 */
public final class InMemoryLoginBudget implements LoginBudget {

	private final Clock clock;

	private final List<Window> windows;

	private final Duration longest;

	private final Map<String, Deque<Instant>> attempts = new HashMap<>();

	private final Map<String, Instant> blockedUntil = new HashMap<>();

	/** Identifiers known to name an account, to the account's DID. */
	private final Map<String, String> accounts = new HashMap<>();

	/**
	 * A budget with the {@linkplain LoginBudget#DEFAULT_WINDOWS default windows}.
	 * @param clock the clock
	 */
	public InMemoryLoginBudget(Clock clock) {
		this(clock, DEFAULT_WINDOWS);
	}

	/**
	 * A budget with the given windows.
	 * @param clock the clock
	 * @param windows the windows, all of which an attempt must fit
	 */
	public InMemoryLoginBudget(Clock clock, List<Window> windows) {
		if (windows.isEmpty()) {
			throw new IllegalArgumentException("A login budget needs at least one window; use LoginBudget.unlimited()");
		}
		this.clock = clock;
		this.windows = List.copyOf(windows);
		this.longest = this.windows.stream().map(Window::period).max(Comparator.naturalOrder()).orElseThrow();
	}

	@Override
	public synchronized void acquire(String identifier) {
		String key = account(identifier);
		Instant now = this.clock.instant();
		Instant blocked = this.blockedUntil.get(key);
		if (blocked != null && now.isBefore(blocked)) {
			throw LoginBudgets.refusal("the server rate-limited logins for this account", null, now, blocked);
		}
		Deque<Instant> recent = this.attempts.computeIfAbsent(key, (k) -> new ArrayDeque<>());
		recent.removeIf((at) -> !at.isAfter(now.minus(this.longest)));
		LoginBudgets.checkWindows(this.windows, recent, now);
		recent.addLast(now);
	}

	@Override
	public synchronized void blockUntil(String identifier, Instant until) {
		this.blockedUntil.merge(account(identifier), until, (a, b) -> a.isAfter(b) ? a : b);
	}

	@Override
	public synchronized void merge(String identifier, String did) {
		String from = key(identifier);
		String to = key(did);
		if (from.equals(to)) {
			return;
		}
		Deque<Instant> moved = this.attempts.remove(from);
		if (moved != null) {
			Deque<Instant> target = this.attempts.computeIfAbsent(to, (k) -> new ArrayDeque<>());
			target.addAll(moved);
			List<Instant> sorted = new ArrayList<>(target);
			sorted.sort(Comparator.naturalOrder());
			target.clear();
			target.addAll(sorted);
		}
		Instant blocked = this.blockedUntil.remove(from);
		if (blocked != null) {
			this.blockedUntil.merge(to, blocked, (a, b) -> a.isAfter(b) ? a : b);
		}
		this.accounts.put(from, to);
	}

	private String account(String identifier) {
		String key = key(identifier);
		return this.accounts.getOrDefault(key, key);
	}

	static String key(String identifier) {
		return identifier.strip().toLowerCase(Locale.ROOT);
	}

}
