package io.github.atprotospring.client;

import java.util.Optional;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Reads the answer of {@code createSession} and {@code refreshSession} into a
 * {@link Session}. The answer comes from a server the client does not control: anything
 * missing, of the wrong type or malformed (a token that is not a JWT, holds a CR/LF or
 * has an {@code exp} or {@code iat} that is not a time; a DID or handle out of syntax; a
 * refresh answer for another account) is an {@link XrpcException} with the error
 * {@code InvalidResponse} that names the method and the field, never a token. The PDS
 * endpoint comes from the answer's DID document when it passes
 * {@link Endpoints#pdsEndpoint the checks}, else it stays the one the answer came from.
 * Optional fields of the wrong type are left out.
 */
final class SessionAnswers {

	static final String INVALID_RESPONSE = "InvalidResponse";

	/**
	 * A DID: {@code did:<method>:<identifier>}, at most 2 KB, as the atproto spec has it.
	 */
	private static final Pattern DID = Pattern.compile("did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]");

	/** A handle: a domain name of at least two labels, as the atproto spec has it. */
	private static final Pattern HANDLE = Pattern
		.compile("([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

	private static final int MAX_DID_LENGTH = 2048;

	private static final int MAX_HANDLE_LENGTH = 253;

	private static final int MAX_TEXT_LENGTH = 1024;

	private SessionAnswers() {
	}

	/**
	 * The session an answer describes.
	 * @param nsid the method that answered
	 * @param answer the answer's JSON
	 * @param fallbackEndpoint the PDS endpoint when the answer names none that passes the
	 * checks (the service asked)
	 * @param previous the session the answer replaces, whose email details are kept when
	 * the answer omits them and whose DID the answer must have; {@code null} for a login
	 * @return the session
	 * @throws XrpcException with the error {@code InvalidResponse} if the answer cannot
	 * be used
	 */
	static Session toSession(String nsid, JsonNode answer, String fallbackEndpoint, Session previous) {
		if (answer == null || !answer.isObject()) {
			throw invalid(nsid, "The answer is not a JSON object");
		}
		String accessJwt = token(nsid, answer, "accessJwt");
		String refreshJwt = token(nsid, answer, "refreshJwt");
		String did = required(nsid, answer, "did");
		if (did.length() > MAX_DID_LENGTH || !DID.matcher(did).matches()) {
			throw invalid(nsid, "The answer's did is not a DID");
		}
		String handle = required(nsid, answer, "handle");
		if (handle.length() > MAX_HANDLE_LENGTH || !HANDLE.matcher(handle).matches()) {
			throw invalid(nsid, "The answer's handle is not a handle");
		}
		if (previous != null && !previous.did().equals(did)) {
			throw invalid(nsid, "The answer is for " + did + ", not for the session's " + previous.did());
		}
		String pdsEndpoint = Endpoints.pdsEndpoint(nsid, answer.get("didDoc"), did, fallbackEndpoint)
			.orElse(fallbackEndpoint);
		try {
			return new Session(handle, did, accessJwt, refreshJwt, pdsEndpoint,
					orPrevious(text(answer, "email"), (previous != null) ? previous.email() : null),
					orPrevious(bool(answer, "emailConfirmed"), (previous != null) ? previous.emailConfirmed() : null),
					bool(answer, "active"), text(answer, "status"));
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			// The session's own checks; their messages name the part, never its value.
			throw invalid(nsid, "The answer makes no valid session: " + ex.getMessage());
		}
	}

	private static String token(String nsid, JsonNode answer, String field) {
		String token = required(nsid, answer, field);
		Optional<String> problem = Jwts.problem(token);
		if (problem.isPresent()) {
			throw invalid(nsid, "The answer's " + field + " cannot be used: " + problem.get());
		}
		return token;
	}

	private static String required(String nsid, JsonNode answer, String field) {
		JsonNode value = answer.get(field);
		if (value == null || value.isNull()) {
			throw invalid(nsid, "The answer has no " + field);
		}
		if (!value.isString()) {
			throw invalid(nsid, "The answer's " + field + " is not a string");
		}
		String text = value.stringValue();
		if (text.isEmpty()) {
			throw invalid(nsid, "The answer's " + field + " is empty");
		}
		if (ServerText.hasWhitespaceOrControl(text)) {
			throw invalid(nsid, "The answer's " + field + " contains whitespace or control characters");
		}
		return text;
	}

	private static XrpcException invalid(String nsid, String message) {
		return new XrpcException(nsid, 200, INVALID_RESPONSE, message);
	}

	/**
	 * An optional text; one of the wrong type, too long or with control characters is
	 * left out.
	 */
	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			return null;
		}
		String text = value.stringValue();
		return (!text.isBlank() && text.length() <= MAX_TEXT_LENGTH && !ServerText.hasControl(text)) ? text : null;
	}

	private static Boolean bool(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isBoolean()) ? value.booleanValue() : null;
	}

	private static <T> T orPrevious(T value, T previous) {
		return (value != null) ? value : previous;
	}

}
