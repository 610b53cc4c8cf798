package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.client.AccountDeactivatedException;
import io.github.atprotospring.client.AccountTakedownException;
import io.github.atprotospring.client.AuthFactorTokenRequiredException;
import io.github.atprotospring.client.XrpcException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link AtprotoStartupException} into a message that names the property to
 * change. The password is never part of it.
 */
class AtprotoStartupFailureAnalyzer extends AbstractFailureAnalyzer<AtprotoStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AtprotoStartupException cause) {
		XrpcException refusal = cause.getCause();
		String prefix = cause.getPropertyPrefix();
		String description = "The atproto server at " + cause.getService() + " (" + cause.getServiceProperty()
				+ ") refused to log in '" + cause.getIdentifier() + "' (" + prefix + ".handle): " + refusal.status()
				+ " " + refusal.error()
				+ ((refusal.errorMessage() != null) ? " \"" + refusal.errorMessage() + "\"" : "") + ".";
		return new FailureAnalysis(description, action(refusal, prefix, cause.getServiceProperty()), cause);
	}

	private static String action(XrpcException refusal, String prefix, String serviceProperty) {
		String handle = prefix + ".handle";
		String password = prefix + ".password";
		if (refusal instanceof AuthFactorTokenRequiredException) {
			return "The account has email sign-in codes on and the server has mailed one: set " + prefix
					+ ".auth-factor-token to that code and start again, or use an app password in " + password
					+ " (app passwords need no code).";
		}
		if (refusal instanceof AccountTakedownException) {
			return "The account has been taken down by its service; contact the service, or configure another "
					+ "account in " + handle + " and " + password + ".";
		}
		if (refusal instanceof AccountDeactivatedException) {
			return "The account is deactivated; reactivate it, or configure another account in " + handle + " and "
					+ password + ".";
		}
		return "Check " + handle + " (a handle such as alice.bsky.social, an email or a DID) and " + password
				+ " (use an app password, created in the account's settings under App passwords), and that "
				+ serviceProperty + " is the service the account lives on. Every failed login counts against the "
				+ "server's login limit (30 per 5 minutes, 300 per day), so fix the configuration before retrying.";
	}

}
