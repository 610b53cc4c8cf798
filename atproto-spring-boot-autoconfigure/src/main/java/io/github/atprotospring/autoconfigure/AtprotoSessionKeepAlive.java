package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.AtprotoUrls;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionStore;
import io.github.atprotospring.client.StoredAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps idle accounts alive: refreshes, in the background, the stored sessions whose
 * refresh token nears its end (a refresh token lives about two months; an account not
 * used for that long would otherwise need its password again).
 * <p>
 * Every {@code period} it reads the stored accounts of the registry's service (no session
 * is read for that) and the sessions of the configured clients of other services, and
 * takes those whose refresh token expires within {@code refreshBefore}, most urgent
 * first. It then refreshes them one at a time, each through the account's own client (so
 * with its single flight, its coordination among instances and its events), at most
 * {@code maxPerMinute} in any minute and spread evenly over it: it runs every
 * {@code 60 s / maxPerMinute} and makes at most one refresh per run, so it never bursts
 * against the server's limits. Before each refresh it claims the account
 * ({@link SessionKeepAliveClaims}), so that of the instances sharing the store one
 * refreshes each account; instances start at a random point of their first interval.
 * Sessions whose refresh token has already expired are left to the application.
 * <p>
 * {@link #runOnce()} is one run, for tests and tools that drive the task with a clock of
 * their own.
 */
public class AtprotoSessionKeepAlive implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoSessionKeepAlive.class);

	private static final Duration MINUTE = Duration.ofMinutes(1);

	/** How long a claim keeps other instances off an account: a refresh takes less. */
	private static final Duration CLAIM = Duration.ofMinutes(10);

	/** Claims tried at most per run, so that a run never floods the database. */
	private static final int MAX_CLAIMS_PER_RUN = 64;

	private final AtprotoClients registry;

	private final List<AtprotoClient> configured;

	private final SessionStore store;

	private final SessionKeepAliveClaims claims;

	private final Clock clock;

	private final Duration refreshBefore;

	private final Duration period;

	private final int maxPerMinute;

	/** Accounts due, most urgent first. Guarded by this. */
	private final Deque<Candidate> due = new ArrayDeque<>();

	/** When the refreshes of the last minute were made. Guarded by this. */
	private final Deque<Instant> recent = new ArrayDeque<>();

	/** Guarded by this. */
	private Instant lastScan;

	/** Guarded by this. */
	private long refreshes;

	/** Whether a failed claim was logged since the last reading. Guarded by this. */
	private boolean claimFailureLogged;

	private volatile ScheduledExecutorService executor;

	/**
	 * @param registry the registry whose service's stored accounts are kept alive, and
	 * that hands out their clients
	 * @param configured the configured clients (the primary and the named accounts);
	 * those of other services than the registry's are kept alive from their sessions
	 * @param store the store that lists the accounts
	 * @param claims the claims that let one instance refresh each account
	 * @param clock the clock
	 * @param refreshBefore how long before its refresh token expires a session is
	 * refreshed
	 * @param period how often the stored accounts are read
	 * @param maxPerMinute the most refreshes in any minute
	 */
	public AtprotoSessionKeepAlive(AtprotoClients registry, List<AtprotoClient> configured, SessionStore store,
			SessionKeepAliveClaims claims, Clock clock, Duration refreshBefore, Duration period, int maxPerMinute) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.configured = List.copyOf(configured);
		this.store = Objects.requireNonNull(store, "store");
		this.claims = Objects.requireNonNull(claims, "claims");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.refreshBefore = AtprotoPropertiesCheck.positive("atproto.keep-alive.refresh-before", refreshBefore);
		this.period = AtprotoPropertiesCheck.positive("atproto.keep-alive.period", period);
		if (maxPerMinute < 1) {
			throw new IllegalStateException(
					"atproto.keep-alive.max-per-minute must be at least 1, but is " + maxPerMinute);
		}
		this.maxPerMinute = maxPerMinute;
	}

	/**
	 * One run: reads the stored accounts if the last reading is older than the period,
	 * then refreshes the most urgent account due, if the rate allows one now and it can
	 * be claimed.
	 * @return {@code true} if a refresh was made (whether or not the server granted it)
	 */
	public synchronized boolean runOnce() {
		Instant now = this.clock.instant();
		while (!this.recent.isEmpty() && !this.recent.peekFirst().isAfter(now.minus(MINUTE))) {
			this.recent.pollFirst();
		}
		if (this.recent.size() >= this.maxPerMinute) {
			return false;
		}
		if (this.lastScan == null || !now.isBefore(this.lastScan.plus(this.period)) || this.lastScan.isAfter(now)) {
			scan(now);
		}
		Candidate candidate;
		int claimed = 0;
		while (claimed < MAX_CLAIMS_PER_RUN && (candidate = this.due.pollFirst()) != null) {
			if (!now.isBefore(candidate.refreshExpiresAt())) {
				continue;
			}
			claimed++;
			if (refresh(candidate, now)) {
				this.recent.addLast(now);
				this.refreshes++;
				return true;
			}
		}
		return false;
	}

	/**
	 * How many refreshes the task has made since it was created.
	 * @return the count
	 */
	public synchronized long refreshes() {
		return this.refreshes;
	}

	/**
	 * How many accounts the last reading found due and are still waiting for their
	 * refresh.
	 * @return the count
	 */
	public synchronized int pending() {
		return this.due.size();
	}

	private void scan(Instant now) {
		Instant dueBefore = now.plus(this.refreshBefore);
		List<Candidate> found = new ArrayList<>();
		String service = this.registry.service();
		try {
			for (StoredAccount account : this.store.accounts(service)) {
				Instant expiresAt = account.refreshExpiresAt();
				if (expiresAt != null && expiresAt.isAfter(now) && !expiresAt.isAfter(dueBefore)) {
					found.add(new Candidate(service, account.did(), expiresAt));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not list the stored atproto sessions of {} to keep them alive; trying again in {} ({})",
					service, this.period, ex.getClass().getName());
		}
		for (AtprotoClient client : this.configured) {
			String own = AtprotoUrls.normalize(client.service());
			if (!own.equals(service)) {
				client.session()
					.flatMap((session) -> session.refreshExpiresAt()
						.filter((expiresAt) -> expiresAt.isAfter(now) && !expiresAt.isAfter(dueBefore))
						.map((expiresAt) -> new Candidate(own, session.did(), expiresAt)))
					.ifPresent(found::add);
			}
		}
		found.sort(Comparator.comparing(Candidate::refreshExpiresAt));
		this.due.clear();
		this.due.addAll(found);
		this.lastScan = now;
		this.claimFailureLogged = false;
		if (!found.isEmpty()) {
			logger.debug("{} atproto sessions are due for a keep-alive refresh", found.size());
		}
	}

	/** Claims and refreshes one account; {@code false} if it was not due or not ours. */
	private boolean refresh(Candidate candidate, Instant now) {
		Instant dueBefore = now.plus(this.refreshBefore);
		boolean claimed;
		try {
			claimed = this.claims.claim(candidate.service(), candidate.did(), dueBefore, now, now.plus(CLAIM));
		}
		catch (RuntimeException ex) {
			// Once a reading: a database without the claim column (schema of the
			// application's own, not migrated to V4) fails every claim.
			if (!this.claimFailureLogged) {
				this.claimFailureLogged = true;
				logger.warn("Could not claim the atproto session of {} for its keep-alive refresh; no session is "
						+ "refreshed in the background until claims work (is the session table migrated to V4, "
						+ "with its claimed_until column?): {}", candidate.did(), ex.getClass().getName());
			}
			return false;
		}
		if (!claimed) {
			return false;
		}
		AtprotoClient client = clientOf(candidate);
		Optional<Session> held = (client != null) ? client.session() : Optional.empty();
		if (held.isEmpty()
				|| held.get().refreshExpiresAt().filter((expiresAt) -> expiresAt.isAfter(dueBefore)).isPresent()) {
			// Gone, or refreshed meanwhile (by a call of the application's).
			return false;
		}
		try {
			client.refreshSession();
			logger.debug("Refreshed the idle atproto session of {}, whose refresh token was to expire at {}",
					candidate.did(), candidate.refreshExpiresAt());
		}
		catch (AtprotoException ex) {
			logger.warn("The keep-alive refresh of the atproto session of {} failed; it is tried again later: {}",
					candidate.did(), ex.getMessage());
		}
		return true;
	}

	private AtprotoClient clientOf(Candidate candidate) {
		for (AtprotoClient client : this.configured) {
			if (AtprotoUrls.normalize(client.service()).equals(candidate.service())
					&& client.session().filter((session) -> session.did().equals(candidate.did())).isPresent()) {
				return client;
			}
		}
		if (!candidate.service().equals(this.registry.service())) {
			return null;
		}
		try {
			return this.registry.find(candidate.did()).orElse(null);
		}
		catch (AtprotoException ex) {
			logger.warn("Could not load the atproto session of {} to keep it alive ({})", candidate.did(),
					ex.getMessage());
			return null;
		}
	}

	// --- the schedule

	/**
	 * The time between two runs: a minute shared evenly by the refreshes allowed in it.
	 * @return the interval
	 */
	public Duration interval() {
		return MINUTE.dividedBy(this.maxPerMinute);
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "atproto-keep-alive");
			thread.setDaemon(true);
			return thread;
		});
		long interval = Math.max(1, interval().toMillis());
		// A random first run, so that instances started together do not run in step.
		long first = interval + ThreadLocalRandom.current().nextLong(interval);
		scheduler.scheduleWithFixedDelay(this::runQuietly, first, interval, TimeUnit.MILLISECONDS);
		this.executor = scheduler;
		logger.debug("Keeping idle atproto sessions alive: refreshed {} before their refresh token expires, at most {} "
				+ "a minute", this.refreshBefore, this.maxPerMinute);
	}

	private void runQuietly() {
		try {
			runOnce();
		}
		catch (RuntimeException ex) {
			// A scheduled task that throws is never run again.
			logger.warn("The atproto keep-alive run failed; it runs again at its next turn ({})",
					ex.getClass().getName());
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.executor;
		this.executor = null;
		if (scheduler == null) {
			return;
		}
		// Not interrupted: a refresh under way must get its answer, or its new tokens are
		// lost.
		scheduler.shutdown();
		try {
			if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
				scheduler.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			scheduler.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private record Candidate(String service, String did, Instant refreshExpiresAt) {
	}

}
