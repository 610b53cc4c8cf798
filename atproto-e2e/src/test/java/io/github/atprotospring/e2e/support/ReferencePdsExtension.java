package io.github.atprotospring.e2e.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.atprotospring.nodeharness.NodeRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * Hands tests a running {@link ReferencePds}, as a parameter of a test, lifecycle method
 * or constructor.
 * <p>
 * One PDS per configuration for the whole test run: a PDS starts in about two seconds but
 * holds a Node process of ~200 MB, so the test classes share it (every test makes its own
 * accounts and sends its own {@code X-Forwarded-For}, so they do not see each other's
 * state or rate limits). It is kept in the root store and stopped when the run ends. The
 * default PDS has {@code PDS_ENABLE_DID_DOC_WITH_SESSION} and
 * {@code PDS_RATE_LIMITS_ENABLED} on, as bsky.social behaves; a parameter annotated
 * {@link Plain @Plain} gets one with both off, the reference PDS's own defaults.
 * <p>
 * Where {@code node} or {@code npm} is missing, every test is skipped with the reason,
 * unless the environment variable {@code CI} is set: then the tests run and fail, since a
 * CI machine must not pass by running nothing.
 */
public final class ReferencePdsExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

	/** With both flags on: didDoc in session answers, rate limits enforced. */
	public static final ReferencePds.Options DEFAULT = new ReferencePds.Options(true, true);

	/** With both flags off. */
	public static final ReferencePds.Options PLAIN = new ReferencePds.Options(false, false);

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ReferencePdsExtension.class);

	private static final AtomicBoolean warned = new AtomicBoolean();

	/**
	 * Asks for the PDS without didDoc in session answers and without rate limits.
	 */
	@Target(ElementType.PARAMETER)
	@Retention(RetentionPolicy.RUNTIME)
	public @interface Plain {

	}

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (context.getTestMethod().isEmpty() || NodeRequirement.onCi() || NodeRuntime.find().isPresent()) {
			return ConditionEvaluationResult.enabled("Node.js is on the PATH, or CI requires the tests");
		}
		String reason = "Skipping the end-to-end tests: " + NodeRequirement.missingReason()
				+ ". Install Node.js 20 and npm to run them (with CI set, a missing Node fails the build).";
		if (warned.compareAndSet(false, true)) {
			LoggerFactory.getLogger(ReferencePdsExtension.class).warn(reason);
		}
		return ConditionEvaluationResult.disabled(reason);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (NodeRequirement.onCi()) {
			// Fail the class at once rather than each test.
			node(context);
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == ReferencePds.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return pds(context, parameter.isAnnotated(Plain.class) ? PLAIN : DEFAULT);
	}

	/**
	 * The shared PDS with the given options, started on first use.
	 * @param context any extension context of the run
	 * @param options the options
	 * @return the running PDS
	 */
	public static ReferencePds pds(ExtensionContext context, ReferencePds.Options options) {
		NodeRuntime node = node(context);
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(options, (key) -> ReferencePds.start(options, node), ReferencePds.class);
	}

	private static NodeRuntime node(ExtensionContext context) {
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(NodeRuntime.class, (key) -> NodeRequirement.require(), NodeRuntime.class);
	}

}
