package io.github.atprotospring.client.observation;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bounds the tag values that come from outside the client's code: a hostile server names
 * its errors as it likes, and a caller may pass any method name, so unknown values fold
 * into {@code other} rather than growing the number of time series without end.
 */
final class TagValues {

	static final String NONE = "none";

	static final String OTHER = "other";

	/**
	 * An NSID: dot-separated segments of letters, digits and hyphens, at most 317
	 * characters (the spec's limit).
	 */
	private static final Pattern NSID = Pattern
		.compile("[A-Za-z][A-Za-z0-9-]{0,62}(\\.[A-Za-z0-9][A-Za-z0-9-]{0,62}){2,}");

	/**
	 * The XRPC error names of the protocol's general errors, of the lexicons of
	 * {@code com.atproto.*} and {@code app.bsky.*}, and of the client itself.
	 */
	private static final Set<String> XRPC_ERRORS = Set.of(
			// general (the XRPC specification)
			"InvalidRequest", "ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing", "Forbidden",
			"NotFound", "PayloadTooLarge", "UpstreamFailure", "RateLimitExceeded", "InternalServerError",
			"MethodNotImplemented", "NotEnoughResources", "UpstreamTimeout", "NotImplemented",
			// com.atproto.server and identity
			"AccountTakedown", "AccountDeactivated", "AuthFactorTokenRequired", "InvalidHandle", "InvalidPassword",
			"InvalidInviteCode", "HandleNotAvailable", "UnsupportedDomain", "UnresolvableDid", "IncompatibleDidDoc",
			"InvalidEmail", "DuplicateCreate", "TokenRequired", "HandleNotFound", "DidNotFound", "DidDeactivated",
			// com.atproto.repo and sync
			"InvalidSwap", "RecordNotFound", "RepoNotFound", "BlobNotFound", "BlockNotFound", "RepoTakendown",
			"RepoSuspended", "RepoDeactivated",
			// app.bsky
			"BlockedActor", "BlockedByActor", "UnknownFeed", "UnknownList", "AccountTakedownOrDeactivated",
			// the client's own
			"InvalidResponse", "Redirect");

	private TagValues() {
	}

	static String nsid(String nsid) {
		return (nsid != null && nsid.length() <= 317 && NSID.matcher(nsid).matches()) ? nsid : OTHER;
	}

	static String xrpcError(String error) {
		if (error == null) {
			return NONE;
		}
		return XRPC_ERRORS.contains(error) ? error : OTHER;
	}

	static String exception(Throwable error) {
		if (error == null) {
			return NONE;
		}
		String simpleName = error.getClass().getSimpleName();
		return simpleName.isEmpty() ? error.getClass().getName() : simpleName;
	}

}
