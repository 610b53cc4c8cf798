package io.github.atprotospring.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps other web sites from using the sample's state-changing endpoints through the
 * browser of someone who runs it (cross-site request forgery).
 * <p>
 * A page on any site can make a browser send a {@code POST} to {@code localhost}: an HTML
 * form can send {@code application/x-www-form-urlencoded}, {@code multipart/form-data} or
 * {@code text/plain} with no CORS preflight. So every request that is not {@code GET},
 * {@code HEAD}, {@code OPTIONS} or {@code TRACE}:
 * <ul>
 * <li>is refused ({@code 403}) when its {@code Sec-Fetch-Site} header says it comes from
 * another origin ({@code cross-site} or {@code same-site}: the latter covers other
 * applications on {@code localhost}, which share its site);</li>
 * <li>is refused ({@code 403}) when its {@code Origin} header is not the sample's own
 * origin. The own origins are made from what the server knows, not from the request's
 * {@code Host} header, which a DNS-rebinding page controls: the port the request arrived
 * on, with {@code localhost}, a loopback address or the address the request arrived
 * on;</li>
 * <li>must have {@code Content-Type: application/json} ({@code 415} otherwise), which a
 * cross-site page can only send after a CORS preflight that the sample does not
 * allow;</li>
 * <li>must declare a body of at most 64 KiB ({@code 413} otherwise).</li>
 * </ul>
 * Tools such as {@code curl} send neither {@code Sec-Fetch-Site} nor {@code Origin}, so
 * they only need the content type.
 * <p>
 * A servlet filter rather than a Spring MVC interceptor: the dispatcher parses a
 * multipart body before interceptors run, and a refused request should not be read at
 * all.
 */
@Component
class SameOriginGuard extends OncePerRequestFilter {

	/** The largest body the sample reads: a post's text is at most 3,000 bytes. */
	static final long MAX_BODY_BYTES = 64 * 1024;

	private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private static final Set<String> OWN_FETCH_SITES = Set.of("same-origin", "none");

	private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final String HOW = " Call this endpoint from the sample's own origin, or with curl: "
			+ "curl -X POST -H 'Content-Type: application/json' -d '{...}' <url>.";

	private final JsonMapper json;

	SameOriginGuard(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (SAFE_METHODS.contains(request.getMethod()) || check(request, response)) {
			chain.doFilter(request, response);
		}
	}

	/**
	 * Whether the request may go on; if not, the refusal has been written.
	 */
	private boolean check(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null && !OWN_FETCH_SITES.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
			return refuse(response, HttpStatus.FORBIDDEN, "CrossSiteRequestRefused",
					"This endpoint changes state and refuses requests that other web pages send (Sec-Fetch-Site: "
							+ quote(fetchSite) + ")." + HOW);
		}
		String origin = request.getHeader("Origin");
		if (origin != null && !isOwnOrigin(origin, request)) {
			return refuse(response, HttpStatus.FORBIDDEN, "CrossSiteRequestRefused",
					"This endpoint changes state and refuses requests from other origins (Origin: " + quote(origin)
							+ "; this server answers on port " + request.getLocalPort() + ")." + HOW);
		}
		if (!isJson(request.getContentType())) {
			return refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UnsupportedMediaType",
					"This endpoint takes Content-Type: application/json (got "
							+ ((request.getContentType() != null) ? quote(request.getContentType()) : "none")
							+ "); send a JSON object, {} when there is nothing to say." + HOW);
		}
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			return refuse(response, HttpStatus.CONTENT_TOO_LARGE, "ContentTooLarge", "The body is "
					+ request.getContentLengthLong() + " bytes; this endpoint reads at most " + MAX_BODY_BYTES + ".");
		}
		return true;
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_JSON.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * Whether {@code origin} names this server: the scheme and port the request came in
	 * on, and a host that is {@code localhost}, a loopback address or the address the
	 * request arrived on. Names other than {@code localhost} are never resolved.
	 */
	static boolean isOwnOrigin(String origin, HttpServletRequest request) {
		URI uri;
		try {
			uri = new URI(origin.trim());
		}
		catch (URISyntaxException ex) {
			return false;
		}
		String scheme = request.getScheme().toLowerCase(Locale.ROOT);
		if (uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
				|| !scheme.equalsIgnoreCase(uri.getScheme())) {
			return false;
		}
		int port = (uri.getPort() != -1) ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
		if (port != request.getLocalPort()) {
			return false;
		}
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		if (host.equals("localhost")) {
			return true;
		}
		InetAddress address = literal(host);
		if (address == null) {
			return false;
		}
		return address.isLoopbackAddress() || address.equals(literal(request.getLocalAddr()));
	}

	/**
	 * The address an IP literal names, or {@code null} for anything else; a host name is
	 * never looked up.
	 */
	private static InetAddress literal(String host) {
		if (host == null) {
			return null;
		}
		String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (!IPV4_LITERAL.matcher(bare).matches() && !bare.contains(":")) {
			return null;
		}
		try {
			return InetAddress.getByName(bare);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/** A header value for a message: bounded, and without control characters. */
	private static String quote(String value) {
		String clean = value.replaceAll("\\p{Cntrl}", "?");
		return (clean.length() > 100) ? clean.substring(0, 100) + "..." : clean;
	}

	private boolean refuse(HttpServletResponse response, HttpStatus status, String error, String message)
			throws IOException {
		Map<String, Object> body = ErrorBody.of(error, message);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		this.json.writeValue(response.getWriter(), body);
		return false;
	}

}
