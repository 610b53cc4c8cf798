package io.github.atprotospring.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain XRPC over the JDK's HTTP client, for what the tests do outside the client under
 * test (creating accounts, revoking a token) and for comparing raw answers.
 */
public final class Xrpc {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String base;

	/**
	 * @param base the server's base URL
	 */
	public Xrpc(String base) {
		this.base = base;
	}

	/**
	 * An answer.
	 *
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param rawBody the body as text
	 * @param body the body as JSON, or a missing node if it is none
	 */
	public record Response(int status, java.net.http.HttpHeaders headers, String rawBody, JsonNode body) {

		/**
		 * A header's first value.
		 * @param name the header
		 * @return the value, or {@code null}
		 */
		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		/**
		 * The {@code error} of an error answer.
		 * @return the error name, or {@code null}
		 */
		public String error() {
			return this.body.path("error").isString() ? this.body.path("error").asString() : null;
		}

		/**
		 * The {@code message} of an error answer.
		 * @return the message, or {@code null}
		 */
		public String message() {
			return this.body.path("message").isString() ? this.body.path("message").asString() : null;
		}

	}

	/**
	 * {@code POST /xrpc/<nsid>} with a JSON body.
	 * @param nsid the method
	 * @param body the input, or {@code null} for none
	 * @param bearer the token, or {@code null}
	 * @param headers more headers
	 * @return the answer
	 */
	public Response post(String nsid, Object body, String bearer, Map<String, String> headers) {
		HttpRequest.Builder request = request(nsid, "", bearer, headers);
		if (body != null) {
			request.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return send(request.build());
	}

	/**
	 * Sends a request built by the caller, for raw cases (a body without a content type,
	 * say).
	 * @param nsid the method
	 * @param query the query string without {@code ?}, or empty
	 * @param bearer the token, or {@code null}
	 * @param headers more headers
	 * @return a request builder to finish
	 */
	public HttpRequest.Builder request(String nsid, String query, String bearer, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.base + "/xrpc/" + nsid + (query.isEmpty() ? "" : "?" + query)));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		headers.forEach(request::header);
		return request;
	}

	/**
	 * {@code GET /xrpc/<nsid>?<query>}.
	 * @param nsid the method
	 * @param query the query string without {@code ?}, already encoded, or empty
	 * @param bearer the token, or {@code null}
	 * @param headers more headers
	 * @return the answer
	 */
	public Response get(String nsid, String query, String bearer, Map<String, String> headers) {
		return send(request(nsid, query, bearer, headers).GET().build());
	}

	/**
	 * Sends a request.
	 * @param request the request
	 * @return the answer
	 */
	public Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			String raw = response.body();
			JsonNode body;
			try {
				body = raw.isEmpty() ? JSON.missingNode() : JSON.readTree(raw);
			}
			catch (RuntimeException ex) {
				body = JSON.missingNode();
			}
			return new Response(response.statusCode(), response.headers(), raw, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
