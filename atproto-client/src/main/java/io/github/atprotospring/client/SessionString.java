package io.github.atprotospring.client;

/**
 * The session-string form shared with the Python SDK ({@code atproto} on PyPI), so that a
 * running bot can move between the two SDKs without a new login:
 * {@code handle:::did:::accessJwt:::refreshJwt:::pdsEndpoint}. The older four-field form
 * without the endpoint is read too, with the endpoint then
 * {@value #DEFAULT_PDS_ENDPOINT}, as the Python SDK does.
 * <p>
 * Error messages name the field that is wrong and never echo a token.
 */
public final class SessionString {

	/** The PDS endpoint assumed for the older four-field form. */
	public static final String DEFAULT_PDS_ENDPOINT = "https://bsky.social";

	private static final String SEPARATOR = ":::";

	private SessionString() {
	}

	/**
	 * Parses a session string. No network call is made.
	 * @param sessionString the string, in the five- or the older four-field form
	 * @return the session it holds
	 * @throws IllegalArgumentException if the string is malformed; the message says which
	 * field
	 */
	public static Session parse(String sessionString) {
		if (sessionString == null || sessionString.isBlank()) {
			throw new IllegalArgumentException("The session string is empty");
		}
		String[] fields = sessionString.strip().split(SEPARATOR, -1);
		if (fields.length != 4 && fields.length != 5) {
			throw new IllegalArgumentException("A session string has 5 fields (handle:::did:::accessJwt:::refreshJwt:::"
					+ "pdsEndpoint) or the older 4 without the endpoint, but this one has " + fields.length);
		}
		String handle = requireField(fields, 0, "handle");
		String did = requireField(fields, 1, "did");
		if (!did.startsWith("did:")) {
			throw new IllegalArgumentException("Field 2 of the session string (did) must start with 'did:'");
		}
		String accessJwt = requireJwt(fields, 2, "accessJwt");
		String refreshJwt = requireJwt(fields, 3, "refreshJwt");
		String pdsEndpoint = (fields.length == 5) ? requireEndpoint(requireField(fields, 4, "pdsEndpoint"))
				: DEFAULT_PDS_ENDPOINT;
		return new Session(handle, did, accessJwt, refreshJwt, pdsEndpoint);
	}

	/**
	 * Formats a session in the five-field form.
	 * @param session the session
	 * @return the session string; it contains both tokens, so treat it as a secret
	 */
	public static String format(Session session) {
		return String.join(SEPARATOR, session.handle(), session.did(), session.accessJwt(), session.refreshJwt(),
				session.pdsEndpoint());
	}

	private static String requireField(String[] fields, int index, String name) {
		String value = fields[index].strip();
		if (value.isEmpty()) {
			throw new IllegalArgumentException(
					"Field " + (index + 1) + " of the session string (" + name + ") is empty");
		}
		return value;
	}

	private static String requireJwt(String[] fields, int index, String name) {
		String value = requireField(fields, index, name);
		if (!Jwts.isJwt(value)) {
			throw new IllegalArgumentException("Field " + (index + 1) + " of the session string (" + name
					+ ") is not a JWT (three base64url parts with a JSON payload)");
		}
		return value;
	}

	private static String requireEndpoint(String value) {
		if (!Endpoints.isHttpUrl(value)) {
			// Not echoed: in a string whose fields slipped, this one may be a token.
			throw new IllegalArgumentException("Field 5 of the session string (pdsEndpoint) must be an http or https "
					+ "URL, such as https://bsky.social, but is " + value.length() + " characters of something else");
		}
		return Endpoints.normalize(value);
	}

}
