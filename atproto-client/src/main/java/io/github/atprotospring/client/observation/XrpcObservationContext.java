package io.github.atprotospring.client.observation;

import java.util.Objects;

import io.micrometer.observation.Observation;

/**
 * The context of the observation of one XRPC call: the method, the server it went to and
 * what came back. It holds no token, no request or answer body and no query.
 * <p>
 * The call's failure, if any, is the context's {@linkplain #getError() error}.
 */
public class XrpcObservationContext extends Observation.Context {

	private final String nsid;

	private final String httpMethod;

	private final String server;

	private int status;

	private String xrpcError;

	private boolean rateLimited;

	/**
	 * @param nsid the XRPC method, such as {@code com.atproto.repo.createRecord}
	 * @param httpMethod {@code GET} for a query, {@code POST} for a procedure
	 * @param server the server called, as scheme, host and port only
	 */
	public XrpcObservationContext(String nsid, String httpMethod, String server) {
		this.nsid = Objects.requireNonNull(nsid, "nsid");
		this.httpMethod = Objects.requireNonNull(httpMethod, "httpMethod");
		this.server = Objects.requireNonNull(server, "server");
	}

	/**
	 * The XRPC method called.
	 * @return the NSID, as the caller gave it
	 */
	public String getNsid() {
		return this.nsid;
	}

	/**
	 * The HTTP method of the call.
	 * @return {@code GET} for a query, {@code POST} for a procedure
	 */
	public String getHttpMethod() {
		return this.httpMethod;
	}

	/**
	 * The server the call went to.
	 * @return scheme, host and port, such as {@code https://bsky.social}
	 */
	public String getServer() {
		return this.server;
	}

	/**
	 * The HTTP status of the answer.
	 * @return the status, or 0 when no answer came
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Sets the HTTP status of the answer.
	 * @param status the status
	 */
	public void setStatus(int status) {
		this.status = status;
	}

	/**
	 * The XRPC error name of a failed call, as the server (or the client, for an answer
	 * it could not use) named it.
	 * @return the name, such as {@code ExpiredToken}, or {@code null}
	 */
	public String getXrpcError() {
		return this.xrpcError;
	}

	/**
	 * Sets the XRPC error name.
	 * @param xrpcError the name, or {@code null}
	 */
	public void setXrpcError(String xrpcError) {
		this.xrpcError = xrpcError;
	}

	/**
	 * Whether the server refused the call for its rate limit (a 429, or the error
	 * {@code RateLimitExceeded}).
	 * @return {@code true} if rate-limited
	 */
	public boolean isRateLimited() {
		return this.rateLimited;
	}

	/**
	 * Says whether the server refused the call for its rate limit.
	 * @param rateLimited {@code true} if rate-limited
	 */
	public void setRateLimited(boolean rateLimited) {
		this.rateLimited = rateLimited;
	}

}
