package io.github.atprotospring.client.observation;

import java.util.List;
import java.util.Locale;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import io.github.atprotospring.client.observation.AtprotoObservationDocumentation.SessionLowCardinalityKeyNames;

/**
 * The default {@link SessionObservationConvention}: observations named
 * {@value #DEFAULT_NAME}, tagged with the change asked for, its trigger, the last event
 * it led to, its outcome, the XRPC error name and the exception (all bounded). No token,
 * handle or DID is a tag: a convention of the application's own can read the account from
 * the context. Extend it and override one tag's method to change that tag alone.
 */
public class DefaultSessionObservationConvention implements SessionObservationConvention {

	/** The default name of the observations. */
	public static final String DEFAULT_NAME = "atproto.session.changes";

	private final String name;

	/**
	 * A convention with the default name.
	 */
	public DefaultSessionObservationConvention() {
		this(DEFAULT_NAME);
	}

	/**
	 * A convention with a name of the application's choice.
	 * @param name the name of the observations
	 */
	public DefaultSessionObservationConvention(String name) {
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getContextualName(SessionObservationContext context) {
		return "atproto session " + context.getType().toLowerCase(Locale.ROOT);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SessionObservationContext context) {
		return KeyValues.of(error(context), event(context), exception(context), outcome(context), trigger(context),
				type(context));
	}

	/**
	 * The XRPC error name, from a fixed set of known names.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue error(SessionObservationContext context) {
		return SessionLowCardinalityKeyNames.ERROR.withValue(TagValues.xrpcError(context.getXrpcError()));
	}

	/**
	 * The last event the change led to.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue event(SessionObservationContext context) {
		List<String> events = context.getEvents();
		return SessionLowCardinalityKeyNames.EVENT
			.withValue(events.isEmpty() ? TagValues.NONE : events.get(events.size() - 1));
	}

	/**
	 * The exception's simple class name.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue exception(SessionObservationContext context) {
		return SessionLowCardinalityKeyNames.EXCEPTION.withValue(TagValues.exception(context.getError()));
	}

	/**
	 * The outcome.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue outcome(SessionObservationContext context) {
		String outcome;
		if (context.isLoginRefused()) {
			outcome = "REFUSED";
		}
		else if (context.getError() != null || context.getEvents().contains("REFRESH_FAILED")) {
			outcome = "FAILURE";
		}
		else if (context.getEvents().isEmpty()) {
			outcome = "UNCHANGED";
		}
		else {
			outcome = "SUCCESS";
		}
		return SessionLowCardinalityKeyNames.OUTCOME.withValue(outcome);
	}

	/**
	 * What made the client change its session.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue trigger(SessionObservationContext context) {
		return SessionLowCardinalityKeyNames.TRIGGER.withValue(context.getTrigger().name());
	}

	/**
	 * The change asked for.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue type(SessionObservationContext context) {
		return SessionLowCardinalityKeyNames.TYPE.withValue(context.getType());
	}

}
