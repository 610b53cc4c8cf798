package io.github.atprotospring.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.observation.DefaultSessionObservationConvention;
import io.github.atprotospring.client.observation.DefaultXrpcObservationConvention;
import io.github.atprotospring.client.observation.XrpcObservationContext;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The observations of a client's life: a login, calls, a proactive and a reactive
 * refresh, a server's 429 and a login the budget refuses, each with the tags an operator
 * reads, nested as they happen, and none naming a token, a handle or a DID.
 */
class ObservationTests extends PdsDoubleSupport {

	static final String XRPC = "atproto.xrpc.requests";

	static final String SESSION = "atproto.session.changes";

	static final String HTTP = "http.client.requests";

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	/** The server's own clock, so that a test can put it ahead of the client's. */
	final MutableClock serverClock = MutableClock.at(this.clock.instant());

	final TestObservationRegistry registry = TestObservationRegistry.create();

	final Recorder recorder = new Recorder();

	{
		this.registry.observationConfig().observationHandler(this.recorder);
	}

	@Override
	PdsDouble.Builder configure(PdsDouble.Builder builder) {
		// One login per day at the server: the second login of the day is its 429.
		return builder.clock(this.serverClock).rateLimits(true).createSessionLimit(30, 1);
	}

	@Override
	AtprotoClient.Builder clientBuilder() {
		return super.clientBuilder().observationRegistry(this.registry);
	}

	@Test
	void aLifecycleIsObservedCallByCallAndChangeByChange() {
		AtprotoClient client = client();

		Session session = client.login(HANDLE, PASSWORD);
		assertThat(this.recorder.take()).containsExactly(xrpc(CREATE, "200", "SUCCESS", "none").parent(SESSION),
				change("CREATE", "REQUESTED", "CREATE", "SUCCESS", "none"));

		client.getSession();
		assertThat(this.recorder.take()).containsExactly(xrpc(GET_SESSION, "200", "SUCCESS", "none"));

		// Within the refresh margin on both clocks: refreshed before the call.
		advanceBoth(Duration.ofHours(2).minusMinutes(4));
		client.getSession();
		assertThat(this.recorder.take()).containsExactly(xrpc(REFRESH, "200", "SUCCESS", "none").parent(SESSION),
				change("REFRESH", "PROACTIVE", "REFRESH", "SUCCESS", "none"),
				xrpc(GET_SESSION, "200", "SUCCESS", "none"));

		// The server's clock runs ahead: it answers ExpiredToken to a token the client
		// holds valid, and the client refreshes and retries once.
		this.serverClock.advance(Duration.ofHours(3));
		client.getSession();
		assertThat(this.recorder.take()).containsExactly(xrpc(GET_SESSION, "400", "CLIENT_ERROR", "ExpiredToken"),
				xrpc(REFRESH, "200", "SUCCESS", "none").parent(SESSION),
				change("REFRESH", "REACTIVE", "REFRESH", "SUCCESS", "none"),
				xrpc(GET_SESSION, "200", "SUCCESS", "none"));
		assertThat(this.recorder.events()).isEmpty();

		// The server allows one login a day: a 429, counted by its event.
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> assertThat(ex.isLocal()).isFalse());
		assertThat(this.recorder.take()).containsExactly(
				xrpc(CREATE, "429", "CLIENT_ERROR", "RateLimitExceeded").parent(SESSION),
				change("CREATE", "REQUESTED", "none", "FAILURE", "RateLimitExceeded"));
		assertThat(this.recorder.events()).containsExactly(
				new Signal(XRPC + ".rate.limited", xrpc(CREATE, "429", "CLIENT_ERROR", "RateLimitExceeded").tags()));

