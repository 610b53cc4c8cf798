package io.github.atprotospring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Registers one {@link AtprotoClient} bean per named account
 * ({@code atproto.accounts.<name>.*}), named after the account, so that it can be
 * injected with {@code @Qualifier("<name>")}. The properties are read with Boot's
 * {@link Binder} and checked before any bean exists: a mistake is reported with the
 * property to fix before the database starts and before a login is spent. When there are
 * named accounts, the auto-configured client of {@code atproto.handle} becomes the
 * primary bean, so that an {@code AtprotoClient} injected without a qualifier stays that
 * one.
 */
final class AtprotoAccountsRegistrar
		implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryAware {

	/** The prefix of the named accounts' properties. */
	static final String PREFIX = "atproto.accounts.";

	/** The name of the auto-configured client of {@code atproto.handle}. */
	static final String PRIMARY = SessionChangedEvent.PRIMARY_ACCOUNT;

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		Map<String, AtprotoProperties.Account> accounts = accounts(this.environment);
		for (Map.Entry<String, AtprotoProperties.Account> entry : accounts.entrySet()) {
			String name = entry.getKey();
			AtprotoProperties.Account account = entry.getValue();
			if (registry.containsBeanDefinition(name)) {
				throw new AtprotoConfigurationException(PREFIX + name,
						"The named atproto account '" + name + "' (" + PREFIX + name + ".*) has the name of another "
								+ "bean of the application, which its client bean would replace.",
						"Rename the account: use another key under atproto.accounts.");
			}
			RootBeanDefinition definition = new RootBeanDefinition(AtprotoClient.class,
					() -> this.beanFactory.getBean(AtprotoClientFactory.class).account(name, account));
			definition.setDescription("The atproto client of the account " + PREFIX + name);
			registry.registerBeanDefinition(name, definition);
		}
		if (!accounts.isEmpty() && registry.containsBeanDefinition(PRIMARY)) {
			registry.getBeanDefinition(PRIMARY).setPrimary(true);
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	/**
	 * The named accounts of an environment, checked.
	 * @param environment the environment
	 * @return the accounts by name, in the order the configuration gives them
	 * @throws AtprotoConfigurationException naming the property to fix
	 */
	static Map<String, AtprotoProperties.Account> accounts(Environment environment) {
		Map<String, AtprotoProperties.Account> bound = Binder.get(environment)
			.bind("atproto.accounts", Bindable.mapOf(String.class, AtprotoProperties.Account.class))
			.orElse(Map.of());
		Map<String, AtprotoProperties.Account> accounts = new LinkedHashMap<>();
		bound.forEach((name, account) -> {
			check(name, account);
			accounts.put(name, account);
		});
		return accounts;
	}

	private static void check(String name, AtprotoProperties.Account account) {
		String prefix = PREFIX + name;
		if (!StringUtils.hasText(name)) {
			throw new AtprotoConfigurationException(PREFIX, "A named atproto account has an empty name.",
					"Give each account under atproto.accounts a name, as in atproto.accounts.bot1.handle.");
		}
		String[][] values = { { "service", account.getService() }, { "handle", account.getHandle() },
				{ "password", account.getPassword() }, { "auth-factor-token", account.getAuthFactorToken() } };
		for (String[] value : values) {
			String property = prefix + "." + value[0];
			AtprotoPropertiesValidator.checkFilledIn(property, value[1]);
			if (value[1] != null && !value[1].isEmpty() && value[1].isBlank()) {
				throw new AtprotoConfigurationException(property, property + " is set but holds only blanks.",
						"Give " + property + " a value, or remove it.");
			}
		}
		if (!StringUtils.hasText(account.getHandle())) {
			throw new AtprotoConfigurationException(prefix + ".handle",
					"The named atproto account '" + name + "' has no " + prefix + ".handle.",
					"Set " + prefix + ".handle to the account's handle, email or DID (and " + prefix
							+ ".password to an app password for its first login), or remove the account's "
							+ "properties.");
		}
		if (StringUtils.hasText(account.getService())) {
			AtprotoPropertiesValidator.checkService(prefix + ".service", account.getService());
		}
	}

}
