package io.github.atprotospring.client;

/**
 * An XRPC call answered with an error: the HTTP status and the {@code error} and
 * {@code message} of the answer's JSON body. Subclasses stand for the errors a caller
 * reacts to differently.
 */
public class XrpcException extends AtprotoException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String error;

	private final String errorMessage;

	/**
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param error the XRPC error name, such as {@code InvalidRequest}, or {@code null}
	 * @param errorMessage the server's message, or {@code null}
	 */
	public XrpcException(String nsid, int status, String error, String errorMessage) {
		super(nsid, describe(nsid, status, error, errorMessage), null);
		this.status = status;
		this.error = error;
		this.errorMessage = errorMessage;
	}

	/**
	 * The HTTP status of the answer.
	 * @return the status, such as 400
	 */
	public int status() {
		return this.status;
	}

	/**
	 * The XRPC error name of the answer.
	 * @return the name, such as {@code ExpiredToken}, or {@code null} if the body named
	 * none
	 */
	public String error() {
		return this.error;
	}

	/**
	 * The server's message.
	 * @return the message, or {@code null} if the body had none
	 */
	public String errorMessage() {
		return this.errorMessage;
	}

	/**
	 * Whether the failure is the server's (a 5xx) and the same call may succeed later.
	 * @return {@code true} for a 5xx answer
	 */
	public boolean isServerError() {
		return this.status >= 500;
	}

	/**
	 * The exception's message. The error name and message may come from a server, so they
	 * are cleaned of control characters and of anything that looks like a token, and cut
	 * to a bounded length, whoever made the exception.
	 */
	private static String describe(String nsid, int status, String error, String message) {
		StringBuilder text = new StringBuilder(nsid).append(" failed: ").append(status);
		if (error != null) {
			text.append(' ').append(ServerText.clean(error, 200));
		}
		if (message != null && !message.isBlank()) {
			text.append(": ").append(ServerText.clean(message, 2000));
		}
		return text.toString();
	}

}
