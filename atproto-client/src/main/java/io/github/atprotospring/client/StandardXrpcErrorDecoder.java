package io.github.atprotospring.client;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The standard {@link XrpcErrorDecoder}: the atproto error names a client reacts to, read
 * from a JSON body of at most a few KB whose texts are cleaned before they reach a
 * message.
 */
final class StandardXrpcErrorDecoder implements XrpcErrorDecoder {

	static final StandardXrpcErrorDecoder INSTANCE = new StandardXrpcErrorDecoder();

	/** The longest error name kept; real ones are short identifiers. */
	private static final int MAX_ERROR_LENGTH = 100;

	/** The longest server message kept in an exception. */
	private static final int MAX_MESSAGE_LENGTH = 500;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private StandardXrpcErrorDecoder() {
	}

	@Override
	public XrpcException decode(Answer answer) {
		String error = null;
		String message = null;
		try {
			JsonNode node = (answer.body().length > 0 && !answer.truncated()) ? JSON.readTree(answer.body()) : null;
			if (node != null && node.isObject()) {
				error = node.path("error").isString() ? node.path("error").stringValue() : null;
				message = node.path("message").isString() ? node.path("message").stringValue() : null;
			}
		}
		catch (JacksonException ex) {
			// not a JSON error body (a proxy's HTML page, say): the status alone has to
			// do
		}
		error = ServerText.clean(error, MAX_ERROR_LENGTH);
		message = ServerText.clean(message, MAX_MESSAGE_LENGTH);
		if (error != null && error.isBlank()) {
			error = null;
		}
		String nsid = answer.nsid();
		int status = answer.status();
		if (status == 429 || "RateLimitExceeded".equals(error)) {
			return RateLimitHeaders.exception(nsid, message, answer.headers(), answer.receivedAt());
		}
		if (error == null) {
			return new XrpcException(nsid, status, null, message);
		}
		return switch (error) {
			case "ExpiredToken" -> new ExpiredTokenException(nsid, status, error, message);
			case "InvalidToken" -> new InvalidTokenException(nsid, status, error, message);
			case "AuthenticationRequired", "AuthMissing" ->
				new AuthenticationRequiredException(nsid, status, error, message);
			case "AuthFactorTokenRequired" -> new AuthFactorTokenRequiredException(nsid, status, error, message);
			case "AccountTakedown" -> new AccountTakedownException(nsid, status, error, message);
			case "AccountDeactivated" -> new AccountDeactivatedException(nsid, status, error, message);
			default -> new XrpcException(nsid, status, error, message);
		};
	}

	@Override
	public String toString() {
		return "XrpcErrorDecoder.standard()";
	}

}
