package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs small test classes under {@link CheckSecrets} and holds the check to what it
 * claims: each way a secret can be written fails the class, with a report that does not
 * repeat the secret, and a class that writes none passes.
 */
class SecretsCheckExtensionTest {

	static final String SECRET = "s3cret-app-password-0001";

	static final String JWT = "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkaWQ6cGxjOmFiYyJ9."
			+ "R8mX3k0vH3q9wT2yPz5cL1nB6dF4gJ7hK0mN2pQ5rS8";

	@Test
	void aSecretLoggedAtTraceUnderAQuieterLevelFailsTheTest() {
		assertLeak(LoggedAtTrace.class, "TRACE log quiet.logger", "<secret #1>");
	}

	@Test
	void codeGuardedByIsTraceEnabledRunsAndIsChecked() {
		assertLeak(GuardedByIsTraceEnabled.class, "TRACE log quiet.logger", "<secret #1>");
	}

	@Test
	void aSecretInTheMessageOfASuppressedExceptionsCauseFailsTheTest() {
		assertLeak(InASuppressedCause.class, "DEBUG log io.github", "java.lang.IllegalStateException");
	}

	@Test
	void aSecretPrintedToStandardErrFailsTheTest() {
		assertLeak(PrintedToStandardErr.class, "System.err", "<secret #1>");
	}

	@Test
	void aTokenInsideASessionStringOrJsonFailsTheTest() {
		assertLeak(InASessionStringAndInJson.class, "DEBUG log io.github", "<secret #1>:::");
	}

	@Test
	void aSecretRegisteredAfterItWasLoggedFailsTheTest() {
		assertLeak(RegisteredLate.class, "DEBUG log late", "<secret #1>");
	}

	@Test
	void tokensAndPasswordsLearntFromADoubleInAFieldAreLookedFor() {
		assertLeak(LearntFromADouble.class, "DEBUG log io.github", "<secret #");
	}

	@Test
	void aSecretInAnObjectsToStringHandedToInspectFailsTheTest() {
		assertLeak(Inspected.class, "inspected", "<secret #1>");
	}

	@Test
	void theCaptureSurvivesLogbackBeingResetAndReconfiguredAsSpringBootDoes() {
		assertLeak(AfterABootLikeReset.class, "DEBUG log after.reset", "<secret #1>");
	}

