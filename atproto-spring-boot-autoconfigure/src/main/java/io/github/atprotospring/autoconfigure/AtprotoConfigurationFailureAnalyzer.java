package io.github.atprotospring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link AtprotoConfigurationException} as Boot's failure report: the
 * property, what is wrong with it, and what to change.
 */
class AtprotoConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AtprotoConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AtprotoConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
