package io.github.atprotospring.client;

import tools.jackson.databind.JsonNode;

/**
 * Reads the answer of {@code createSession} and {@code refreshSession} into a
 * {@link Session}. The answer comes from a server the client does not control: anything
 * missing or of the wrong type is an {@link XrpcException} that names the method, never a
 * token.
 */
final class SessionAnswers {

	private SessionAnswers() {
	}

	/**
	 * The session an answer describes.
	 * @param nsid the method that answered
	 * @param answer the answer's JSON
	 * @param fallbackEndpoint the PDS endpoint when the answer names none (the service
	 * asked)
	 * @param previous the session the answer replaces, whose email details are kept when
	 * the answer omits them; {@code null} for a login
	 * @return the session
	 */
	static Session toSession(String nsid, JsonNode answer, String fallbackEndpoint, Session previous) {
		if (answer == null || !answer.isObject()) {
			throw new XrpcException(nsid, 200, "InvalidResponse", "The answer is not a JSON object");
		}
		String accessJwt = text(answer, "accessJwt");
		String refreshJwt = text(answer, "refreshJwt");
		String handle = text(answer, "handle");
		String did = text(answer, "did");
		if (accessJwt == null || refreshJwt == null || handle == null || did == null) {
			throw new XrpcException(nsid, 200, "InvalidResponse",
					"The answer lacks one of accessJwt, refreshJwt, handle and did");
		}
		String pdsEndpoint = Endpoints.pdsEndpoint(answer.get("didDoc")).orElse(fallbackEndpoint);
		return new Session(handle, did, accessJwt, refreshJwt, pdsEndpoint,
				orPrevious(text(answer, "email"), (previous != null) ? previous.email() : null),
				orPrevious(bool(answer, "emailConfirmed"), (previous != null) ? previous.emailConfirmed() : null),
				bool(answer, "active"), text(answer, "status"));
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString() && !value.stringValue().isBlank()) ? value.stringValue() : null;
	}

	private static Boolean bool(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isBoolean()) ? value.booleanValue() : null;
	}

	private static <T> T orPrevious(T value, T previous) {
		return (value != null) ? value : previous;
	}

}
