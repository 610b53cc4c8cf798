package io.github.atprotospring.autoconfigure;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import io.github.atprotospring.client.InMemorySessionStore;
import io.github.atprotospring.client.SessionStore;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Judges the {@link SessionDurability} of a session store: the in-memory store never
 * outlives the application, nor does the JPA store on an in-memory database (H2, HSQLDB,
 * Derby or SQLite in memory, as Spring Boot's embedded database is).
 */
class SessionDurabilityInspector {

	/** Known only by name: the JPA store's class needs JPA on the class path. */
	private static final String JPA_STORE = "io.github.atprotospring.autoconfigure.jpa.JpaSessionStore";

	/** How in-memory databases' JDBC URLs begin, by database. */
	private static final List<InMemoryUrl> IN_MEMORY = List.of(new InMemoryUrl("jdbc:h2:mem:", "H2"),
			new InMemoryUrl("jdbc:hsqldb:mem:", "HSQLDB"), new InMemoryUrl("jdbc:derby:memory:", "Derby"),
			new InMemoryUrl("jdbc:sqlite::memory:", "SQLite"), new InMemoryUrl("jdbc:sqlite:file::memory:", "SQLite"));

	private static final String COST = "every restart logs in again, while logins are rate-limited per "
			+ "account (the reference PDS allows 30 in 5 minutes and 300 a day)";

	private final Environment environment;

	private final ClassLoader classLoader;

	SessionDurabilityInspector(Environment environment, ClassLoader classLoader) {
		this.environment = environment;
		this.classLoader = classLoader;
	}

	SessionDurability inspect(SessionStore store, DataSource dataSource) {
		if (store instanceof InMemorySessionStore) {
			return new SessionDurability("memory", false, inMemoryStore());
		}
		if (isA(store.getClass(), JPA_STORE)) {
			return jpa(dataSource);
		}
		return new SessionDurability(store.getClass().getName(), true,
				"Sessions are kept by a SessionStore of the " + "application's own (" + store.getClass().getName()
						+ "); the starter does not judge whether it " + "keeps them across restarts.");
	}

	private String inMemoryStore() {
		String store = this.environment.getProperty("atproto.session.store");
		if ("memory".equalsIgnoreCase(StringUtils.trimWhitespace(store))) {
			return "atproto.session.store=memory keeps the atproto sessions in memory, so " + COST + ". Remove that "
					+ "property (or set it to jpa) to keep them in the application's database.";
		}
		if (!ClassUtils.isPresent("jakarta.persistence.EntityManagerFactory", this.classLoader)
				|| !ClassUtils.isPresent("org.springframework.data.jpa.repository.JpaRepository", this.classLoader)) {
			return "Spring Data JPA is not on the class path, so the atproto sessions are kept in memory and " + COST
					+ ". Add org.springframework.boot:spring-boot-starter-data-jpa (atproto-spring-boot-starter "
					+ "brings it unless it is excluded) with your database's JDBC driver and spring.datasource.url.";
		}
		return "The atproto sessions are kept in memory, since JPA is not set up (no EntityManagerFactory), so " + COST
				+ ". Set spring.datasource.url to your database, or declare a SessionStore bean of your own.";
	}

	private SessionDurability jpa(DataSource dataSource) {
		if (dataSource == null) {
			return new SessionDurability("jpa", true, "Sessions are kept in the application's database through JPA.");
		}
		Optional<Database> database = database(dataSource);
		if (database.isEmpty()) {
			return new SessionDurability("jpa", true,
					"Sessions are kept in the application's database through JPA (it could not be reached to tell "
							+ "whether it is in memory).");
		}
		String url = database.get().url().toLowerCase(Locale.ROOT);
		for (InMemoryUrl inMemory : IN_MEMORY) {
			if (url.startsWith(inMemory.prefix())) {
				return new SessionDurability("jpa", false, inMemoryDatabase(inMemory));
			}
		}
		return new SessionDurability("jpa", true,
				"Sessions are kept in the application's database (" + database.get().product() + ") through JPA.");
	}

	private String inMemoryDatabase(InMemoryUrl inMemory) {
		// The URL itself may hold credentials: only its in-memory prefix is named.
		String where = StringUtils.hasText(this.environment.getProperty("spring.datasource.url"))
				? "an in-memory " + inMemory.database() + " database (spring.datasource.url=" + inMemory.prefix()
						+ "...)"
				: "the in-memory " + inMemory.database() + " database Spring Boot starts when spring.datasource.url "
						+ "is not set";
		return "The JPA session store keeps the atproto sessions in " + where + ", so they are lost when the "
				+ "application stops and " + COST + ". Set spring.datasource.url to a database that outlives the "
				+ "application (with H2, a file: jdbc:h2:file:./data/atproto).";
	}

	private static Optional<Database> database(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			DatabaseMetaData metaData = connection.getMetaData();
			String url = metaData.getURL();
			return (url != null) ? Optional.of(new Database(metaData.getDatabaseProductName(), url)) : Optional.empty();
		}
		catch (SQLException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static boolean isA(Class<?> type, String className) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(className)) {
				return true;
			}
		}
		return false;
	}

	private record InMemoryUrl(String prefix, String database) {
	}

	private record Database(String product, String url) {
	}

}
