package io.github.atprotospring.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.springframework.http.HttpHeaders;

/**
 * Turns an XRPC error answer (any status other than {@code 2xx} and {@code 3xx}) into the
 * exception an {@link AtprotoClient} throws. Replace it to map the errors of a server's
 * own lexicons to exceptions of your own; delegate to {@link #standard()} for the rest.
 * <p>
 * What a decoder is given has already been made safe: the body is at most
 * {@value XrpcHttp#MAX_ERROR_BODY_SIZE} bytes, and the request's token and password have
 * been replaced by {@code <redacted>} wherever the server repeated them. The client keeps
 * its own bounds on what a decoder returns: a {@link RateLimitExceededException} whose
 * times lie outside now .. now + 24 h is replaced by one with the times clamped, and a
 * decoder that returns {@code null} is replaced by the standard one for that answer.
 * Redirects ({@code 3xx}) never reach a decoder: the client refuses them itself.
 *
 * @see AtprotoClient.Builder#errorDecoder(XrpcErrorDecoder)
 */
@FunctionalInterface
public interface XrpcErrorDecoder {

	/**
	 * The exception for an error answer. It is thrown by the client, not by the decoder.
	 * @param answer the answer
	 * @return the exception to throw
	 */
	XrpcException decode(Answer answer);

	/**
	 * The standard decoder: reads {@code error} and {@code message} from a JSON body and
	 * picks the exception for the error ({@link ExpiredTokenException},
	 * {@link InvalidTokenException}, {@link AuthenticationRequiredException},
	 * {@link AuthFactorTokenRequiredException}, {@link AccountTakedownException},
	 * {@link AccountDeactivatedException}, {@link RateLimitExceededException} with the
	 * {@code RateLimit-*} and {@code Retry-After} headers read within bounds, else
	 * {@link XrpcException}). A body that is not JSON leaves the status alone to tell.
	 * Never throws.
	 * @return the standard decoder
	 */
	static XrpcErrorDecoder standard() {
		return StandardXrpcErrorDecoder.INSTANCE;
	}

	/**
	 * An error answer as the client received it.
	 *
	 * @param nsid the XRPC method that was called
	 * @param status the HTTP status
	 * @param headers the answer's headers
	 * @param body the start of the answer's body (at most
	 * {@value XrpcHttp#MAX_ERROR_BODY_SIZE} bytes), possibly empty
	 * @param truncated whether the body was longer than what {@code body} holds
	 * @param receivedAt when the answer was received, by the client's clock
	 */
	record Answer(String nsid, int status, HttpHeaders headers, byte[] body, boolean truncated, Instant receivedAt) {

		/**
		 * Checks the parts and copies the body.
		 */
		public Answer {
			Objects.requireNonNull(nsid, "nsid");
			Objects.requireNonNull(headers, "headers");
			Objects.requireNonNull(receivedAt, "receivedAt");
			body = (body != null) ? body.clone() : new byte[0];
		}

		/**
		 * The start of the answer's body.
		 * @return a copy of the bytes
		 */
		@Override
		public byte[] body() {
			return this.body.clone();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Answer that && this.nsid.equals(that.nsid) && this.status == that.status
					&& this.headers.equals(that.headers) && Arrays.equals(this.body, that.body)
					&& this.truncated == that.truncated && this.receivedAt.equals(that.receivedAt);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.nsid, this.status, this.headers, Arrays.hashCode(this.body), this.truncated,
					this.receivedAt);
		}

		@Override
		public String toString() {
			return "Answer[nsid=" + this.nsid + ", status=" + this.status + ", body=" + this.body.length + " bytes"
					+ (this.truncated ? " (truncated)" : "") + "]";
		}

	}

}
