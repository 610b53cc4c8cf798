package io.github.atprotospring.test;

import java.util.Map;

/**
 * An XRPC error answer ({@code {"error": NAME, "message": TEXT}}) thrown by the double's
 * endpoint code and turned into a response by the dispatcher. It carries no stack trace
 * because it is ordinary control flow, not a bug.
 */
final class XrpcErrorAnswer extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String error;

	private final transient Map<String, String> headers;

	XrpcErrorAnswer(int status, String error, String message) {
		this(status, error, message, Map.of());
	}

	XrpcErrorAnswer(int status, String error, String message, Map<String, String> headers) {
		super(message, null, false, false);
		this.status = status;
		this.error = error;
		this.headers = Map.copyOf(headers);
	}

	static XrpcErrorAnswer invalidRequest(String message) {
		return new XrpcErrorAnswer(400, "InvalidRequest", message);
	}

	int status() {
		return status;
	}

	String error() {
		return error;
	}

	Map<String, String> headers() {
		return headers;
	}

}
