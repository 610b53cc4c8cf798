package io.github.atprotospring.client;

import java.net.URI;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * Service URLs and the PDS endpoint named by a DID document.
 */
final class Endpoints {

	private Endpoints() {
	}

	static String normalize(String url) {
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

	/**
	 * The endpoint of the {@code #atproto_pds} service of type
	 * {@code AtprotoPersonalDataServer} in a DID document, if it names a usable http(s)
	 * URL.
	 */
	static Optional<String> pdsEndpoint(JsonNode didDoc) {
		if (didDoc == null || !didDoc.path("service").isArray()) {
			return Optional.empty();
		}
		for (JsonNode service : didDoc.path("service")) {
			String id = service.path("id").asString("");
			if ((id.equals("#atproto_pds") || id.endsWith("#atproto_pds"))
					&& "AtprotoPersonalDataServer".equals(service.path("type").asString(""))
					&& service.path("serviceEndpoint").isString()) {
				String endpoint = service.path("serviceEndpoint").stringValue();
				if (isHttpUrl(endpoint)) {
					return Optional.of(normalize(endpoint));
				}
			}
		}
		return Optional.empty();
	}

	static boolean isHttpUrl(String value) {
		try {
			URI uri = URI.create(value);
			return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
