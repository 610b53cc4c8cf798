package io.github.atprotospring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.XrpcHttp;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the atproto client ({@code atproto.*}).
 */
@ConfigurationProperties("atproto")
public class AtprotoProperties {

	/**
	 * Whether to auto-configure the atproto client.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the service to log in to. Data calls then go to the account's own PDS,
	 * named by the DID document the service returns.
	 */
	private String service = AtprotoClient.DEFAULT_SERVICE;

	/**
	 * Account to log in as: a handle, an email or a DID. Without it the client starts
	 * with no session, for applications that call login themselves.
	 */
	private String handle;

	/**
	 * Password of the account; use an app password. Needed for the first login only:
	 * later starts resume the stored session, and the client falls back to it only when
	 * that session is dead.
	 */
	private String password;

	/**
	 * Code mailed by the server for an account with email two-factor sign-in, used for
	 * the first login at startup.
	 */
	private String authFactorToken;

	private final Session session = new Session();

	private final LoginBudget loginBudget = new LoginBudget();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getService() {
		return this.service;
	}

	public void setService(String service) {
		this.service = service;
	}

	public String getHandle() {
		return this.handle;
	}

	public void setHandle(String handle) {
		this.handle = handle;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public String getAuthFactorToken() {
		return this.authFactorToken;
	}

	public void setAuthFactorToken(String authFactorToken) {
		this.authFactorToken = authFactorToken;
	}

	public Session getSession() {
		return this.session;
	}

	public LoginBudget getLoginBudget() {
		return this.loginBudget;
	}

	@Override
	public String toString() {
		return "AtprotoProperties[service=" + this.service + ", handle=" + this.handle + ", password="
				+ ((this.password != null) ? "<redacted>" : "null") + "]";
	}

	/**
	 * How sessions are kept and refreshed.
	 */
	public static class Session {

		/**
		 * How long before the access token expires the client refreshes it.
		 */
		private Duration refreshMargin = AtprotoClient.DEFAULT_REFRESH_MARGIN;

		/**
		 * Whether to resume the stored session (or log in) while the application starts,
		 * rather than on the first call.
		 */
		private boolean resumeOnStartup = true;

		/**
		 * Where sessions are kept between runs: 'jpa' (the default when JPA is on the
		 * class path) or 'memory' (lost at every restart). A SessionStore bean of the
		 * application's own replaces both.
		 */
		private StoreType store;

		/**
		 * How long a call waits at most for a session change under way in another thread
		 * (a refresh or a login, with the coordination among instances) before it fails
		 * with SessionWaitException; the session is kept.
		 */
		private Duration changeTimeout = AtprotoClient.DEFAULT_SESSION_CHANGE_TIMEOUT;

		/**
		 * How long one wait for the lock on the stored session (held by another instance
		 * that is refreshing it) may last. When it runs out the instance reads the stored
		 * session again, adopts it if it is newer, or waits again, for at most half the
		 * change timeout in all; it never refreshes without the lock while the database
		 * answers.
		 */
		private Duration lockTimeout = Duration.ofSeconds(5);

		private final Flyway flyway = new Flyway();

		private final Encryption encryption = new Encryption();

		public Duration getRefreshMargin() {
			return this.refreshMargin;
		}

		public void setRefreshMargin(Duration refreshMargin) {
			this.refreshMargin = refreshMargin;
		}

		public boolean isResumeOnStartup() {
			return this.resumeOnStartup;
		}

		public void setResumeOnStartup(boolean resumeOnStartup) {
			this.resumeOnStartup = resumeOnStartup;
		}

		public StoreType getStore() {
			return this.store;
		}

		public void setStore(StoreType store) {
			this.store = store;
		}

		public Duration getChangeTimeout() {
			return this.changeTimeout;
		}

		public void setChangeTimeout(Duration changeTimeout) {
			this.changeTimeout = changeTimeout;
		}

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public Flyway getFlyway() {
			return this.flyway;
		}

		public Encryption getEncryption() {
			return this.encryption;
		}

	}

	/**
	 * Encryption at rest of the stored sessions (AES-256-GCM).
	 */
	public static class Encryption {

		/**
		 * Key that stored sessions are encrypted with: base64 of 32 random bytes (for
		 * example from 'openssl rand -base64 32'). Unset, sessions are stored as plain
		 * text. A SessionCipher bean of the application's own (a KMS, a vault) replaces
		 * it.
		 */
		private String key;

		/**
		 * Earlier keys, still read after a rotation: sessions written with one of them
		 * are read and re-encrypted with the current key at their next save.
		 */
		private List<String> oldKeys = new ArrayList<>();

		public String getKey() {
			return this.key;
		}

		public void setKey(String key) {
			this.key = key;
		}

		public List<String> getOldKeys() {
			return this.oldKeys;
		}

		public void setOldKeys(List<String> oldKeys) {
			this.oldKeys = oldKeys;
		}

		@Override
		public String toString() {
			return "Encryption[key=" + ((this.key != null) ? "<redacted>" : "null") + ", oldKeys=" + this.oldKeys.size()
					+ "]";
		}

	}

	/**
	 * The schema of the JPA session store, migrated by a Flyway of its own.
	 */
	public static class Flyway {

		/**
		 * Whether to create and migrate the session table with Flyway. Turn off to manage
		 * the schema yourself (the SQL is in the jar under db/atproto/migration).
		 */
		private boolean enabled = true;

		/**
		 * Name of the Flyway history table of the session schema; kept apart from the
		 * application's own.
		 */
		private String table = "atproto_schema_history";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTable() {
			return this.table;
		}

		public void setTable(String table) {
			this.table = table;
		}

	}

	/**
	 * The client's own guard of the server's login rate limit.
	 */
	public static class LoginBudget {

		/**
		 * Whether the client refuses, without calling the server, a login that would
		 * exceed the budget.
		 */
		private boolean enabled = true;

		/**
		 * Logins allowed per account in any 5 minutes.
		 */
		private int maxPerFiveMinutes = 30;

		/**
		 * Logins allowed per account in any day (bsky.social has been seen enforcing
		 * 100).
		 */
		private int maxPerDay = 300;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxPerFiveMinutes() {
			return this.maxPerFiveMinutes;
		}

		public void setMaxPerFiveMinutes(int maxPerFiveMinutes) {
			this.maxPerFiveMinutes = maxPerFiveMinutes;
		}

		public int getMaxPerDay() {
			return this.maxPerDay;
		}

		/**
		 * The budget's windows.
		 * @return the five-minute and the daily window
		 */
		public List<io.github.atprotospring.client.LoginBudget.Window> windows() {
			return List.of(
					new io.github.atprotospring.client.LoginBudget.Window(this.maxPerFiveMinutes,
							Duration.ofMinutes(5)),
					new io.github.atprotospring.client.LoginBudget.Window(this.maxPerDay, Duration.ofDays(1)));
		}

		public void setMaxPerDay(int maxPerDay) {
			this.maxPerDay = maxPerDay;
		}

	}

	/**
	 * Where sessions are kept between runs.
	 */
	public enum StoreType {

		/** In the application's database, through JPA. */
		JPA,

		/** In memory: every restart logs in again. */
		MEMORY

	}

	private final Http http = new Http();

	public Http getHttp() {
		return this.http;
	}

	/**
	 * The HTTP client of the atproto client: its timeouts and the largest answer it
	 * reads. It never follows redirects, whatever spring.http.clients.redirects says.
	 */
	public static class Http {

		/**
		 * How long the client waits for a connection. Used unless
		 * spring.http.clients.connect-timeout is set.
		 */
		private Duration connectTimeout = XrpcHttp.DEFAULT_CONNECT_TIMEOUT;

		/**
		 * How long the client waits for a whole answer, body included, from sending the
		 * request. Used unless spring.http.clients.read-timeout is set. With an HTTP
		 * library chosen through Boot other than the JDK's it bounds each read.
		 */
		private Duration readTimeout = XrpcHttp.DEFAULT_READ_TIMEOUT;

		/**
		 * The largest answer body the client reads; a larger answer fails the call. Error
		 * answers are read up to 8 KB whatever this says.
		 */
		private DataSize maxResponseSize = DataSize.ofBytes(XrpcHttp.DEFAULT_MAX_RESPONSE_SIZE);

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

	}

	// --- many accounts: named accounts, the registry of accounts added at runtime, and
	// the keeping alive of idle sessions

	/**
	 * Accounts of their own beside atproto.handle, by name: each an AtprotoClient bean
	 * named after its key (inject it with @Qualifier("<name>")), on the store, login
	 * budget, coordinator and HTTP connection pool of the primary client.
	 */
	private final Map<String, Account> accounts = new LinkedHashMap<>();

	private final Registry registry = new Registry();

	private final KeepAlive keepAlive = new KeepAlive();

	public Map<String, Account> getAccounts() {
		return this.accounts;
	}

	public Registry getRegistry() {
		return this.registry;
	}

	public KeepAlive getKeepAlive() {
		return this.keepAlive;
	}

	/**
	 * One named account ({@code atproto.accounts.<name>.*}).
	 */
	public static class Account {

		/**
		 * Base URL of the service the account lives on. Unset, atproto.service.
		 */
		private String service;

		/**
		 * Account to log in as: a handle, an email or a DID.
		 */
		private String handle;

		/**
		 * Password of the account; use an app password. Needed for the first login only.
		 */
		private String password;

		/**
		 * Code mailed by the server for an account with email two-factor sign-in, used
		 * for the first login at startup.
		 */
		private String authFactorToken;

		public String getService() {
			return this.service;
		}

		public void setService(String service) {
			this.service = service;
		}

		public String getHandle() {
			return this.handle;
		}

		public void setHandle(String handle) {
			this.handle = handle;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public String getAuthFactorToken() {
			return this.authFactorToken;
		}

		public void setAuthFactorToken(String authFactorToken) {
			this.authFactorToken = authFactorToken;
		}

		@Override
		public String toString() {
			return "Account[service=" + this.service + ", handle=" + this.handle + ", password="
					+ ((this.password != null) ? "<redacted>" : "null") + "]";
		}

	}

	/**
	 * The registry of accounts added at runtime (the AtprotoClients bean).
	 */
	public static class Registry {

		/**
		 * How many clients of accounts added at runtime stay in memory at most; the least
		 * recently used leave it (their sessions stay in the store) and are loaded again
		 * on their next use.
		 */
		private int maxResident = AtprotoClients.DEFAULT_MAX_RESIDENT;

		public int getMaxResident() {
			return this.maxResident;
		}

		public void setMaxResident(int maxResident) {
			this.maxResident = maxResident;
		}

	}

	/**
	 * The background task that refreshes stored sessions whose refresh token nears its
	 * end, so that accounts unused for weeks need no password again.
	 */
	public static class KeepAlive {

		/**
		 * Whether to refresh, in the background, the stored sessions whose refresh token
		 * nears its end.
		 */
		private boolean enabled = true;

		/**
		 * How long before its refresh token expires a stored session is refreshed.
		 */
		private Duration refreshBefore = Duration.ofDays(7);

		/**
		 * How often the task reads the stored sessions to find those due.
		 */
		private Duration period = Duration.ofMinutes(10);

		/**
		 * The most refreshes the task makes in any one minute, in this instance; they are
		 * spread evenly over the minute.
		 */
		private int maxPerMinute = 30;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRefreshBefore() {
			return this.refreshBefore;
		}

		public void setRefreshBefore(Duration refreshBefore) {
			this.refreshBefore = refreshBefore;
		}

		public Duration getPeriod() {
			return this.period;
		}

		public void setPeriod(Duration period) {
			this.period = period;
		}

		public int getMaxPerMinute() {
			return this.maxPerMinute;
		}

		public void setMaxPerMinute(int maxPerMinute) {
			this.maxPerMinute = maxPerMinute;
		}

	}

}
