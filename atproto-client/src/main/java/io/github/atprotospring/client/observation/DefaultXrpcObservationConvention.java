package io.github.atprotospring.client.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

import io.github.atprotospring.client.observation.AtprotoObservationDocumentation.XrpcHighCardinalityKeyNames;
import io.github.atprotospring.client.observation.AtprotoObservationDocumentation.XrpcLowCardinalityKeyNames;

/**
 * The default {@link XrpcObservationConvention}: observations named
 * {@value #DEFAULT_NAME}, tagged with the method, the status, the outcome, the XRPC error
 * name and the exception (all bounded), and with the server (scheme, host and port) as a
 * high-cardinality tag. No token, handle, DID, query or body is ever a tag. Extend it and
 * override one tag's method to change that tag alone.
 */
public class DefaultXrpcObservationConvention implements XrpcObservationConvention {

	/** The default name of the observations. */
	public static final String DEFAULT_NAME = "atproto.xrpc.requests";

	private final String name;

	/**
	 * A convention with the default name.
	 */
	public DefaultXrpcObservationConvention() {
		this(DEFAULT_NAME);
	}

	/**
	 * A convention with a name of the application's choice.
	 * @param name the name of the observations
	 */
	public DefaultXrpcObservationConvention(String name) {
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getContextualName(XrpcObservationContext context) {
		return "xrpc " + TagValues.nsid(context.getNsid());
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(XrpcObservationContext context) {
		// In the order of the key names, as Micrometer sorts them anyway.
		return KeyValues.of(error(context), exception(context), nsid(context), outcome(context), status(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(XrpcObservationContext context) {
		return KeyValues.of(server(context));
	}

	/**
	 * The XRPC error name, from a fixed set of known names.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue error(XrpcObservationContext context) {
		return XrpcLowCardinalityKeyNames.ERROR.withValue(TagValues.xrpcError(context.getXrpcError()));
	}

	/**
	 * The exception's simple class name.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue exception(XrpcObservationContext context) {
		return XrpcLowCardinalityKeyNames.EXCEPTION.withValue(TagValues.exception(context.getError()));
	}

	/**
	 * The XRPC method.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue nsid(XrpcObservationContext context) {
		return XrpcLowCardinalityKeyNames.NSID.withValue(TagValues.nsid(context.getNsid()));
	}

	/**
	 * The outcome: {@code SUCCESS} for a call that returned, else by the status.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue outcome(XrpcObservationContext context) {
		return XrpcLowCardinalityKeyNames.OUTCOME.withValue(outcomeOf(context));
	}

	private static String outcomeOf(XrpcObservationContext context) {
		int status = context.getStatus();
		if (context.getError() == null && status >= 200 && status < 300) {
			return "SUCCESS";
		}
		if (status >= 200 && status < 300) {
			return "INVALID_RESPONSE";
		}
		if (status >= 300 && status < 400) {
			return "REDIRECTION";
		}
		if (status >= 400 && status < 500) {
			return "CLIENT_ERROR";
		}
		if (status >= 500 && status < 600) {
			return "SERVER_ERROR";
		}
		return "UNKNOWN";
	}

	/**
	 * The HTTP status.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue status(XrpcObservationContext context) {
		int status = context.getStatus();
		return XrpcLowCardinalityKeyNames.STATUS
			.withValue((status >= 100 && status < 600) ? String.valueOf(status) : TagValues.NONE);
	}

	/**
	 * The server, as scheme, host and port.
	 * @param context the context
	 * @return the tag
	 */
	protected KeyValue server(XrpcObservationContext context) {
		return XrpcHighCardinalityKeyNames.SERVER.withValue(context.getServer());
	}

}
