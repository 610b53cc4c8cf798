package io.github.atprotospring.autoconfigure;

import java.time.Instant;

/**
 * Lets one instance of several that share a session store refresh an idle account's
 * session, so that the {@link AtprotoSessionKeepAlive} of every instance can look at the
 * same stored sessions and each account is refreshed once. The JPA store's claims are an
 * {@code UPDATE} of the account's row; a bean of this type of the application's own
 * replaces them.
 */
@FunctionalInterface
public interface SessionKeepAliveClaims {

	/**
	 * Claims an account's stored session for a refresh, if it is still due and no other
	 * instance holds a claim on it. The check and the claim are one step: of instances
	 * that claim together, at most one succeeds.
	 * @param service the service, in normal form
	 * @param did the account's DID
	 * @param dueBefore the session is due if its refresh token expires at or before this
	 * @param now now, by the application's clock
	 * @param until when the claim ends, if this instance gets it
	 * @return {@code true} if this instance may refresh the session now
	 */
	boolean claim(String service, String did, Instant dueBefore, Instant now, Instant until);

	/**
	 * The claims of an instance alone: every claim succeeds (the task itself never
	 * refreshes one account twice at once, and checks the session it holds first).
	 * @return the claims
	 */
	static SessionKeepAliveClaims local() {
		return (service, did, dueBefore, now, until) -> true;
	}

}
