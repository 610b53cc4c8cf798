package io.github.atprotospring.sample;

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
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
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
	public Map<String, Object> refresh(@RequestBody(required = false) JsonNode body) {
		if (body != null && !(body.isObject() && body.isEmpty())) {
			throw new InvalidInputException("POST /session/refresh takes no input: send {} or no body.");
		}
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
	 * Posts a text: {@code {"text": "Hello"}}, checked as the lexicon of
	 * {@code app.bsky.feed.post} checks it before anything is sent.
	 */
	@PostMapping("/posts")
	public CreateRecordResponse post(@RequestBody JsonNode body) {
		return this.client.createPost(PostText.from(body));
	}

	@ExceptionHandler(InvalidInputException.class)
	ResponseEntity<Map<String, Object>> invalidInput(InvalidInputException ex) {
		return ResponseEntity.badRequest().body(ErrorBody.of("InvalidRequest", ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException ex) {
		// Not the parser's message: it is long and quotes the input.
		return ResponseEntity.badRequest()
			.body(ErrorBody.of("InvalidRequest",
					"The body is missing or is not valid JSON: send a JSON object such as {\"text\": \"Hello\"}."));
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
		return ResponseEntity.status(status).body(ErrorBody.of(ex.getClass().getSimpleName(), ex.getMessage()));
	}

}