	@Test
	void aRunThatWritesNoSecretPassesAndLeavesLoggingAsItWas() {
		PrintStream out = System.out;
		TestExecutionSummary summary = run(WritesNoSecret.class);
		assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
		assertThat(summary.getTotalFailureCount()).isZero();
		assertThat(System.out).isSameAs(out);
		assertThat(LoggerFactory.getLogger("quiet.logger").isTraceEnabled()).isFalse();
		assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()).isEmpty();
	}

	@Test
	void aToleratedLoggerIsCountedAndDoesNotFailTheTestButOtherLoggersStillDo() {
		TestExecutionSummary tolerated = run(ToleratedLogger.class);
		assertThat(tolerated.getTotalFailureCount()).isZero();
		assertThat(tolerated.getTestsSucceededCount()).isEqualTo(1);
		assertLeak(ToleratedLoggerAndAnother.class, "DEBUG log other.library", "<secret #1>");
	}

	@Test
	void secretsAreLookedForInTheFormsTheyTakeInText() {
		String password = "pa\"ss word/1";
		assertThat(Secrets.formsOf(password)).contains(password, "pa\\\"ss word/1",
				URLEncoder.encode(password, StandardCharsets.UTF_8));
		assertThat(Secrets.formsOf(JWT)).contains(JWT, "R8mX3k0vH3q9wT2yPz5cL1nB6dF4gJ7hK0mN2pQ5rS8");
	}

	@Test
	void aSecretTooShortToBeFoundReliablyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Secrets().register("abc"))
			.withMessageContaining("at least 6");
	}

	private static void assertLeak(Class<?> testClass, String... expected) {
		TestExecutionSummary summary = run(testClass);
		assertThat(summary.getTotalFailureCount()).as("failures of %s", testClass.getSimpleName()).isEqualTo(1);
		String report = summary.getFailures()
			.stream()
			.map((failure) -> String.valueOf(failure.getException().getMessage()))
			.collect(Collectors.joining("\n"));
		assertThat(report).contains(expected).doesNotContain(SECRET).doesNotContain(JWT);
	}

	private static TestExecutionSummary run(Class<?> testClass) {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.build();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create().execute(request, listener);
		return listener.getSummary();
	}

	// --- the classes under the check (static nested: run only from here)

	@CheckSecrets
	static class LoggedAtTrace {

		@Test
		void logs(Secrets secrets) {
			secrets.register(SECRET);
			LoggerFactory.getLogger("quiet.logger").trace("the password is {}", SECRET);
		}

	}

	@CheckSecrets
	static class GuardedByIsTraceEnabled {

		@Test
		void logs(Secrets secrets) {
			secrets.register(SECRET);
			Logger logger = LoggerFactory.getLogger("quiet.logger");
			if (logger.isTraceEnabled()) {
				logger.trace("the password is " + SECRET);
			}
		}

	}

	@CheckSecrets
	static class InASuppressedCause {

		@Test
		void logs(Secrets secrets) {
			secrets.register(SECRET);
			RuntimeException failure = new RuntimeException("a harmless message");
			failure.addSuppressed(new IllegalArgumentException("also harmless",
					new IllegalStateException("could not save " + SECRET)));
			LoggerFactory.getLogger(SecretsCheckExtensionTest.class).debug("Something failed", failure);
		}

	}

	@CheckSecrets
	static class PrintedToStandardErr {

		@Test
		void prints(Secrets secrets) {
			secrets.register(SECRET);
			System.err.println("debugging: " + SECRET);
		}

	}

	@CheckSecrets
	static class InASessionStringAndInJson {

		@Test
		void logs(Secrets secrets) {
			secrets.register(JWT);
			Logger logger = LoggerFactory.getLogger(SecretsCheckExtensionTest.class);
			logger.debug("restored {}", "alice.test:::did:plc:abc:::" + JWT + ":::" + JWT + ":::https://pds.example");
			logger.debug("answer {}", Xrpc.JSON.writeValueAsString(Map.of("accessJwt", JWT)));
		}

	}

	@CheckSecrets
	static class RegisteredLate {

		@Test
		void logsThenRegisters(Secrets secrets) {
			LoggerFactory.getLogger("late").debug("stored {}", SECRET);
			secrets.register(SECRET);
		}

	}

	@CheckSecrets
	static class LearntFromADouble {

		final PdsDouble pds = PdsDouble.builder().start();

		@Test
		void logsARefreshToken() {
			try (this.pds) {
				this.pds.createAccount("leak.test", "leak@example.com", SECRET);
				String refresh = new Xrpc(this.pds).login("leak.test", SECRET).text("refreshJwt");
				LoggerFactory.getLogger(SecretsCheckExtensionTest.class).debug("refreshed with {}", refresh);
			}
		}

	}

	@CheckSecrets
	static class Inspected {

		@Test
		void showsAnObject(Secrets secrets) {
			secrets.register(SECRET).inspect(List.of("credentials", SECRET));
		}

	}

	@CheckSecrets
	static class AfterABootLikeReset {

		@Test
		void logsAfterTheReset(Secrets secrets) throws JoranException {
			secrets.register(SECRET);
			LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
			// What Spring Boot's LogbackLoggingSystem does as an application starts.
			context.stop();
			context.reset();
			JoranConfigurator configurator = new JoranConfigurator();
			configurator.setContext(context);
			configurator.doConfigure(SecretsCheckExtensionTest.class.getResource("/logback-test.xml"));
			context.start();
			LoggerFactory.getLogger("after.reset").debug("the password is {}", SECRET);
		}

	}

	@CheckSecrets
	static class ToleratedLogger {

		@Test
		void logsThroughATolerateLogger(Secrets secrets) {
			secrets.register(SECRET).tolerate("noisy.library", "it prints what it binds at TRACE");
			LoggerFactory.getLogger("noisy.library.binder").trace("bound {}", SECRET);
			assertThat(secrets.toleratedLeaks()).isZero();
			secrets.assertNoLeak();
			assertThat(secrets.toleratedLeaks()).isEqualTo(1);
		}

	}

	@CheckSecrets
	static class ToleratedLoggerAndAnother {

		@Test
		void logsThroughBoth(Secrets secrets) {
			secrets.register(SECRET).tolerate("noisy.library", "it prints what it binds at TRACE");
			LoggerFactory.getLogger("noisy.library.binder").trace("bound {}", SECRET);
			LoggerFactory.getLogger("other.library").debug("bound {}", SECRET);
		}

	}

	@CheckSecrets
	static class WritesNoSecret {

		@Test
		void logsWithoutSecrets(Secrets secrets) {
			secrets.register(SECRET);
			Logger logger = LoggerFactory.getLogger("quiet.logger");
			assertThat(logger.isTraceEnabled()).isTrue();
			logger.trace("a password was given ({} characters)", SECRET.length());
			logger.warn("nothing secret", new IllegalStateException("no secret here"));
		}

	}

}
