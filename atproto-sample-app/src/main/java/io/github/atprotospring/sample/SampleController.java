package io.github.atprotospring.sample;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoException;
import io.github.atprotospring.client.NotLoggedInException;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.XrpcException;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that show the starter at work. None of them ever returns a token.
 */
@RestController
public class SampleController {

	private final AtprotoClient client;

	private final SessionActivity activity;

	private final boolean localPds;

	public SampleController(AtprotoClient client, SessionActivity activity,
			@Value("${sample.local-pds.active:false}") boolean localPds) {
		this.client = client;
		this.activity = activity;
		this.localPds = localPds;
	}

	/**
	 * The session's status: account, PDS, token expiry, the session changes seen.
	 */
	@GetMapping("/session")
	public Map<String, Object> session() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("mode", this.localPds ? "local-demo-pds" : "configured-service");
		status
			.put("message",
					this.localPds
							? "Running against a LOCAL in-process PDS with the demo account; set BLUESKY_HANDLE and "
									+ "BLUESKY_APP_PASSWORD to use Bluesky"
							: "Running against " + this.client.service());
		status.put("service", this.client.service());
		Optional<Session> session = this.client.session();
		status.put("loggedIn", session.isPresent());
		session.ifPresent((s) -> {
			status.put("handle", s.handle());
			status.put("did", s.did());
			status.put("pdsEndpoint", s.pdsEndpoint());
			status.put("accessExpiresAt", s.accessExpiresAt().orElse(null));
			status.put("refreshExpiresAt", s.refreshExpiresAt().orElse(null));
		});
		List<SessionActivity.Change> changes = this.activity.changes();
		status.put("lastEvent", changes.isEmpty() ? null : changes.get(changes.size() - 1));
		status.put("events", changes);
		return status;
	}

	/**
	 * Forces a refresh of the session's tokens now (otherwise the client refreshes by
	 * itself).
	 */
	@PostMapping("/session/refresh")
	public Map<String, Object> refresh() {
		this.client.refreshSession();
		return session();
	}

	/**
	 * The account's profile.
	 */
	@GetMapping("/profile")
	public Profile profile() {
		return this.client.getProfile(this.client.ensureSession().did());
	}

	/**
	 * Posts a text: {@code {"text": "Hello"}}.
	 */
	@PostMapping("/posts")
	public CreateRecordResponse post(@RequestBody NewPost post) {
		return this.client.createPost(post.text());
	}

	@ExceptionHandler(NotLoggedInException.class)
	ResponseEntity<Map<String, Object>> notLoggedIn(NotLoggedInException ex) {
		return error(HttpStatus.CONFLICT, ex);
	}

	@ExceptionHandler(AtprotoException.class)
	ResponseEntity<Map<String, Object>> atprotoFailed(AtprotoException ex) {
		return error((ex instanceof XrpcException xrpc && xrpc.status() == 400) ? HttpStatus.BAD_REQUEST
				: HttpStatus.BAD_GATEWAY, ex);
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, AtprotoException ex) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", ex.getClass().getSimpleName());
		body.put("message", ex.getMessage());
		body.put("at", Instant.now());
		return ResponseEntity.status(status).body(body);
	}

	/**
	 * The body of a new post.
	 *
	 * @param text the text
	 */
	public record NewPost(String text) {
	}

}
