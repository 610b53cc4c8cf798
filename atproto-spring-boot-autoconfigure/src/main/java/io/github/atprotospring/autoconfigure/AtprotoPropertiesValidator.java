package io.github.atprotospring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.atprotospring.client.AtprotoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Checks the {@code atproto.*} properties before any bean is created, so that a mistake
 * is reported before the database starts and before a login is spent on it: a malformed
 * {@code atproto.service}, a {@code ${...}} placeholder that was never filled in, a value
 * of blanks. It warns of a password that does not look like an app password, and of
 * unknown {@code atproto.*} properties, naming the closest known one.
 */
final class AtprotoPropertiesValidator implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(AtprotoPropertiesValidator.class);

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("atproto");

	private static final ConfigurationPropertyName ACCOUNTS = ConfigurationPropertyName.of("atproto.accounts");

	/** The fields of a named account, {@code atproto.accounts.<name>.<field>}. */
	static final Set<String> ACCOUNT_FIELDS = Set.of("service", "handle", "password", "auth-factor-token");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)(?::[^}]*)?}");

	/** The form of the app passwords Bluesky hands out. */
	private static final Pattern APP_PASSWORD = Pattern.compile("[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Binder binder = Binder.get(this.environment);
		String service = binder.bind("atproto.service", String.class).orElse(AtprotoClient.DEFAULT_SERVICE);
		checkFilledIn("atproto.service", service);
		checkService("atproto.service", service);
		for (String property : new String[] { "atproto.handle", "atproto.password", "atproto.auth-factor-token" }) {
			String value = binder.bind(property, String.class).orElse(null);
			checkFilledIn(property, value);
			if (value != null && !value.isEmpty() && value.isBlank()) {
				throw new AtprotoConfigurationException(property, property + " is set but holds only blanks.",
						"Give " + property + " a value, or remove it.");
			}
		}
		String password = binder.bind("atproto.password", String.class).orElse(null);
		if (password != null && !password.isBlank() && !APP_PASSWORD.matcher(password.strip()).matches()
				&& !isLoopback(service)) {
			logger.warn("atproto.password does not have the form of an app password (xxxx-xxxx-xxxx-xxxx). Use an "
					+ "app password (created in the account's settings under App passwords), never the account's "
					+ "main password: it can be revoked alone if it leaks.");
		}
		if (this.environment instanceof ConfigurableEnvironment configurable) {
			warnOfUnknownProperties(configurable);
		}
	}

	static void checkFilledIn(String property, String value) {
		if (value == null) {
			return;
		}
		Matcher placeholder = PLACEHOLDER.matcher(value);
		if (placeholder.find()) {
			String name = placeholder.group(1).strip();
			throw new AtprotoConfigurationException(property,
					property + " holds the placeholder ${" + name + "}, which was not filled in: no property or "
							+ "environment variable named " + name + " is set. No login was attempted.",
					"Set the environment variable " + name + " (or the property " + name + ") before starting, or "
							+ "give " + property + " a value; for a value that may be absent write ${" + name
							+ ":} (empty when unset).");
		}
	}

	static void checkService(String property, String service) {
		String problem = null;
		try {
			URI uri = new URI(service.strip());
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
				problem = "is not an http or https URL";
			}
			else if (uri.getHost() == null) {
				problem = "has no host";
			}
			else if (uri.getRawUserInfo() != null) {
				problem = "contains user information (credentials go in atproto.handle and atproto.password)";
			}
			else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
				problem = "has a query or a fragment";
			}
		}
		catch (Exception ex) {
			problem = "is not a URL";
		}
		if (problem != null) {
			throw new AtprotoConfigurationException(property,
					property + " " + problem + ": '" + withoutUserInfo(service) + "'.",
					"Set " + property + " to the base URL of the service the account lives on, such as "
							+ AtprotoClient.DEFAULT_SERVICE + " (for Bluesky) or http://localhost:2583 (a local PDS).");
		}
	}

	private static String withoutUserInfo(String service) {
		int at = service.indexOf('@');
		int scheme = service.indexOf("://");
		return (at > 0 && scheme > 0 && at > scheme)
				? service.substring(0, scheme + 3) + "<redacted>@" + service.substring(at + 1) : service;
	}

	private static boolean isLoopback(String service) {
		try {
			String host = URI.create(service.strip()).getHost();
			return host != null && ("localhost".equalsIgnoreCase(host) || host.endsWith(".test")
					|| host.startsWith("127.") || "[::1]".equals(host));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private void warnOfUnknownProperties(ConfigurableEnvironment environment) {
		Set<String> known = knownProperties();
		if (known.isEmpty()) {
			return;
		}
		Set<String> unknown = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			Object underlying = source.getUnderlyingSource();
			if (underlying instanceof PropertySource<?> propertySource
					&& StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(propertySource.getName())) {
				continue;
			}
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(ROOT::isAncestorOf)
					.stream()
					.filter((name) -> !isAccountField(name))
					.map(ConfigurationPropertyName::toString)
					.filter((name) -> !known.contains(name))
					.forEach(unknown::add);
			}
		}
		for (String name : unknown) {
			String closest = ACCOUNTS.isAncestorOf(ConfigurationPropertyName.adapt(name, '.'))
					? closestAccountField(name) : closest(name, known);
			logger.warn("Unknown property '{}': the atproto starter has no such property{}", name,
					(closest != null) ? "; did you mean '" + closest + "'?" : " (see the README's property table)");
		}
	}

	/**
	 * Whether a name is a field of a named account,
	 * {@code atproto.accounts.<name>.<field>}.
	 */
	private static boolean isAccountField(ConfigurationPropertyName name) {
		return name.getNumberOfElements() == ACCOUNTS.getNumberOfElements() + 2 && ACCOUNTS.isAncestorOf(name)
				&& ACCOUNT_FIELDS.contains(name.getLastElement(ConfigurationPropertyName.Form.DASHED));
	}

	/** The field of a named account that a mistyped name under atproto.accounts means. */
	private static String closestAccountField(String name) {
		int last = name.lastIndexOf('.');
		if (last <= ACCOUNTS.toString().length()) {
			return null;
		}
		String field = closest(name.substring(last + 1), ACCOUNT_FIELDS);
		return (field != null) ? name.substring(0, last + 1) + field : null;
	}

	/** The names of the starter's properties, from its configuration metadata. */
	private static Set<String> knownProperties() {
		Set<String> names = new LinkedHashSet<>();
		JsonMapper json = JsonMapper.builder().build();
		try {
			ClassLoader loader = AtprotoPropertiesValidator.class.getClassLoader();
			Enumeration<URL> resources = loader.getResources("META-INF/spring-configuration-metadata.json");
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						String name = property.path("name").asString("");
						if (name.startsWith("atproto.")) {
							names.add(name);
						}
					}
				}
			}
		}
		catch (IOException | JacksonException ex) {
			logger.debug("Could not read the configuration metadata; unknown properties are not reported", ex);
		}
		return names;
	}

	/** The known name closest to a name, if close enough to be a typo of it. */
	static String closest(String name, Set<String> known) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : known) {
			int distance = distance(name.toLowerCase(Locale.ROOT), candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return (best != null && bestDistance <= Math.max(2, best.length() / 4)) ? best : null;
	}

	/** The edit distance (insertions, deletions, substitutions, transpositions). */
	private static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
