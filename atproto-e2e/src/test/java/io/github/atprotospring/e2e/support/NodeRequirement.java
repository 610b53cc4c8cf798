package io.github.atprotospring.e2e.support;

import io.github.atprotospring.nodeharness.NodeRuntime;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the end-to-end tests can run: without a Node on the {@code PATH} they are
 * skipped, with a message that says so, unless the environment variable {@code CI} is set
 * (to anything but {@code false}): on CI a missing Node is a failure, so that a CI
 * machine without it cannot pass by running nothing.
 */
final class NodeRequirement {

	/**
	 * The environment variable that makes a missing Node a failure rather than a skip.
	 */
	static final String CI = "CI";

	private NodeRequirement() {
	}

	/**
	 * Why the end-to-end tests cannot run here.
	 * @return the reason, naming what is missing
	 */
	static String missingReason() {
		return NodeRuntime.missingReason()
				+ "; the end-to-end tests run the reference PDS (@atproto/pds) on Node.js 20";
	}

	/**
	 * The Node on the {@code PATH}, for a test that is about to use it: where there is
	 * none, a failure on CI, and otherwise an abort (a skip) that says why.
	 * @return the runtime
	 */
	static NodeRuntime require() {
		return NodeRuntime.find().orElseGet(() -> {
			if (onCi()) {
				throw new IllegalStateException(
						missingReason() + ". CI is set, so this is a failure: install Node.js 20 and npm.");
			}
			Assumptions.abort("Skipping the end-to-end tests: " + missingReason() + ".");
			throw new AssertionError("unreachable");
		});
	}

	/**
	 * Whether the build runs on CI: the variable {@code CI} is set to anything but
	 * {@code false}.
	 * @return {@code true} on CI
	 */
	static boolean onCi() {
		String ci = System.getenv(CI);
		return ci != null && !ci.isBlank() && !ci.strip().equalsIgnoreCase("false");
	}

}