		// The client's budget now refuses a login before the server's reset, with no
		// call: counted by its event, and no XRPC observation.
		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> assertThat(ex.isLocal()).isTrue());
		assertThat(this.recorder.take())
			.containsExactly(change("CREATE", "REQUESTED", "none", "REFUSED", "RateLimitExceeded"));
		assertThat(this.recorder.events()).containsExactly(new Signal(SESSION + ".login.refused",
				change("CREATE", "REQUESTED", "none", "REFUSED", "RateLimitExceeded").tags()));
		assertThat(this.pds.callCount(CREATE)).isEqualTo(2);

		assertThat(this.recorder.allTagValues()).isNotEmpty()
			.noneMatch((value) -> value.contains(this.did) || value.contains(HANDLE)
					|| value.contains(session.accessJwt()) || value.contains(session.refreshJwt()));
		assertThat(this.registry).doesNotHaveAnyRemainingCurrentObservation();
	}

	@Test
	void theHttpExchangeIsTaggedWithTheMethodsUriTemplateInsideTheXrpcObservation() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		String rkey = client.createPost("Hello").rkey();
		client.getRecord(this.did, "app.bsky.feed.post", rkey);
		List<Recorded> http = this.recorder.http();
		assertThat(http).extracting((recorded) -> recorded.tags().get("uri"))
			.containsExactly("/xrpc/" + CREATE, "/xrpc/com.atproto.repo.createRecord",
					"/xrpc/com.atproto.repo.getRecord");
		assertThat(http).extracting(Recorded::parent).containsOnly(XRPC);
		assertThatExceptionOfType(XrpcException.class)
			.isThrownBy(() -> client.getRecord(this.did, "app.bsky.feed.post", "3jzfcijpj2z2a"));
		assertThat(this.recorder.take()).endsWith(xrpc("com.atproto.repo.getRecord", "200", "SUCCESS", "none"),
				xrpc("com.atproto.repo.getRecord", "400", "CLIENT_ERROR", "RecordNotFound"));
	}

	@Test
	void aRefreshThatFailsForAPassingReasonIsAFailureThatKeepsTheSession() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		this.recorder.take();
		this.pds.failNext(REFRESH, 1, PdsDouble.Fault.INTERNAL_SERVER_ERROR);
		advanceBoth(Duration.ofHours(2).minusMinutes(4));
		// A passing failure: the call goes on with the access token still valid.
		client.getSession();
		assertThat(this.recorder.take()).containsExactly(
				xrpc(REFRESH, "500", "SERVER_ERROR", "InternalServerError").parent(SESSION),
				change("REFRESH", "PROACTIVE", "REFRESH_FAILED", "FAILURE", "none"),
				xrpc(GET_SESSION, "200", "SUCCESS", "none"));
	}

	@Test
	void aDeadSessionReplacedByALoginIsOneRefreshThatLedToADeleteAndACreate() {
		// A double without the one-login-a-day limit of the others.
		try (PdsDouble unlimited = PdsDouble.builder().clock(this.clock).start()) {
			unlimited.createAccount("bob.test", "bob@example.com", PASSWORD);
			AtprotoClient client = clientBuilder().service(unlimited.url()).build();
			client.login("bob.test", PASSWORD);
			// Another holder of the same session logs out: its refresh token is revoked.
			AtprotoClient other = clientBuilder().service(unlimited.url()).build();
			other.importSession(client.exportSessionString());
			other.logout();
			this.recorder.take();
			client.refreshSession();
			assertThat(this.recorder.take()).containsExactly(
					xrpc(REFRESH, "400", "CLIENT_ERROR", "ExpiredToken").parent(SESSION),
					xrpc(CREATE, "200", "SUCCESS", "none").parent(SESSION),
					change("REFRESH", "REQUESTED", "CREATE", "SUCCESS", "none"));
		}
	}

	@Test
	void aLogoutAndACallWithNoSessionAreObservedAsChanges() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		this.recorder.take();
		client.logout();
		assertThat(this.recorder.take()).containsExactly(
				xrpc("com.atproto.server.deleteSession", "200", "SUCCESS", "none").parent(SESSION),
				change("DELETE", "REQUESTED", "DELETE", "SUCCESS", "none"));
		assertThatExceptionOfType(NotLoggedInException.class).isThrownBy(client::getSession);
		assertThat(this.recorder.take()).containsExactly(
				change("CREATE", "NO_SESSION", "none", "FAILURE", "none").exception("NotLoggedInException"));
	}

	@Test
	void conventionsOfTheApplicationReplaceTheDefaultOnes() {
		AtprotoClient client = client(
				(builder) -> builder.xrpcObservationConvention(new DefaultXrpcObservationConvention("bot.xrpc"))
					.sessionObservationConvention(new DefaultSessionObservationConvention("bot.session")));
		client.login(HANDLE, PASSWORD);
		assertThat(this.recorder.take()).extracting(Recorded::name).containsExactly("bot.xrpc", "bot.session");
	}

	@Test
	void anErrorNameOrMethodOutsideTheKnownOnesIsTaggedOther() {
		DefaultXrpcObservationConvention convention = new DefaultXrpcObservationConvention();
		XrpcObservationContext context = new XrpcObservationContext("not an nsid {x}", "GET", "https://pds.example");
		context.setStatus(400);
		context.setXrpcError("Random" + System.nanoTime());
		context.setError(new XrpcException("x", 400, context.getXrpcError(), null));
		assertThat(convention.getLowCardinalityKeyValues(context).stream())
			.extracting((keyValue) -> keyValue.getKey() + "=" + keyValue.getValue())
			.containsExactly("error=other", "exception=XrpcException", "nsid=other", "outcome=CLIENT_ERROR",
					"status=400");
	}

	@Test
	void withoutARegistryNothingIsObserved() {
		AtprotoClient client = AtprotoClient.builder().service(this.pds.url()).clock(this.clock).build();
		client.login(HANDLE, PASSWORD);
		client.getSession();
		assertThat(this.recorder.take()).isEmpty();
		assertThat(this.registry).doesNotHaveAnyObservation();
	}

	private void advanceBoth(Duration duration) {
		this.clock.advance(duration);
		this.serverClock.advance(duration);
	}

	static Recorded xrpc(String nsid, String status, String outcome, String error) {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put("error", error);
		tags.put("exception",
				"none".equals(error) ? "none" : "RateLimitExceeded".equals(error) ? "RateLimitExceededException"
						: "ExpiredToken".equals(error) ? "ExpiredTokenException" : "XrpcException");
		tags.put("nsid", nsid);
		tags.put("outcome", outcome);
		tags.put("status", status);
		return new Recorded(XRPC, tags, null);
	}

	static Recorded change(String type, String trigger, String event, String outcome, String error) {
		Map<String, String> tags = new LinkedHashMap<>();
		tags.put("error", error);
		tags.put("event", event);
		tags.put("exception", "none".equals(error) ? "none" : "RateLimitExceededException");
		tags.put("outcome", outcome);
		tags.put("trigger", trigger);
		tags.put("type", type);
		return new Recorded(SESSION, tags, null);
	}

	/**
	 * An observation as it stopped: its name, low-cardinality tags and parent's name.
	 */
	record Recorded(String name, Map<String, String> tags, String parent) {

		Recorded parent(String parentName) {
			return new Recorded(this.name, this.tags, parentName);
		}

		Recorded exception(String simpleName) {
			Map<String, String> changed = new LinkedHashMap<>(this.tags);
			changed.put("exception", simpleName);
			return new Recorded(this.name, changed, this.parent);
		}

	}

	/** An event as signalled: the counter it makes and the tags it carries. */
	record Signal(String counter, Map<String, String> tags) {
	}

	/**
	 * Records the atproto observations as they stop and the events as they are signalled,
	 * as a meter handler would see them.
	 */
	static final class Recorder implements ObservationHandler<Observation.Context> {

		private final List<Recorded> stopped = Collections.synchronizedList(new ArrayList<>());

		private final List<Recorded> httpStopped = Collections.synchronizedList(new ArrayList<>());

		private final List<Signal> signals = Collections.synchronizedList(new ArrayList<>());

		private final List<String> tagValues = Collections.synchronizedList(new ArrayList<>());

		@Override
		public void onStop(Observation.Context context) {
			context.getAllKeyValues().forEach((keyValue) -> this.tagValues.add(keyValue.getValue()));
			Recorded recorded = new Recorded(context.getName(), tags(context), parentName(context));
			(HTTP.equals(context.getName()) ? this.httpStopped : this.stopped).add(recorded);
		}

		@Override
		public void onEvent(Observation.Event event, Observation.Context context) {
			this.signals.add(new Signal(context.getName() + "." + event.getName(), tags(context)));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		/** The atproto observations stopped since the last take. */
		List<Recorded> take() {
			synchronized (this.stopped) {
				List<Recorded> taken = List.copyOf(this.stopped);
				this.stopped.clear();
				return taken;
			}
		}

		List<Signal> events() {
			synchronized (this.signals) {
				List<Signal> taken = List.copyOf(this.signals);
				this.signals.clear();
				return taken;
			}
		}

		List<Recorded> http() {
			synchronized (this.httpStopped) {
				return List.copyOf(this.httpStopped);
			}
		}

		List<String> allTagValues() {
			synchronized (this.tagValues) {
				return List.copyOf(this.tagValues);
			}
		}

		private static Map<String, String> tags(Observation.Context context) {
			Map<String, String> tags = new LinkedHashMap<>();
			context.getLowCardinalityKeyValues()
				.forEach((keyValue) -> tags.put(keyValue.getKey(), keyValue.getValue()));
			return tags;
		}

		private static String parentName(Observation.Context context) {
			return (context.getParentObservation() != null) ? context.getParentObservation().getContextView().getName()
					: null;
		}

	}

}
