package io.github.atprotospring.client;

import java.net.URI;
import java.util.function.Function;
import java.util.function.IntConsumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import io.github.atprotospring.client.observation.AtprotoObservationDocumentation;
import io.github.atprotospring.client.observation.DefaultSessionObservationConvention;
import io.github.atprotospring.client.observation.DefaultXrpcObservationConvention;
import io.github.atprotospring.client.observation.SessionChangeTrigger;
import io.github.atprotospring.client.observation.SessionObservationContext;
import io.github.atprotospring.client.observation.SessionObservationConvention;
import io.github.atprotospring.client.observation.XrpcObservationContext;
import io.github.atprotospring.client.observation.XrpcObservationConvention;

/**
 * Observes a client's XRPC calls and session changes in its {@link ObservationRegistry};
 * with the no-op registry (the default) it adds nothing to a call but a check.
 */
final class ClientObservations {

	static final ClientObservations NONE = new ClientObservations(ObservationRegistry.NOOP, null, null);

	private static final XrpcObservationConvention DEFAULT_XRPC = new DefaultXrpcObservationConvention();

	private static final SessionObservationConvention DEFAULT_SESSION = new DefaultSessionObservationConvention();

	private static final IntConsumer IGNORED = (status) -> {
	};

	private final ObservationRegistry registry;

	private final XrpcObservationConvention xrpcConvention;

	private final SessionObservationConvention sessionConvention;

	/**
	 * The context of the session change under way. Only the thread that runs a change
	 * sets, reads and clears it, and changes run one at a time.
	 */
	private volatile SessionObservationContext changing;

	ClientObservations(ObservationRegistry registry, XrpcObservationConvention xrpcConvention,
			SessionObservationConvention sessionConvention) {
		this.registry = registry;
		this.xrpcConvention = xrpcConvention;
		this.sessionConvention = sessionConvention;
	}

	ObservationRegistry registry() {
		return this.registry;
	}

	/**
	 * Observes one XRPC call.
	 * @param call the call, given a sink for the answer's HTTP status
	 */
	<T> T xrpc(String nsid, String httpMethod, URI uri, Function<IntConsumer, T> call) {
		if (this.registry.isNoop()) {
			return call.apply(IGNORED);
		}
		XrpcObservationContext context = new XrpcObservationContext(nsid, httpMethod, Endpoints.describe(uri));
		Observation observation = AtprotoObservationDocumentation.XRPC_REQUESTS
			.observation(this.xrpcConvention, DEFAULT_XRPC, () -> context, this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			return call.apply(context::setStatus);
		}
		catch (XrpcException ex) {
			if (ex.status() > 0) {
				context.setStatus(ex.status());
			}
			context.setXrpcError(ex.error());
			context.setRateLimited(ex.status() == 429 || ex instanceof RateLimitExceededException);
			observation.error(ex);
			if (context.isRateLimited()) {
				// A counter's tags are those of the context when the event is signalled.
				XrpcObservationConvention convention = (this.xrpcConvention != null) ? this.xrpcConvention
						: DEFAULT_XRPC;
				observation.lowCardinalityKeyValues(convention.getLowCardinalityKeyValues(context));
				observation.event(AtprotoObservationDocumentation.RATE_LIMITED);
			}
			throw ex;
		}
		catch (RuntimeException | Error ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * A session change's operation, observed when it runs. It runs only in the thread
	 * that makes the change; callers that wait for it are not observed.
	 * @param type the change asked for
	 * @param trigger what asked for it
	 * @param operation the change
	 */
	Function<Held, Held> sessionChange(String service, SessionEvent type, SessionChangeTrigger trigger,
			Function<Held, Held> operation) {
		if (this.registry.isNoop()) {
			return operation;
		}
		return (current) -> {
			SessionObservationContext context = new SessionObservationContext(service, type.name(), trigger);
			Observation observation = AtprotoObservationDocumentation.SESSION_CHANGES
				.observation(this.sessionConvention, DEFAULT_SESSION, () -> context, this.registry)
				.start();
			this.changing = context;
			try (Observation.Scope scope = observation.openScope()) {
				return operation.apply(current);
			}
			catch (RuntimeException | Error ex) {
				if (ex instanceof XrpcException xrpc) {
					context.setXrpcError(xrpc.error());
				}
				observation.error(ex);
				if (ex instanceof RateLimitExceededException limited && limited.isLocal()) {
					context.setLoginRefused(true);
					SessionObservationConvention convention = (this.sessionConvention != null) ? this.sessionConvention
							: DEFAULT_SESSION;
					observation.lowCardinalityKeyValues(convention.getLowCardinalityKeyValues(context));
					observation.event(AtprotoObservationDocumentation.LOGIN_REFUSED);
				}
				throw ex;
			}
			finally {
				this.changing = null;
				observation.stop();
			}
		};
	}

	/** Records a session event in the change under way, if it is observed. */
	void told(SessionEvent event, Session session) {
		SessionObservationContext context = this.changing;
		if (context != null) {
			context.addEvent(event.name(), session.did(), session.handle());
		}
	}

}
