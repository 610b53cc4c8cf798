package io.github.atprotospring.autoconfigure;

/**
 * An {@code atproto.*} property that cannot work, found while the application starts and
 * before any call is made (so no login is spent on it). Its message names the property
 * and what is wrong, never a secret.
 */
public class AtprotoConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String action;

	/**
	 * @param property the property to fix, such as {@code atproto.password}
	 * @param problem what is wrong with it
	 * @param action what to do
	 */
	public AtprotoConfigurationException(String property, String problem, String action) {
		super(problem);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property to fix.
	 * @return its name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What to do.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
