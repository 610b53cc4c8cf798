package io.github.atprotospring.autoconfigure.jpa;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.AtprotoUrls;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionCoordinator;
import io.github.atprotospring.client.SessionWaitException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;

/**
 * Coordinates refreshes among the instances that share the {@link JpaSessionStore}'s
 * database, so that each expiry costs one {@code refreshSession} in all.
 * <p>
 * A refresh locks the account's row ({@code SELECT ... FOR UPDATE}) for the length of the
 * {@code refreshSession} call and stores the new session before the lock goes. An
 * instance that gets the lock after another has refreshed finds a newer row than the one
 * it last read or wrote (its version says so) and adopts that session instead of spending
 * its own, possibly already rotated, refresh token.
 * <p>
 * Each wait for the lock is bounded ({@code lockTimeout}). When one runs out, the
 * instance reads the row again and adopts a newer session if another instance stored one,
 * or waits again, up to {@code maxWait} in all; then it gives up with a
 * {@link SessionWaitException} and keeps its session. It never refreshes without the lock
 * while the database answers: only a database that fails outright (not a lock that is
 * busy) lets an instance refresh on its own, which beats failing the application's calls.
 * A lost connection releases the lock, so a crashed instance blocks nobody.
 */
public class JpaSessionCoordinator implements SessionCoordinator {

	private static final Logger logger = LoggerFactory.getLogger(JpaSessionCoordinator.class);

	private static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	/**
	 * SQL states and vendor codes of a lock wait or statement that ran out of time:
	 * PostgreSQL lock_not_available and query_canceled, the standard timeout class, MySQL
	 * and MariaDB lock wait timeout, SQL Server lock request timeout, Oracle resource
	 * busy.
	 */
	private static final Set<String> TIMEOUT_STATES = Set.of("55P03", "57014", "HYT00", "HYT01");

	private static final Set<Integer> TIMEOUT_CODES = Set.of(1205, 3572, 1222, 54, 30006, 50200);

	private final JpaSessionStore store;

	private final EntityManager entityManager;

	private final Duration lockTimeout;

	private final Duration maxWait;

	private final AtomicLong lockWaitsRunOut = new AtomicLong();

	/**
	 * @param store the store whose rows are locked
	 * @param entityManager a shared entity manager of the store's persistence unit
	 * @param lockTimeout how long one wait for the row lock may last
	 * @param maxWait how long an instance waits for the lock in all before it gives up
	 */
	public JpaSessionCoordinator(JpaSessionStore store, EntityManager entityManager, Duration lockTimeout,
			Duration maxWait) {
		this.store = store;
		this.entityManager = entityManager;
		this.lockTimeout = lockTimeout;
		this.maxWait = maxWait;
	}

	@Override
	public Session refresh(String service, Session held, Predicate<Session> usable, UnaryOperator<Session> refresh) {
		String key = AtprotoUrls.normalize(service);
		long deadline = System.nanoTime() + this.maxWait.toNanos();
		while (true) {
			try {
				return refreshUnderLock(key, held, usable, refresh);
			}
			catch (LockBusy busy) {
				this.lockWaitsRunOut.incrementAndGet();
				Optional<Session> newer = this.store.newerThan(key, held);
				if (newer.isPresent() && usable.test(newer.get())) {
					logger.debug("Adopting the session of {} that another instance refreshed while this one waited",
							held.did());
					return newer.get();
				}
				if (System.nanoTime() - deadline >= 0) {
					throw new SessionWaitException(REFRESH_SESSION,
							"Another instance held the stored session of " + held.did() + " locked for longer than "
									+ this.maxWait
									+ "; the session is kept and the refresh is tried again on a later call",
							busy.getCause());
				}
				logger.debug("The stored session of {} is locked by another instance; waiting again", held.did());
			}
		}
	}

	/**
	 * How many waits for a row lock held by another instance ran out since this
	 * coordinator was made.
	 * @return the count
	 */
	public long lockWaitsRunOut() {
		return this.lockWaitsRunOut.get();
	}

	private Session refreshUnderLock(String key, Session held, Predicate<Session> usable,
			UnaryOperator<Session> refresh) {
		AtomicReference<Session> refreshed = new AtomicReference<>();
		AtomicBoolean locked = new AtomicBoolean();
		try {
			return this.store.transactions().execute((status) -> {
				Optional<StoredSession> row = lock(key, held.did());
				locked.set(true);
				Session base = held;
				if (row.isPresent() && this.store.changedByAnother(row.get(), held)) {
					Session stored = this.store.readable(row.get());
					if (stored != null) {
						this.store.remember(row.get());
						if (usable.test(stored)) {
							logger.debug("Adopting the session of {} that another instance refreshed", held.did());
							return stored;
						}
						base = stored;
					}
				}
				Session fresh = refresh.apply(base);
				refreshed.set(fresh);
				this.store.write(row.orElse(null), key, fresh);
				return fresh;
			});
		}
		catch (AtprotoException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			if (!locked.get() && ranOutOfTime(ex)) {
				throw new LockBusy(ex);
			}
			// The database failed (JPA, JDBC or transaction exceptions alike): not the
			// refresh itself.
			if (!locked.get()) {
				// The database cannot coordinate now: refreshing alone beats failing the
				// application's calls.
				logger.warn("Could not lock the stored session of {} to coordinate its refresh ({}); refreshing "
						+ "without coordination", held.did(), ex.getClass().getName());
				return refresh.apply(held);
			}
			Session fresh = refreshed.get();
			if (fresh == null) {
				throw ex;
			}
			// The server has rotated the token: losing the new session now would cost a
			// login.
			logger.warn("The refreshed session of {} could not be stored ({}); it is kept in memory, and other "
					+ "instances may have to refresh or log in again", held.did(), ex.getClass().getName());
			return fresh;
		}
	}

	private Optional<StoredSession> lock(String service, String did) {
		int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, this.lockTimeout.toMillis()));
		return this.entityManager
			.createQuery("select s from StoredSession s where s.service = :service and s.did = :did",
					StoredSession.class)
			.setParameter("service", service)
			.setParameter("did", did)
			.setLockMode(LockModeType.PESSIMISTIC_WRITE)
			.setHint("jakarta.persistence.lock.timeout", millis)
			.setHint("jakarta.persistence.query.timeout", millis)
			.getResultStream()
			.findFirst();
	}

	/** Whether a failure says a lock wait or a statement ran out of time. */
	static boolean ranOutOfTime(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof PessimisticLockingFailureException || cause instanceof QueryTimeoutException
					|| cause instanceof jakarta.persistence.LockTimeoutException
					|| cause instanceof jakarta.persistence.PessimisticLockException
					|| cause instanceof jakarta.persistence.QueryTimeoutException
					|| cause instanceof SQLTimeoutException) {
				return true;
			}
			if (cause instanceof SQLException sql
					&& ((sql.getSQLState() != null && TIMEOUT_STATES.contains(sql.getSQLState()))
							|| TIMEOUT_CODES.contains(sql.getErrorCode()))) {
				return true;
			}
		}
		return false;
	}

	/** A wait for the row lock ran out. */
	private static final class LockBusy extends RuntimeException {

		private static final long serialVersionUID = 1L;

		LockBusy(Throwable cause) {
			super(null, cause, false, false);
		}

	}

}
