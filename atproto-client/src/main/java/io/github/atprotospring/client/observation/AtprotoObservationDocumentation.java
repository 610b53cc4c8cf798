package io.github.atprotospring.client.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations the atproto client makes, their tags and their events. With
 * Micrometer's meter handler (Spring Boot's, with Actuator) each observation is a timer
 * of its name, and each event a counter named after the observation and the event.
 */
public enum AtprotoObservationDocumentation implements ObservationDocumentation {

	/**
	 * One XRPC call, from sending the request to reading the answer: timer
	 * {@code atproto.xrpc.requests}. The HTTP exchange inside it is Spring's
	 * {@code http.client.requests}, whose {@code uri} tag is {@code /xrpc/<nsid>}.
	 */
	XRPC_REQUESTS {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultXrpcObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return XrpcLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return XrpcHighCardinalityKeyNames.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return new Observation.Event[] { RATE_LIMITED };
		}

	},

	/**
	 * One session change (a login, a refresh, an import, a logout), with the XRPC calls
	 * and the store's work inside it: timer {@code atproto.session.changes}. Not made for
	 * callers that only wait for another thread's change.
	 */
	SESSION_CHANGES {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSessionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return SessionLowCardinalityKeyNames.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return new Observation.Event[] { LOGIN_REFUSED };
		}

	};

	/**
	 * The event of an XRPC call the server refused for its rate limit (a 429): counter
	 * {@code atproto.xrpc.requests.rate.limited}.
	 */
	public static final Observation.Event RATE_LIMITED = Observation.Event.of("rate.limited",
			"rate limited by the server");

	/**
	 * The event of a login the client's login budget refused without calling the server:
	 * counter {@code atproto.session.changes.login.refused}.
	 */
	public static final Observation.Event LOGIN_REFUSED = Observation.Event.of("login.refused",
			"login refused by the login budget");

	/**
	 * The low-cardinality tags of {@link #XRPC_REQUESTS}.
	 */
	public enum XrpcLowCardinalityKeyNames implements KeyName {

		/**
		 * The XRPC error name of a failed call ({@code ExpiredToken},
		 * {@code RateLimitExceeded}, {@code InvalidResponse}, ...), {@code other} for a
		 * name outside the known ones, {@code none} otherwise.
		 */
		ERROR {

			@Override
			public String asString() {
				return "error";
			}

		},

		/**
		 * The simple class name of the exception a failed call threw, or {@code none}.
		 */
		EXCEPTION {

			@Override
			public String asString() {
				return "exception";
			}

		},

		/**
		 * The XRPC method, such as {@code com.atproto.repo.createRecord}; {@code other}
		 * for a name that is not an NSID.
		 */
		NSID {

			@Override
			public String asString() {
				return "nsid";
			}

		},

		/**
		 * {@code SUCCESS}, or for a failed call {@code REDIRECTION},
		 * {@code CLIENT_ERROR}, {@code SERVER_ERROR}, {@code INVALID_RESPONSE} (a 2xx
		 * answer the client could not use) or {@code UNKNOWN} (no answer).
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		},

		/**
		 * The HTTP status of the answer, or {@code none} when no answer came.
		 */
		STATUS {

			@Override
			public String asString() {
				return "status";
			}

		}

	}

	/**
	 * The high-cardinality tags of {@link #XRPC_REQUESTS}.
	 */
	public enum XrpcHighCardinalityKeyNames implements KeyName {

		/**
		 * The server called, as scheme, host and port (never a path, a query or
		 * user-info).
		 */
		SERVER {

			@Override
			public String asString() {
				return "server";
			}

		}

	}

	/**
	 * The low-cardinality tags of {@link #SESSION_CHANGES}.
	 */
	public enum SessionLowCardinalityKeyNames implements KeyName {

		/**
		 * The XRPC error name of a change that failed on an XRPC error, {@code other} for
		 * a name outside the known ones, {@code none} otherwise.
		 */
		ERROR {

			@Override
			public String asString() {
				return "error";
			}

		},

		/**
		 * The last session event the change led to ({@code CREATE}, {@code REFRESH},
		 * {@code IMPORT}, {@code DELETE}, {@code REFRESH_FAILED}), or {@code none}.
		 */
		EVENT {

			@Override
			public String asString() {
				return "event";
			}

		},

		/**
		 * The simple class name of the exception a failed change threw, or {@code none}.
		 */
		EXCEPTION {

			@Override
			public String asString() {
				return "exception";
			}

		},

		/**
		 * {@code SUCCESS}, {@code UNCHANGED} (another caller's change was used, nothing
		 * was changed), {@code FAILURE} (an exception, or a refresh that failed for a
		 * passing reason and kept the session) or {@code REFUSED} (the login budget
		 * refused a login).
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		},

		/**
		 * What made the client change its session: a {@link SessionChangeTrigger}.
		 */
		TRIGGER {

			@Override
			public String asString() {
				return "trigger";
			}

		},

		/**
		 * The change asked for: {@code CREATE}, {@code REFRESH}, {@code IMPORT} or
		 * {@code DELETE}.
		 */
		TYPE {

			@Override
			public String asString() {
				return "type";
			}

		}

	}

}
