package io.github.atprotospring.autoconfigure;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the auto-configured atproto client connects: a bean of it wins over
 * {@code atproto.service}. Test support and Docker Compose support make one for a PDS
 * they started ({@code @PdsServiceConnection} on a {@code PdsDouble}, the official PDS
 * image of a {@code docker-compose.yml}), so that no property has to name its URL.
 */
public interface AtprotoConnectionDetails extends ConnectionDetails {

	/**
	 * The base URL of the service to log in to.
	 * @return an http or https URL, such as {@code http://127.0.0.1:2583}
	 */
	String getService();

}
