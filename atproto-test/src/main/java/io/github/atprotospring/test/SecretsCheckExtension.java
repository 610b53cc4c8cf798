package io.github.atprotospring.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Checks that a test class's run writes no secret anywhere: the JUnit 5 extension behind
 * {@link CheckSecrets}.
 * <p>
 * From before the class's first {@code @BeforeAll} to after its last {@code @AfterAll} it
 * captures:
 * <ul>
 * <li>every log call of every logger through Logback, at every level as if all were at
 * TRACE (code guarded by {@code isTraceEnabled()} runs too), with its formatted message
 * and its exception, whose causes and suppressed exceptions are read too, each by class
 * and message; the appenders print what they printed before;</li>
 * <li>everything written to {@code System.out} and {@code System.err};</li>
 * <li>whatever a test hands to {@link Secrets#inspect}.</li>
 * </ul>
 * After each test it fails that test if anything captured so far holds a registered
 * secret (each leak is reported once), and after the class it does the same for the rest;
 * a secret registered late is looked for in everything captured before it. Secrets are
 * registered through the {@link Secrets} a test, lifecycle method or constructor takes as
 * a parameter; the doubles held in fields of the test class ({@link PdsDouble} or
 * {@link PdsDoubleExtension}) are watched from the first test on ({@link Secrets#watch}),
 * and a test watches the others itself.
 * <p>
 * It needs Logback as the SLF4J provider, and fails the class otherwise, since a check
 * that cannot see the logs must not pass. It holds global state (a Logback turbo filter
 * and the standard streams) for the time of the class, so classes that use it must not
 * run in parallel with others. If Logback is reconfigured in a way the capture cannot
 * follow, the class fails too.
 */
public final class SecretsCheckExtension implements BeforeAllCallback, AfterAllCallback, BeforeTestExecutionCallback,
		AfterEachCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(SecretsCheckExtension.class);

	/**
	 * Starts capturing, unless an enclosing class already did.
	 * @param context the class's context
	 */
	@Override
	public void beforeAll(ExtensionContext context) {
		if (context.getStore(NAMESPACE).get(Run.class, Run.class) == null) {
			context.getStore(NAMESPACE).put(Run.class, Run.start(context.getUniqueId()));
		}
	}

	/**
	 * Stops capturing and checks what is left, in the class that started.
	 * @param context the class's context
	 */
	@Override
	public void afterAll(ExtensionContext context) {
		Run run = context.getStore(NAMESPACE).get(Run.class, Run.class);
		if (run != null && run.owner().equals(context.getUniqueId())) {
			try {
				run.check();
			}
			finally {
				run.stop();
			}
		}
	}

	/**
	 * Watches the doubles in the fields of the test instances and the test class.
	 * @param context the test's context
	 */
	@Override
	public void beforeTestExecution(ExtensionContext context) {
		Secrets secrets = run(context).secrets();
		List<Object> holders = new ArrayList<>(context.getRequiredTestInstances().getAllInstances());
		for (Object holder : holders) {
			for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
				for (Field field : type.getDeclaredFields()) {
					watch(secrets, field, Modifier.isStatic(field.getModifiers()) ? null : holder);
				}
			}
		}
	}

	/**
	 * Fails the test if anything captured so far holds a secret.
	 * @param context the test's context
	 */
	@Override
	public void afterEach(ExtensionContext context) {
		Run run = run(context);
		try {
			run.check();
		}
		finally {
			run.secrets().endTest();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == Secrets.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return run(context).secrets();
	}

	private static Run run(ExtensionContext context) {
		Run run = context.getStore(NAMESPACE).get(Run.class, Run.class);
		if (run == null) {
			throw new IllegalStateException(
					"SecretsCheckExtension was not started for this class: register it on the class (@CheckSecrets)");
		}
		return run;
	}

	private static void watch(Secrets secrets, Field field, Object holder) {
		Class<?> type = field.getType();
		if (type != PdsDouble.class && type != PdsDoubleExtension.class) {
			return;
		}
		Object value;
		try {
			field.setAccessible(true);
			value = field.get(holder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return;
		}
		if (value instanceof PdsDouble pds) {
			secrets.watch(pds);
		}
		else if (value instanceof PdsDoubleExtension extension) {
			try {
				secrets.watch(extension.pds());
			}
			catch (IllegalStateException ex) {
				// not started (yet): nothing to watch
			}
		}
	}

	/** One class's capture. */
	private record Run(String owner, Secrets secrets, LogbackCapture logs, StandardStreamsCapture streams) {

		static Run start(String owner) {
			Secrets secrets = new Secrets();
			LogbackCapture logs = LogbackCapture.install(secrets);
			StandardStreamsCapture streams = StandardStreamsCapture.install(secrets);
			return new Run(owner, secrets, logs, streams);
		}

		void check() {
			if (!this.logs.installed()) {
				throw new AssertionError("The log capture of SecretsCheckExtension was removed while the class ran "
						+ "(Logback was reconfigured in a way it could not follow): log lines may have gone unchecked");
			}
			this.secrets.assertNoLeak();
		}

		void stop() {
			this.streams.uninstall();
			this.logs.uninstall();
		}

	}

}
