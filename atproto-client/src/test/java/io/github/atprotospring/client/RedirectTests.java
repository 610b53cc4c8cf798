package io.github.atprotospring.client;

import java.net.http.HttpClient;
import java.time.Duration;

import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A service that answers with a redirect gets neither the password nor a token sent to
 * the host it names: the client refuses the redirect with an exception that names the
 * status and that host.
 */
class RedirectTests extends HostileServerSupport {

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void aRedirectedLoginSendsThePasswordNowhereElse(int status) {
		this.hostile.on(CREATE_SESSION, Answer.redirect(status, this.elsewhere.url() + "/xrpc/" + CREATE_SESSION));
		AtprotoClient client = client();

		assertThatExceptionOfType(XrpcException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(status);
				assertThat(ex.error()).isEqualTo("Redirect");
				assertThat(ex.nsid()).isEqualTo(CREATE_SESSION);
				assertThat(ex.getMessage())
					.contains(String.valueOf(status), "http://" + elsewhereHostAndPort(), "does not follow redirects")
					.doesNotContain(PASSWORD);
			});
		assertThat(this.hostile.received(PASSWORD)).isTrue();
		assertThat(this.elsewhere.requestCount()).isZero();
		assertThat(client.session()).isEmpty();
	}

	@Test
	void aRedirectedCallSendsTheTokenNowhereElse() {
		this.hostile.on(GET_SESSION, Answer.redirect(307, this.elsewhere.url() + "/xrpc/" + GET_SESSION));
		AtprotoClient client = client();
		Session session = client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession).satisfies((ex) -> {
			assertThat(ex.status()).isEqualTo(307);
			assertThat(ex.getMessage()).contains("http://" + elsewhereHostAndPort())
				.doesNotContain(session.accessJwt());
		});
		assertThat(this.hostile.received(session.accessJwt())).isTrue();
		assertThat(this.elsewhere.requestCount()).isZero();
		assertThat(client.session()).contains(session);
	}

	@Test
	void theTargetIsShownWithoutItsUserInfoPathOrQuery() {
		this.hostile.on(GET_SESSION,
				Answer.redirect(302, "http://user:pass-word@" + elsewhereHostAndPort() + "/steal?token=abc#x"));
		AtprotoClient client = client();
		client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("http://" + elsewhereHostAndPort())
				.doesNotContain("pass-word", "steal", "token=abc"));
	}

	@Test
	void aRelativeOrMissingLocationIsRefusedToo() {
		this.hostile.on(GET_SESSION, Answer.redirect(302, "/elsewhere"));
		this.hostile.on("com.atproto.repo.getRecord", Answer.json(301, "{}"));
		AtprotoClient client = client();
		client.importSession(session());

		assertThatExceptionOfType(XrpcException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("to " + this.hostile.url()));
		assertThatExceptionOfType(XrpcException.class)
			.isThrownBy(() -> client.getRecord(DID, "app.bsky.feed.post", "x"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("no location"));
		assertThat(this.hostile.requestCount()).isEqualTo(2);
	}

	@Test
	void theClientsOwnRequestFactoryNeverFollowsRedirectsAndHasTimeouts() {
		ClientHttpRequestFactory queries = AtprotoClient.http11RequestFactory();
		assertThat(queries).isInstanceOfSatisfying(UrlConnectionQueries.class, (routing) -> {
			assertThat(routing).extracting("connectTimeoutMillis").isEqualTo(10_000);
			assertThat(routing).extracting("readTimeoutMillis").isEqualTo(30_000);
		});
		ClientHttpRequestFactory factory = ((UrlConnectionQueries) queries).withBody();
		assertThat(factory).isInstanceOf(JdkClientHttpRequestFactory.class);
		assertThat(factory).extracting("httpClient").isInstanceOfSatisfying(HttpClient.class, (http) -> {
			assertThat(http.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
			assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
			assertThat(http.connectTimeout()).contains(Duration.ofSeconds(10));
		});
		assertThat(factory).extracting("readTimeout").isEqualTo(Duration.ofSeconds(30));
	}

}
