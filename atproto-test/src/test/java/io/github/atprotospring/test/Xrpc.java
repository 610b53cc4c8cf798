package io.github.atprotospring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * A minimal XRPC client for the tests, built on {@link HttpClient} as a real client would
 * be.
 */
final class Xrpc {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** An answer: status, parsed body (MissingNode when empty) and headers. */
	record Reply(int status, JsonNode body, HttpHeaders headers, String rawBody) {
		String error() {
			return body.path("error").asString(null);
		}

		String message() {
			return body.path("message").asString(null);
		}

		String text(String field) {
			return body.path(field).asString(null);
		}

		String header(String name) {
			return headers.firstValue(name).orElse(null);
		}
	}

	private final HttpClient http;

	private final String base;

	Xrpc(PdsDouble pds) {
		this(pds, HttpClient.newHttpClient());
	}

	Xrpc(PdsDouble pds, HttpClient http) {
		this.base = pds.url() + "/xrpc/";
		this.http = http;
	}

	Reply post(String nsid, Object body) {
		return post(nsid, body, null, Map.of());
	}

	Reply post(String nsid, Object body, String bearer) {
		return post(nsid, body, bearer, Map.of());
	}

	Reply post(String nsid, Object body, String bearer, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + nsid));
		if (body == null) {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
		}
		return send(request, bearer, headers);
	}

	Reply get(String nsidAndQuery, String bearer) {
		return send(HttpRequest.newBuilder(URI.create(base + nsidAndQuery)).GET(), bearer, Map.of());
	}

	Reply send(HttpRequest.Builder request, String bearer, Map<String, String> headers) {
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		headers.forEach(request::header);
		try {
			return sendOrThrow(request.build());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	Reply sendOrThrow(HttpRequest request) throws IOException {
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			String raw = response.body();
			JsonNode parsed = raw.isEmpty() ? MissingNode.getInstance() : JSON.readTree(raw);
			return new Reply(response.statusCode(), parsed, response.headers(), raw);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IOException(e);
		}
	}

	Reply login(String identifier, String password) {
		return post("com.atproto.server.createSession", Map.of("identifier", identifier, "password", password));
	}

	static JsonNode jwtHeader(String token) {
		return jwtPart(token, 0);
	}

	static JsonNode jwtPayload(String token) {
		return jwtPart(token, 1);
	}

	private static JsonNode jwtPart(String token, int index) {
		return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[index]));
	}

}
