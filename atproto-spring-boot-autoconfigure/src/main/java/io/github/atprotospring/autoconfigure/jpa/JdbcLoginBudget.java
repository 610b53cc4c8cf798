package io.github.atprotospring.autoconfigure.jpa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.github.atprotospring.client.AtprotoUrls;
import io.github.atprotospring.client.LoginBudget;
import io.github.atprotospring.client.LoginBudgets;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link LoginBudget} kept in the database, so that restarts and instances share it: a
 * crash loop with a dead session and a wrong password stops calling the server once the
 * budget is spent, and stays stopped across restarts until the window or the server's
 * block has passed.
 * <p>
 * Counting an attempt locks the identifier's row, so that instances logging in at the
 * same moment cannot both take the last place.
 */
public class JdbcLoginBudget implements LoginBudget {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final String service;

	private final Clock clock;

	private final List<Window> windows;

	private final Duration longest;

	private final UtcInstants instants;

	/**
	 * @param dataSource the database with the starter's schema
	 * @param transactionManager the transaction manager of that database
	 * @param service the service the logins go to
	 * @param clock the clock
	 * @param windows the windows, all of which an attempt must fit
	 */
	public JdbcLoginBudget(DataSource dataSource, PlatformTransactionManager transactionManager, String service,
			Clock clock, List<Window> windows) {
		if (windows.isEmpty()) {
			throw new IllegalArgumentException("A login budget needs at least one window; use LoginBudget.unlimited()");
		}
		this.jdbc = new JdbcTemplate(dataSource);
		this.instants = new UtcInstants(this.jdbc);
		this.transactions = new TransactionTemplate(transactionManager);
		// An attempt counts even when the login is made inside another transaction (a
		// coordinated
		// refresh that falls back to a login) that then rolls back.
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.service = AtprotoUrls.normalize(service);
		this.clock = clock;
		this.windows = List.copyOf(windows);
		this.longest = this.windows.stream().map(Window::period).max(Comparator.naturalOrder()).orElseThrow();
	}

	@Override
	public void acquire(String identifier) {
		String key = account(key(identifier));
		ensureRow(key);
		this.transactions.executeWithoutResult((status) -> {
			Instant now = this.clock.instant();
			lock(key);
			Instant blocked = blockedUntil(key);
			if (blocked != null && now.isBefore(blocked)) {
				throw LoginBudgets.refusal("the server rate-limited logins for this account", null, now, blocked);
			}
			this.jdbc.update(
					"delete from atproto_login_attempt where service = ? and identifier = ? and attempted_at <= ?",
					this.service, key, this.instants.of(now.minus(this.longest)));
			List<Instant> attempts = this.jdbc.query(
					"select attempted_at from atproto_login_attempt where service = ? and identifier = ?",
					this.instants.column(), this.service, key);
			LoginBudgets.checkWindows(this.windows, attempts, now);
			this.jdbc.update("insert into atproto_login_attempt (service, identifier, attempted_at) values (?, ?, ?)",
					this.service, key, this.instants.of(now));
		});
	}

	@Override
	public void blockUntil(String identifier, Instant until) {
		String key = account(key(identifier));
		ensureRow(key);
		this.transactions.executeWithoutResult((status) -> this.jdbc.update(
				"update atproto_login_budget set blocked_until = ? where service = ? and identifier = ? "
						+ "and (blocked_until is null or blocked_until < ?)",
				this.instants.of(until), this.service, key, this.instants.of(until)));
	}

	@Override
	public void merge(String identifier, String did) {
		String from = key(identifier);
		String to = key(did);
		if (from.equals(to)) {
			return;
		}
		ensureRow(to);
		ensureRow(from);
		this.transactions.executeWithoutResult((status) -> {
			lock(to);
			lock(from);
			Instant blocked = blockedUntil(to);
			Instant other = blockedUntil(from);
			if (other != null && (blocked == null || other.isAfter(blocked))) {
				this.jdbc.update(
						"update atproto_login_budget set blocked_until = ? where service = ? and identifier = ?",
						this.instants.of(other), this.service, to);
			}
			this.jdbc.update("update atproto_login_attempt set identifier = ? where service = ? and identifier = ?", to,
					this.service, from);
			// From now on the identifier counts as the account, in every instance.
			this.jdbc.update(
					"update atproto_login_budget set account = ?, blocked_until = null where service = ? and identifier = ?",
					to, this.service, from);
		});
	}

	private Instant blockedUntil(String key) {
		return this.jdbc.queryForObject(
				"select blocked_until from atproto_login_budget where service = ? and identifier = ?",
				this.instants.column(), this.service, key);
	}

	/** The account an identifier is known to name (its DID), or the identifier itself. */
	private String account(String key) {
		List<String> accounts = this.transactions.execute((status) -> this.jdbc.queryForList(
				"select account from atproto_login_budget where service = ? and identifier = ?", String.class,
				this.service, key));
		return (accounts != null && !accounts.isEmpty() && accounts.get(0) != null) ? accounts.get(0) : key;
	}

	/**
	 * Locks an identifier's row until the transaction ends, in SQL every supported
	 * database accepts: an update that changes nothing takes the row's write lock, where
	 * {@code SELECT ... FOR UPDATE} is refused by SQL Server.
	 */
	private void lock(String key) {
		this.jdbc.update("update atproto_login_budget set identifier = identifier where service = ? and identifier = ?",
				this.service, key);
	}

	/** Creates the identifier's row, in a transaction of its own: a lost race is fine. */
	private void ensureRow(String key) {
		Integer rows = this.transactions.execute((status) -> this.jdbc.queryForObject(
				"select count(*) from atproto_login_budget where service = ? and identifier = ?", Integer.class,
				this.service, key));
		if (rows == null || rows == 0) {
			try {
				this.transactions.executeWithoutResult((status) -> this.jdbc
					.update("insert into atproto_login_budget (service, identifier) values (?, ?)", this.service, key));
			}
			catch (DuplicateKeyException ex) {
				// Another instance created it first.
			}
		}
	}

	private static String key(String identifier) {
		return identifier.strip().toLowerCase(Locale.ROOT);
	}

}
