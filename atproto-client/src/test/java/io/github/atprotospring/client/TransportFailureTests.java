package io.github.atprotospring.client;

import java.net.ServerSocket;
import java.time.Duration;

import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.Test;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A server that stalls ends the call in an {@link XrpcTransportException} within the read
 * timeout, and every transport failure says in words what happened and where.
 */
class TransportFailureTests extends HostileServerSupport {

	static final String GET_SESSION = "com.atproto.server.getSession";

	@Test
	void aServerThatNeverAnswersEndsTheCallWithinTheReadTimeout() {
		this.hostile.on(GET_SESSION, Answer.stall());
		AtprotoClient client = client();
		client.importSession(session());

		XrpcTransportException ex = assertTimeoutPreemptively(WITHIN, () -> org.assertj.core.api.Assertions
			.catchThrowableOfType(XrpcTransportException.class, client::getSession));
		assertThat(ex).isNotNull();
		assertThat(ex.nsid()).isEqualTo(GET_SESSION);
		assertThat(ex.getMessage()).contains(GET_SESSION, this.hostile.url(), "the answer timed out");
		assertThat(client.session()).isPresent();
	}

	@Test
	void aServerThatStallsInTheMiddleOfItsAnswerEndsTheCallWithinTheReadTimeout() {
		this.hostile.on(GET_SESSION, Answer.stallBody(200));
		this.hostile.on("com.atproto.repo.getRecord", Answer.stallBody(500));
		AtprotoClient client = client();
		client.importSession(session());

		for (Runnable call : new Runnable[] { client::getSession,
				() -> client.getRecord(DID, "app.bsky.feed.post", "x") }) {
			XrpcTransportException ex = assertTimeoutPreemptively(WITHIN, () -> org.assertj.core.api.Assertions
				.catchThrowableOfType(XrpcTransportException.class, call::run));
			assertThat(ex).isNotNull();
			assertThat(ex.getMessage()).contains(this.hostile.url())
				.containsAnyOf("closed before the whole answer arrived", "the answer timed out");
		}
	}

	@Test
	void aLoginToAStalledServiceEndsWithinTheReadTimeoutAndKeepsTheCredentials() {
		this.hostile.on("com.atproto.server.createSession", Answer.stall());
		AtprotoClient client = client((builder) -> builder.credentials(HANDLE, PASSWORD));

		XrpcTransportException ex = assertTimeoutPreemptively(WITHIN, () -> org.assertj.core.api.Assertions
			.catchThrowableOfType(XrpcTransportException.class, client::ensureSession));
		assertThat(ex).isNotNull();
		assertThat(ex.getMessage()).doesNotContain(PASSWORD);
		assertThat(client.hasCredentials()).isTrue();
		assertThat(client.session()).isEmpty();
	}

	@Test
	void aRefusedConnectionSaysSoAndWhere() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		AtprotoClient client = AtprotoClient.builder().service("http://127.0.0.1:" + port).clock(this.clock).build();
		client.importSession(new Session(HANDLE, DID, token(), token(), "http://127.0.0.1:" + port));

		assertThatExceptionOfType(XrpcTransportException.class)
			.isThrownBy(() -> client.query(GET_SESSION, java.util.Map.of("q", "secret-query"), Void.class))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("http://127.0.0.1:" + port, "the connection was refused",
						"ConnectException");
				assertThat(ex.getMessage()).doesNotContain("secret-query", "/xrpc/", "ClosedChannelException");
				assertThat(ex.getCause()).isInstanceOf(java.net.ConnectException.class);
			});
	}

	@Test
	void aUrlWithUserInfoIsRefusedWithoutBeingQuoted() {
		String url = "http://user:s3cret@127.0.0.1:2583";
		AtprotoClient.Builder builder = AtprotoClient.builder().service(url);
		assertThatIllegalArgumentException().isThrownBy(builder::build)
			.withMessageContaining("must not carry user-info")
			.withMessageNotContaining("s3cret");
		assertThatIllegalArgumentException().isThrownBy(() -> new Session(HANDLE, DID, token(), token(), url))
			.withMessageContaining("Session.pdsEndpoint must not carry user-info")
			.withMessageNotContaining("s3cret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SessionString.parse(String.join(":::", HANDLE, DID, token(), token(), url)))
			.withMessageNotContaining("s3cret");
	}

	@Test
	void aNameThatCannotBeResolvedSaysSo() {
		AtprotoClient client = AtprotoClient.builder()
			.service("http://no-such-host.invalid")
			.clock(this.clock)
			.connectTimeout(Duration.ofSeconds(2))
			.build();

		assertTimeoutPreemptively(WITHIN,
				() -> assertThatExceptionOfType(XrpcTransportException.class)
					.isThrownBy(() -> client.login(HANDLE, PASSWORD))
					.satisfies((ex) -> assertThat(ex.getMessage()).contains("http://no-such-host.invalid",
							"the host name could not be resolved")));
	}

	@Test
	void aConnectionClosedBeforeTheWholeAnswerSaysSo() {
		this.hostile.on(GET_SESSION, Answer.cutOff(200));
		AtprotoClient client = client();
		client.importSession(session());

		assertThatExceptionOfType(XrpcTransportException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(this.hostile.url(),
					"closed before the whole answer arrived"));
	}

	@Test
	void anInterruptedCallSaysSoAndKeepsTheInterrupt() {
		this.hostile.on(GET_SESSION, Answer.stall());
		AtprotoClient client = client((builder) -> builder.readTimeout(WITHIN));
		client.importSession(session());

		Thread.currentThread().interrupt();
		XrpcTransportException ex = org.assertj.core.api.Assertions.catchThrowableOfType(XrpcTransportException.class,
				client::getSession);
		boolean stillInterrupted = Thread.interrupted();

		assertThat(ex).isNotNull();
		assertThat(ex.getMessage()).contains("the calling thread was interrupted");
		assertThat(stillInterrupted).isTrue();
	}

	@Test
	void timeoutsMustBePositiveAndAreForTheClientsOwnHttpStack() {
		assertThatIllegalArgumentException().isThrownBy(() -> AtprotoClient.builder().readTimeout(Duration.ZERO))
			.withMessageContaining("read timeout must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AtprotoClient.builder().connectTimeout(Duration.ofSeconds(-1)))
			.withMessageContaining("connect timeout must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> AtprotoClient.builder().maxResponseSize(0))
			.withMessageContaining("maximum response size");
		assertThatIllegalStateException()
			.isThrownBy(() -> AtprotoClient.builder()
				.restClientBuilder(RestClient.builder())
				.readTimeout(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("request factory");
	}

}
