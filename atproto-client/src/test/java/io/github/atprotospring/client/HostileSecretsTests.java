package io.github.atprotospring.client;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hostile answer at once, with every logger at TRACE: no password, token, session
 * string or URL user-info appears in a log line or in the message of any exception
 * thrown, its causes or its suppressed exceptions.
 */
class HostileSecretsTests extends HostileServerSupport {

	static final String URL_SECRET = "pa55word-in-url";

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	static final String GET_SESSION = "com.atproto.server.getSession";

	static final String GET_RECORD = "com.atproto.repo.getRecord";

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Set<String> secrets = ConcurrentHashMap.newKeySet();

	private final List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());

	private Logger root;

	private int exercised;

	private Level rootLevel;

	@BeforeEach
	void captureLogs() {
		this.root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		this.rootLevel = this.root.getLevel();
		this.root.setLevel(Level.TRACE);
		this.appender.start();
		this.root.addAppender(this.appender);
	}

	@AfterEach
	void stopCapturing() {
		this.root.detachAppender(this.appender);
		this.root.setLevel(this.rootLevel);
	}

	@Test
	void noSecretLeavesThroughALogLineOrAnExceptionWhateverTheServerDoes() throws Exception {
		this.secrets.add(PASSWORD);
		this.secrets.add(URL_SECRET);
		long now = this.clock.instant().getEpochSecond();
		String good = HostilePds.jwt(now, now + 7200);
		String didDoc = HostilePds.didDoc("did:plc:someoneelse", "#atproto_pds", "AtprotoPersonalDataServer",
				"http://" + URL_SECRET + "@elsewhere.example");
		Map<String, Answer> matrix = new java.util.LinkedHashMap<>();
		matrix.put("redirect", Answer.redirect(307, this.elsewhere.url() + "/xrpc/x"));
		matrix.put("redirect with user-info", Answer.redirect(302, "http://u:" + URL_SECRET + "@127.0.0.1:1/x?t=1"));
		matrix.put("echo in a redirect", Answer.echo(302));
		matrix.put("echo in an error", Answer.echo(400));
		matrix.put("echo as an expired token", Answer.echo(401));
		matrix.put("echo in rate-limit headers", Answer.echo(429));
		matrix.put("stall", Answer.stall());
		matrix.put("stalled body", Answer.stallBody(200));
		matrix.put("cut off", Answer.cutOff(500));
		matrix.put("huge error", Answer.hugeBody(500, 64L * 1024 * 1024));
		matrix.put("huge answer", Answer.hugeBody(200, 64L * 1024 * 1024));
		matrix.put("absurd rate-limit headers",
				Answer.rateLimited(Map.of("RateLimit-Reset", String.valueOf(Long.MAX_VALUE), "Retry-After",
						"Fri, 31 Dec 9999 23:59:59 GMT", "RateLimit-Limit", "99999999999", "RateLimit-Policy", good)));
		matrix.put("empty", Answer.empty(200));
		matrix.put("not JSON", Answer.json(200, "<html>" + good + "</html>"));
		matrix.put("not an object", Answer.json(200, "[\"" + good + "\"]"));
		matrix.put("token in a property name", Answer.json(200, "{\"" + good + "\":{\"a\":[]},\"did\":5}"));
		matrix.put("token with CR/LF",
				Answer.json(200, HostilePds.sessionJson(DID, HANDLE, good + "\r\nX-Injected: 1", good, null)));
		matrix.put("huge exp",
				Answer.json(200, HostilePds.sessionJson(DID, HANDLE, HostilePds.jwt("{\"exp\":1e300}"), good, null)));
		matrix.put("fractional exp", Answer.json(200,
				HostilePds.sessionJson(DID, HANDLE, HostilePds.jwt("{\"exp\":" + (now + 7200) + ".5}"), good, null)));
		matrix.put("foreign DID document", Answer.json(200, HostilePds.sessionJson(DID, HANDLE, good, good, didDoc)));
		matrix.put("token as the handle", Answer.json(200, HostilePds.sessionJson(DID, good, good, good, null)));
		matrix.put("error with a token", Answer.json(400,
				"{\"error\":\"" + good + "\",\"message\":\"your token " + good + " and\\r\\nforged line\"}"));
		this.secrets.add(good);

		for (Map.Entry<String, Answer> entry : matrix.entrySet()) {
			this.hostile.otherwise(entry.getValue());
			exercise(this.hostile.url(), (builder) -> {
			});
			exercise(this.hostile.url(), (builder) -> builder.errorDecoder((answer) -> {
				throw new IllegalStateException("decoder failed on " + new String(answer.body()));
			}));
		}
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		exercise("http://127.0.0.1:" + closedPort, (builder) -> {
		});
		exercise("http://no-such-host.invalid", (builder) -> {
		});
		// URLs with user-info are refused where they enter, without being quoted.
		String withUserInfo = "http://user:" + URL_SECRET + "@127.0.0.1:" + this.hostile.port();
		attempt(() -> AtprotoClient.builder().service(withUserInfo).build());
		attempt(() -> new Session(HANDLE, DID, token(), token(), withUserInfo));
		attempt(() -> SessionString
			.parse(HANDLE + ":::" + DID + ":::" + token() + ":::" + token() + ":::" + withUserInfo));

		assertThat(this.exercised).isEqualTo(matrix.size() * 2 + 2);
		assertThat(this.thrown).hasSizeGreaterThan(matrix.size() * 2);
		assertThat(this.thrown).allSatisfy((ex) -> assertThat(ex).satisfiesAnyOf(
				(atproto) -> assertThat(atproto).isInstanceOf(AtprotoException.class),
				(refused) -> assertThat(refused).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("user-info")));
		assertThat(this.appender.list).isNotEmpty();
		assertThat(this.secrets).hasSizeGreaterThan(matrix.size());
		List<String> texts = texts();
		for (String text : texts) {
			for (String secret : this.secrets) {
				assertThat(text).doesNotContain(secret);
			}
			assertThat(text).doesNotContain("\r", "X-Injected");
		}
		assertThat(texts).anySatisfy((text) -> assertThat(text).contains("<redacted>"));
	}

	/**
	 * A login, calls with a held session, a refresh and a logout against the server, each
	 * with the secrets it knows recorded, and everything thrown kept.
	 */
	private void exercise(String service, Consumer<AtprotoClient.Builder> customizer) {
		AtprotoClient client = AtprotoClient.builder()
			.service(service)
			.clock(this.clock)
			.connectTimeout(Duration.ofSeconds(2))
			.readTimeout(Duration.ofMillis(200))
			.loginBudget(LoginBudget.unlimited())
			.credentials(HANDLE, PASSWORD)
			.sessionChangeListener((event, session) -> {
				this.secrets.add(session.accessJwt());
				this.secrets.add(session.refreshJwt());
				this.secrets.add(session.toSessionString());
				throw new IllegalStateException("could not store " + session.toSessionString());
			})
			.build();
		Thread.interrupted();
		attempt(() -> client.login(HANDLE, PASSWORD));
		Session session = new Session(HANDLE, DID, token(), token(), service);
		this.exercised++;
		this.secrets.add(session.accessJwt());
		this.secrets.add(session.refreshJwt());
		this.secrets.add(session.toSessionString());
		attempt(() -> client.importSession(session));
		attempt(client::getSession);
		attempt(() -> client.getRecord(DID, "app.bsky.feed.post", "x"));
		attempt(() -> client.procedure("com.atproto.repo.deleteRecord", Map.of("password", PASSWORD), Void.class));
		attempt(() -> client.importSession(session));
		attempt(client::refreshSession);
		attempt(() -> client.importSession(session));
		attempt(client::logout);
	}

	private void attempt(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException | Error ex) {
			this.thrown.add(ex);
		}
	}

	private List<String> texts() {
		List<String> texts = new ArrayList<>();
		for (ILoggingEvent event : this.appender.list) {
			texts.add(event.getFormattedMessage());
			addProxy(event.getThrowableProxy(), texts, Collections.newSetFromMap(new IdentityHashMap<>()));
		}
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable ex : this.thrown) {
			add(ex, texts, seen);
		}
		return texts;
	}

	private static void add(Throwable ex, List<String> texts, Set<Throwable> seen) {
		if (ex == null || !seen.add(ex)) {
			return;
		}
		texts.add(String.valueOf(ex.getMessage()));
		texts.add(ex.toString());
		add(ex.getCause(), texts, seen);
		for (Throwable suppressed : ex.getSuppressed()) {
			add(suppressed, texts, seen);
		}
	}

	private static void addProxy(IThrowableProxy proxy, List<String> texts, Set<IThrowableProxy> seen) {
		if (proxy == null || !seen.add(proxy)) {
			return;
		}
		texts.add(String.valueOf(proxy.getMessage()));
		addProxy(proxy.getCause(), texts, seen);
		for (IThrowableProxy suppressed : proxy.getSuppressed()) {
			addProxy(suppressed, texts, seen);
		}
	}

}
