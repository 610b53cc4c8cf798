package io.github.atprotospring.e2e;

import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.atprotospring.e2e.support.Parallel;
import io.github.atprotospring.e2e.support.Jwts;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.Xrpc;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the PDS double ({@code atproto-test}) to the reference PDS: the same raw
 * exchanges go to both, and what a client can observe of the answers (status, error name,
 * message, rate-limit headers, answer fields, token header and claims, the didDoc's
 * shape) must be equal. So must the values the client reads ({@code active},
 * {@code status}, {@code emailConfirmed}, {@code email}, for an active and a deactivated
 * account) and the refresh grace window the concurrency tests lean on: a rotated refresh
 * token reused within the window names the same successor, and after it is answered
 * {@code 400 ExpiredToken "Token has been revoked"}, with each server's clock moved ahead
 * (the reference PDS's through its launcher).
 * <p>
 * The double runs as the reference PDS here does: didDoc in session answers, rate limits
 * on, no AppView. Values that differ by nature (DIDs, handles, URLs, token bytes, times)
 * are replaced by placeholders before the comparison.
 */
@ExtendWith(ReferencePdsExtension.class)
class DoubleConformanceIT {

	private static final String CREATE_ACCOUNT = "com.atproto.server.createAccount";

	private static final String CREATE_SESSION = "com.atproto.server.createSession";

	private static final String REFRESH_SESSION = "com.atproto.server.refreshSession";

	private static final String GET_SESSION = "com.atproto.server.getSession";

	private static final String DELETE_SESSION = "com.atproto.server.deleteSession";

	private static final String CREATE_RECORD = "com.atproto.repo.createRecord";

	private static final String GET_RECORD = "com.atproto.repo.getRecord";

	/**
	 * How long a used refresh token stays usable on the reference PDS (a constant there),
	 * and by default on the double: the probe looks just inside and just outside it.
	 */
	private static final Duration GRACE = Duration.ofHours(2);

	private static PdsDouble pdsDouble;

	/**
	 * One server under comparison, with what a test does to it outside the protocol:
	 * deactivate an account (with its access token, or as an admin would) and move its
	 * clock ahead of the real time.
	 */
	record Target(String name, Xrpc xrpc, List<String> urls, String jwtSecret,
			Function<String, ReferencePds.Account> accounts, BiConsumer<ReferencePds.Account, String> deactivate,
			Consumer<Duration> clockOffset) {

		ReferencePds.Account account() {
			return this.accounts.apply(ReferencePds.newClientIp());
		}

		Map<String, String> from(ReferencePds.Account account) {
			return Map.of("X-Forwarded-For", account.clientIp());
		}

	}

	/**
	 * One exchange (or a few) whose observable outcome must be the same on both servers.
	 */
	record Probe(String name, Function<Target, Object> run) {
	}

	@AfterAll
	static void stopDouble() {
		if (pdsDouble != null) {
			pdsDouble.close();
		}
	}

	@TestFactory
	Stream<DynamicTest> theDoubleAnswersAsTheReferencePdsDoes(ReferencePds pds) {
		byte[] secretBytes = new byte[32];
		new SecureRandom().nextBytes(secretBytes);
		String secret = HexFormat.of().formatHex(secretBytes);
		OffsetClock doubleClock = new OffsetClock();
		pdsDouble = PdsDouble.builder()
			.clock(doubleClock)
			.jwtSecret(secret)
			.didDocWithSession(true)
			.rateLimits(true)
			.appView(false)
			.start();
		Xrpc doubleXrpc = new Xrpc(pdsDouble.url());
		Target reference = new Target("reference PDS", pds.xrpc(), List.of(pds.url(), pds.publicUrl()), pds.jwtSecret(),
				pds::createAccount, (account, access) -> {
					Xrpc.Response r = pds.xrpc()
						.post("com.atproto.server.deactivateAccount", Map.of(), access,
								Map.of("X-Forwarded-For", account.clientIp()));
					assertThat(r.status()).as(r.rawBody()).isEqualTo(200);
				}, pds::setClockOffset);
		Target twin = new Target("PdsDouble", doubleXrpc, List.of(pdsDouble.url()), secret,
				(ip) -> createAccount(doubleXrpc, ip), (account, access) -> pdsDouble.deactivate(account.did()),
				doubleClock::setOffset);
		return probes().stream().map((probe) -> DynamicTest.dynamicTest(probe.name(), () -> {
			Object expected = withRealTime(reference, probe);
			Object actual = withRealTime(twin, probe);
			assertThat(actual).as("%s: the double (actual) against the reference PDS (expected)", probe.name())
				.isEqualTo(expected);
		}));
	}

	/** Runs a probe and sets the server's clock back to the real time after it. */
	private static Object withRealTime(Target target, Probe probe) {
		try {
			return probe.run().apply(target);
		}
		finally {
			target.clockOffset().accept(Duration.ZERO);
		}
	}

	private static List<Probe> probes() {
		List<Probe> probes = new ArrayList<>();
		probes.add(new Probe("the values a client reads: active, status, email, emailConfirmed", (t) -> {
			ReferencePds.Account a = t.account();
			Map<String, Object> seen = new LinkedHashMap<>();
			Xrpc.Response created = login(t, a, a.handle(), a.password());
			seen.put("createSession", values(created, a));
			Xrpc.Response refreshed = t.xrpc()
				.post(REFRESH_SESSION, null, created.body().path("refreshJwt").asString(), t.from(a));
			seen.put("refreshSession", values(refreshed, a));
			String access = refreshed.body().path("accessJwt").asString();
			seen.put("getSession", values(t.xrpc().get(GET_SESSION, "", access, t.from(a)), a));
			t.deactivate().accept(a, access);
			seen.put("getSession, deactivated", values(t.xrpc().get(GET_SESSION, "", access, t.from(a)), a));
			seen.put("refreshSession, deactivated", values(
					t.xrpc().post(REFRESH_SESSION, null, refreshed.body().path("refreshJwt").asString(), t.from(a)),
					a));
			return seen;
		}));
		probes.add(new Probe("a rotated refresh token reused within and after the grace window", (t) -> {
			ReferencePds.Account a = t.account();
			String refresh = login(t, a, a.handle(), a.password()).body().path("refreshJwt").asString();
			Map<String, Object> seen = new LinkedHashMap<>();
			Xrpc.Response first = t.xrpc().post(REFRESH_SESSION, null, refresh, t.from(a));
			seen.put("first use", rotation(t, first, a));
			String successor = Jwts.payload(first.body().path("refreshJwt").asString()).path("jti").asString();
			for (Duration after : List.of(Duration.ofMinutes(1), Duration.ofHours(1), GRACE.minusMinutes(5),
					GRACE.plusMinutes(5), GRACE.plusHours(2))) {
				t.clockOffset().accept(after);
				Xrpc.Response again = t.xrpc().post(REFRESH_SESSION, null, refresh, t.from(a));
				Map<String, Object> reuse = new LinkedHashMap<>(rotation(t, again, a));
				if (again.status() == 200) {
					reuse.put("same successor",
							Jwts.payload(again.body().path("refreshJwt").asString())
								.path("jti")
								.asString()
								.equals(successor));
				}
				seen.put("reuse " + after + " after the first", reuse);
			}
			return seen;
		}));
		probes.add(new Probe("createAccount answer", (t) -> {
			ReferencePds.Account a = t.account();
			Xrpc.Response r = t.xrpc()
				.post(CREATE_ACCOUNT,
						Map.of("handle", "z" + a.handle(), "email", "z" + a.email(), "password", a.password()), null,
						t.from(a));
			return Map.of("answer", observe(t, r, "z" + a.handle(), "z" + a.email(), r.body().path("did").asString()),
					"didDoc", didDoc(t, r.body().path("didDoc"), r.body().path("did").asString(), "z" + a.handle()));
		}));
		probes.add(new Probe("createAccount refusals", (t) -> {
			ReferencePds.Account a = t.account();
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("handle taken", observe(t, t.xrpc()
				.post(CREATE_ACCOUNT, Map.of("handle", a.handle(), "email", "other-" + a.email(), "password", "x"),
						null, t.from(a)),
					a));
			seen.put("email taken",
					observe(t, t.xrpc()
						.post(CREATE_ACCOUNT, Map.of("handle", "y" + a.handle(), "email", a.email(), "password", "x"),
								null, t.from(a)),
							a));
			seen.put("other domain", observe(t, t.xrpc()
				.post(CREATE_ACCOUNT, Map.of("handle", "carol.com", "email", "carol@example.com", "password", "x"),
						null, t.from(a)),
					a));
			seen.put("no email",
					observe(t, t.xrpc()
						.post(CREATE_ACCOUNT, Map.of("handle", "w" + a.handle(), "password", "x"), null, t.from(a)),
							a));
			return seen;
		}));
		probes.add(new Probe("createSession with handle, email, DID and an upper-case handle", (t) -> {
			ReferencePds.Account a = t.account();
			Map<String, Object> seen = new LinkedHashMap<>();
			for (String identifier : List.of(a.handle(), a.email(), a.did(), a.handle().toUpperCase())) {
				Xrpc.Response r = login(t, a, identifier, a.password());
				Map<String, Object> one = new LinkedHashMap<>(observe(t, r, a));
				one.put("handle", r.body().path("handle").asString().equals(a.handle()));
				one.put("didDoc", didDoc(t, r.body().path("didDoc"), a.did(), a.handle()));
				seen.put(identifier.equals(a.did()) ? "did"
						: identifier.contains("@") ? "email" : identifier.equals(a.handle()) ? "handle" : "HANDLE",
						one);
			}
			return seen;
		}));
		probes.add(new Probe("token headers and claims", (t) -> {
			ReferencePds.Account a = t.account();
			Xrpc.Response r = login(t, a, a.handle(), a.password());
			return Map.of("access", token(r.body().path("accessJwt").asString()), "refresh",
					token(r.body().path("refreshJwt").asString()));
		}));
		probes.add(new Probe("createSession refusals", (t) -> {
			ReferencePds.Account a = t.account();
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("wrong password", observe(t, login(t, a, a.handle(), "wrong"), a));
			seen.put("unknown identifier", observe(t, login(t, a, "nobody-" + a.handle(), "wrong"), a));
			seen.put("no password",
					observe(t, t.xrpc().post(CREATE_SESSION, Map.of("identifier", a.handle()), null, t.from(a)), a));
			seen.put("identifier not a string", observe(t,
					t.xrpc().post(CREATE_SESSION, Map.of("identifier", 5, "password", "x"), null, t.from(a)), a));
			seen.put("input not an object", observe(t, t.xrpc().post(CREATE_SESSION, List.of(1), null, t.from(a)), a));
			seen.put("no body", observe(t, t.xrpc().post(CREATE_SESSION, null, null, t.from(a)), a));
			seen.put("text/plain",
					observe(t,
							t.xrpc()
								.send(t.xrpc()
									.request(CREATE_SESSION, "", null, t.from(a))
									.header("Content-Type", "text/plain")
									.POST(HttpRequest.BodyPublishers.ofString("hello"))
									.build()),
							a));
			seen.put("GET", observe(t, t.xrpc().get(CREATE_SESSION, "", null, t.from(a)), a));
			return seen;
		}));
		probes.add(new Probe("getSession", (t) -> {
			ReferencePds.Account a = t.account();
			Xrpc.Response session = login(t, a, a.handle(), a.password());
			String access = session.body().path("accessJwt").asString();
			String refresh = session.body().path("refreshJwt").asString();
			Instant now = Instant.now();
			Map<String, Object> seen = new LinkedHashMap<>();
			Xrpc.Response ok = t.xrpc().get(GET_SESSION, "", access, t.from(a));
			seen.put("ok", observe(t, ok, a));
			seen.put("ok didDoc", didDoc(t, ok.body().path("didDoc"), a.did(), a.handle()));
			seen.put("no auth", observe(t, t.xrpc().get(GET_SESSION, "", null, t.from(a)), a));
			seen.put("garbage", observe(t, t.xrpc().get(GET_SESSION, "", "garbage", t.from(a)), a));
			seen.put("refresh token", observe(t, t.xrpc().get(GET_SESSION, "", refresh, t.from(a)), a));
			seen.put("expired",
					observe(t,
							t.xrpc()
								.get(GET_SESSION, "", access(t.jwtSecret(), a.did(), "com.atproto.access",
										"did:web:localhost", now.minusSeconds(7200), now.minusSeconds(1)), t.from(a)),
							a));
			seen.put("other secret",
					observe(t,
							t.xrpc()
								.get(GET_SESSION, "", access("not-the-secret", a.did(), "com.atproto.access",
										"did:web:localhost", now, now.plusSeconds(600)), t.from(a)),
							a));
			seen.put("other audience",
					observe(t,
							t.xrpc()
								.get(GET_SESSION, "", access(t.jwtSecret(), a.did(), "com.atproto.access",
										"did:web:elsewhere", now, now.plusSeconds(600)), t.from(a)),
							a));
			seen.put("refresh scope",
					observe(t,
							t.xrpc()
								.get(GET_SESSION, "", access(t.jwtSecret(), a.did(), "com.atproto.refresh",
										"did:web:localhost", now, now.plusSeconds(600)), t.from(a)),
							a));
			seen.put("sub not a DID",
					observe(t,
							t.xrpc()
								.get(GET_SESSION, "", access(t.jwtSecret(), "alice", "com.atproto.access",
										"did:web:localhost", now, now.plusSeconds(600)), t.from(a)),
							a));
			for (String header : List.of("Basic YTpi", "Foo bar", "Bearer")) {
				seen.put("Authorization: " + header,
						observe(t,
								t.xrpc()
									.send(t.xrpc()
										.request(GET_SESSION, "", null,
												Map.of("X-Forwarded-For", a.clientIp(), "Authorization", header))
										.GET()
										.build()),
								a));
			}
			return seen;
		}));
		probes.add(new Probe("refreshSession and deleteSession", (t) -> {
			ReferencePds.Account a = t.account();
			Xrpc.Response session = login(t, a, a.handle(), a.password());
			String access = session.body().path("accessJwt").asString();
			String refresh = session.body().path("refreshJwt").asString();
			Instant now = Instant.now();
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("access token", observe(t, t.xrpc().post(REFRESH_SESSION, null, access, t.from(a)), a));
			seen.put("no auth", observe(t, t.xrpc().post(REFRESH_SESSION, null, null, t.from(a)), a));
			seen.put("garbage", observe(t, t.xrpc().post(REFRESH_SESSION, null, "garbage", t.from(a)), a));
			seen.put("Basic",
					observe(t,
							t.xrpc()
								.send(t.xrpc()
									.request(REFRESH_SESSION, "", null,
											Map.of("X-Forwarded-For", a.clientIp(), "Authorization", "Basic YTpi"))
									.POST(HttpRequest.BodyPublishers.noBody())
									.build()),
							a));
			seen.put("with a body", observe(t, t.xrpc().post(REFRESH_SESSION, Map.of("x", 1), refresh, t.from(a)), a));
			seen.put("expired", observe(t, t.xrpc()
				.post(REFRESH_SESSION, null,
						refreshToken(t.jwtSecret(), a.did(), "abc", now.minusSeconds(100), now.minusSeconds(10)),
						t.from(a)),
					a));
			seen.put("unknown id",
					observe(t, t.xrpc()
						.post(REFRESH_SESSION, null,
								refreshToken(t.jwtSecret(), a.did(), "abc", now, now.plusSeconds(600)), t.from(a)),
							a));
			seen.put("no id",
					observe(t, t.xrpc()
						.post(REFRESH_SESSION, null,
								refreshToken(t.jwtSecret(), a.did(), null, now, now.plusSeconds(600)), t.from(a)),
							a));
			Xrpc.Response first = t.xrpc().post(REFRESH_SESSION, null, refresh, t.from(a));
			seen.put("ok", observe(t, first, a));
			Xrpc.Response again = t.xrpc().post(REFRESH_SESSION, null, refresh, t.from(a));
			seen.put("reuse in the grace period", observe(t, again, a));
			seen.put("reuse names the same successor",
					Jwts.payload(first.body().path("refreshJwt").asString())
						.path("jti")
						.equals(Jwts.payload(again.body().path("refreshJwt").asString()).path("jti")));
			String successor = first.body().path("refreshJwt").asString();
			seen.put("deleteSession with the access token", observe(t,
					t.xrpc().post(DELETE_SESSION, null, first.body().path("accessJwt").asString(), t.from(a)), a));
			Xrpc.Response deleted = t.xrpc().post(DELETE_SESSION, null, successor, t.from(a));
			seen.put("deleteSession", List.of(deleted.status(), deleted.rawBody()));
			seen.put("revoked", observe(t, t.xrpc().post(REFRESH_SESSION, null, successor, t.from(a)), a));
			seen.put("access token after deleteSession",
					t.xrpc().get(GET_SESSION, "", first.body().path("accessJwt").asString(), t.from(a)).status());
			Xrpc.Response deletedAgain = t.xrpc().post(DELETE_SESSION, null, successor, t.from(a));
			seen.put("deleteSession again", List.of(deletedAgain.status(), deletedAgain.rawBody()));
			return seen;
		}));
		probes.add(new Probe("createRecord and getRecord", (t) -> {
			ReferencePds.Account a = t.account();
			ReferencePds.Account other = t.account();
			String access = login(t, a, a.handle(), a.password()).body().path("accessJwt").asString();
			Map<String, Object> seen = new LinkedHashMap<>();
			Xrpc.Response created = t.xrpc()
				.post(CREATE_RECORD,
						Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record", post("hello")), access,
						t.from(a));
			seen.put("post", observe(t, created, a));
			seen.put("post validationStatus", created.body().path("validationStatus").asString());
			String rkey = created.body().path("uri").asString().replaceAll(".*/", "");
			Xrpc.Response read = t.xrpc()
				.get(GET_RECORD, "repo=" + a.did() + "&collection=app.bsky.feed.post&rkey=" + rkey, null, t.from(a));
			seen.put("getRecord", observe(t, read, a));
			seen.put("getRecord value", read.body().path("value").equals(post("hello")));
			seen.put("getRecord by handle",
					t.xrpc()
						.get(GET_RECORD, "repo=" + a.handle() + "&collection=app.bsky.feed.post&rkey=" + rkey, null,
								t.from(a))
						.status());
			seen.put("getRecord missing",
					observe(t, t.xrpc()
						.get(GET_RECORD, "repo=" + a.did() + "&collection=app.bsky.feed.post&rkey=3zzzzzzzzzzzz", null,
								t.from(a)),
							a));
			seen.put("getRecord unknown repo", observe(t, t.xrpc()
				.get(GET_RECORD, "repo=nobody.test&collection=app.bsky.feed.post&rkey=" + rkey, null, t.from(a)), a));
			seen.put("by handle", observe(t, t.xrpc()
				.post(CREATE_RECORD,
						Map.of("repo", a.handle(), "collection", "app.bsky.feed.post", "record", post("by handle")),
						access, t.from(a)),
					a));
			seen.put("no text",
					observe(t, t.xrpc()
						.post(CREATE_RECORD,
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record",
										Map.of("$type", "app.bsky.feed.post", "createdAt", "2026-11-23T12:00:00.000Z")),
								access, t.from(a)),
							a));
			seen.put("text not a string",
					observe(t, t.xrpc()
						.post(CREATE_RECORD,
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record", Map.of("$type",
										"app.bsky.feed.post", "text", 5, "createdAt", "2026-11-23T12:00:00.000Z")),
								access, t.from(a)),
							a));
			seen.put("bad createdAt",
					observe(t, t.xrpc()
						.post(CREATE_RECORD,
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record",
										Map.of("$type", "app.bsky.feed.post", "text", "x", "createdAt", "yesterday")),
								access, t.from(a)),
							a));
			seen.put("$type of another collection",
					observe(t, t.xrpc()
						.post(CREATE_RECORD,
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record", Map.of("$type",
										"app.bsky.feed.like", "text", "x", "createdAt", "2026-11-23T12:00:00.000Z")),
								access, t.from(a)),
							a));
			Xrpc.Response unknownCollection = t.xrpc()
				.post(CREATE_RECORD, Map.of("repo", a.did(), "collection", "com.example.thing", "record",
						Map.of("$type", "com.example.thing", "a", 1)), access, t.from(a));
			seen.put("unknown collection", observe(t, unknownCollection, a));
			seen.put("unknown collection validationStatus",
					unknownCollection.body().path("validationStatus").asString());
			seen.put("not an NSID", observe(t, t.xrpc()
				.post(CREATE_RECORD, Map.of("repo", a.did(), "collection", "nope", "record", Map.of("$type", "nope")),
						access, t.from(a)),
					a));
			seen.put("no record",
					observe(t,
							t.xrpc()
								.post(CREATE_RECORD, Map.of("repo", a.did(), "collection", "app.bsky.feed.post"),
										access, t.from(a)),
							a));
			seen.put("someone else's repo",
					observe(t, t.xrpc()
						.post(CREATE_RECORD,
								Map.of("repo", other.did(), "collection", "app.bsky.feed.post", "record", post("x")),
								access, t.from(a)),
							a));
			seen.put("unknown repo",
					observe(t,
							t.xrpc()
								.post(CREATE_RECORD, Map.of("repo", "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "collection",
										"app.bsky.feed.post", "record", post("x")), access, t.from(a)),
							a));
			seen.put("no auth", observe(t, t.xrpc()
				.post(CREATE_RECORD, Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record", post("x")),
						null, t.from(a)),
					a));
			seen.put("no auth, bad input",
					observe(t, t.xrpc().post(CREATE_RECORD, Map.of("repo", a.did()), null, t.from(a)), a));
			return seen;
		}));
		probes.add(new Probe("the repo and identity methods of the Bluesky conveniences", (t) -> {
			ReferencePds.Account a = t.account();
			ReferencePds.Account other = t.account();
			String access = login(t, a, a.handle(), a.password()).body().path("accessJwt").asString();
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("resolveHandle",
					observe(t,
							t.xrpc()
								.get("com.atproto.identity.resolveHandle", "handle=" + other.handle(), null, t.from(a)),
							a));
			seen.put("resolveHandle, resolved",
					t.xrpc()
						.get("com.atproto.identity.resolveHandle", "handle=" + other.handle(), null, t.from(a))
						.body()
						.path("did")
						.asString()
						.equals(other.did()));
			seen.put("resolveHandle, unknown handle", observe(t,
					t.xrpc().get("com.atproto.identity.resolveHandle", "handle=nosuchaccount.test", null, t.from(a)),
					a));
			seen.put("resolveHandle, no handle",
					observe(t, t.xrpc().get("com.atproto.identity.resolveHandle", "", null, t.from(a)), a));
			List<String> rkeys = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Xrpc.Response created = t.xrpc()
					.post(CREATE_RECORD,
							Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "record", post("post " + i)),
							access, t.from(a));
				String uri = created.body().path("uri").asString();
				rkeys.add(uri.substring(uri.lastIndexOf('/') + 1));
			}
			String list = "repo=" + a.did() + "&collection=app.bsky.feed.post";
			Xrpc.Response first = t.xrpc().get("com.atproto.repo.listRecords", list + "&limit=2", null, t.from(a));
			seen.put("listRecords, first page", observe(t, first, a));
			seen.put("listRecords, newest first", rkeys.get(2)
				.equals(first.body().path("records").get(0).path("uri").asString().replaceAll(".*/", "")));
			String cursor = first.body().path("cursor").asString();
			seen.put("listRecords, cursor is the last key", rkeys.get(1).equals(cursor));
			Xrpc.Response second = t.xrpc()
				.get("com.atproto.repo.listRecords", list + "&limit=2&cursor=" + cursor, null, t.from(a));
			seen.put("listRecords, second page", observe(t, second, a));
			seen.put("listRecords, second page size", second.body().path("records").size());
			Xrpc.Response last = t.xrpc()
				.get("com.atproto.repo.listRecords",
						list + "&limit=2&cursor=" + second.body().path("cursor").asString(), null, t.from(a));
			seen.put("listRecords, past the end", observe(t, last, a));
			seen.put("listRecords, limit 101",
					observe(t, t.xrpc().get("com.atproto.repo.listRecords", list + "&limit=101", null, t.from(a)), a));
			seen.put("deleteRecord",
					observe(t, t.xrpc()
						.post("com.atproto.repo.deleteRecord",
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "rkey", rkeys.get(0)),
								access, t.from(a)),
							a));
			seen.put("deleteRecord, again",
					observe(t, t.xrpc()
						.post("com.atproto.repo.deleteRecord",
								Map.of("repo", a.did(), "collection", "app.bsky.feed.post", "rkey", rkeys.get(0)),
								access, t.from(a)),
							a));
			Map<String, Object> deleted = observe(t,
					t.xrpc().get(GET_RECORD, list + "&rkey=" + rkeys.get(0), null, t.from(a)), a);
			deleted.computeIfPresent("message", (key, message) -> message.toString().replace(rkeys.get(0), "<rkey>"));
			seen.put("getRecord, deleted", deleted);
			seen.put("listRecords, no collection",
					observe(t, t.xrpc().get("com.atproto.repo.listRecords", "repo=" + a.did(), null, t.from(a)), a));
			return seen;
		}));
		probes.add(new Probe("methods a lone PDS does not serve", (t) -> {
			ReferencePds.Account a = t.account();
			String access = login(t, a, a.handle(), a.password()).body().path("accessJwt").asString();
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("getProfile",
					observe(t, t.xrpc().get("app.bsky.actor.getProfile", "actor=" + a.did(), access, t.from(a)), a));
			seen.put("unknown query", observe(t, t.xrpc().get("com.example.nothing", "", access, t.from(a)), a));
			seen.put("unknown procedure",
					observe(t, t.xrpc().post("com.example.nothing", Map.of(), null, t.from(a)), a));
			seen.put("GET of a procedure", observe(t, t.xrpc().get(REFRESH_SESSION, "", null, t.from(a)), a));
			return seen;
		}));
		probes.add(new Probe("createSession rate limit", (t) -> {
			ReferencePds.Account a = t.account();
			List<Xrpc.Response> spent = Parallel.run(30, () -> login(t, a, a.handle(), "wrong"));
			Map<String, Object> seen = new LinkedHashMap<>();
			seen.put("30 answers", spent.stream().map((r) -> r.status()).distinct().toList());
			seen.put("remaining",
					spent.stream()
						.map((r) -> r.header("RateLimit-Remaining"))
						.sorted((x, y) -> Integer.compare(Integer.parseInt(x), Integer.parseInt(y)))
						.toList());
			seen.put("31st", observe(t, login(t, a, a.handle(), a.password()), a));
			seen.put("other address",
					observe(t,
							t.xrpc()
								.post(CREATE_SESSION, Map.of("identifier", a.handle(), "password", a.password()), null,
										Map.of("X-Forwarded-For", ReferencePds.newClientIp())),
							a));
			seen.put("upper-case identifier, same address",
					observe(t, login(t, a, a.handle().toUpperCase(), "wrong"), a));
			return seen;
		}));
		return probes;
	}

	// --- exchanges
	// ----------------------------------------------------------------------------------

	private static ReferencePds.Account createAccount(Xrpc xrpc, String clientIp) {
		String name = "d" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
		Xrpc.Response r = xrpc.post(CREATE_ACCOUNT,
				Map.of("handle", name + ".test", "email", name + "@example.com", "password", ReferencePds.PASSWORD),
				null, Map.of("X-Forwarded-For", clientIp));
		assertThat(r.status()).as(r.rawBody()).isEqualTo(200);
		return new ReferencePds.Account(name + ".test", name + "@example.com", ReferencePds.PASSWORD,
				r.body().path("did").asString(), clientIp);
	}

	private static Xrpc.Response login(Target t, ReferencePds.Account a, String identifier, String password) {
		return t.xrpc().post(CREATE_SESSION, Map.of("identifier", identifier, "password", password), null, t.from(a));
	}

	private static Map<String, Object> post(String text) {
		return Map.of("$type", "app.bsky.feed.post", "text", text, "createdAt", "2026-11-23T12:00:00.000Z");
	}

	private static String access(String secret, String sub, String scope, String aud, Instant iat, Instant exp) {
		return Jwts.hs256(secret, "at+jwt", List.of(Map.entry("scope", scope), Map.entry("aud", aud),
				Map.entry("sub", sub), Map.entry("iat", iat.getEpochSecond()), Map.entry("exp", exp.getEpochSecond())));
	}

	private static String refreshToken(String secret, String sub, String jti, Instant iat, Instant exp) {
		List<Map.Entry<String, Object>> claims = new ArrayList<>(List.of(Map.entry("scope", "com.atproto.refresh"),
				Map.entry("aud", "did:web:localhost"), Map.entry("sub", sub)));
		if (jti != null) {
			claims.add(Map.entry("jti", jti));
		}
		claims.add(Map.entry("iat", iat.getEpochSecond()));
		claims.add(Map.entry("exp", exp.getEpochSecond()));
		return Jwts.hs256(secret, "refresh+jwt", claims);
	}

	// --- observations
	// -------------------------------------------------------------------------------

	/**
	 * What a client sees of a rotation, without the rate-limit headers: the reference
	 * PDS's rate limiter counts its windows with timers, which a moved clock does not
	 * move, and the double's follows its clock.
	 */
	private static Map<String, Object> rotation(Target t, Xrpc.Response r, ReferencePds.Account a) {
		Map<String, Object> seen = observe(t, r, a);
		seen.remove("rate limit headers");
		return seen;
	}

	/** The status of an answer and the values of the session fields a client reads. */
	private static Map<String, Object> values(Xrpc.Response r, ReferencePds.Account a) {
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("status", r.status());
		if (r.status() != 200) {
			seen.put("error", r.error());
			return seen;
		}
		for (String field : List.of("active", "status", "emailConfirmed", "email")) {
			JsonNode value = r.body().path(field);
			seen.put(field, value.isMissingNode() ? "absent" : value.toString().replace(a.email(), "<email>"));
		}
		return seen;
	}

	private static Map<String, Object> observe(Target t, Xrpc.Response r, ReferencePds.Account a) {
		return observe(t, r, a.handle(), a.email(), a.did());
	}

	/**
	 * What a client can see of an answer, with the values that differ by nature replaced.
	 */
	private static Map<String, Object> observe(Target t, Xrpc.Response r, String handle, String email, String did) {
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("status", r.status());
		if (r.error() != null || r.status() >= 400) {
			seen.put("error", r.error());
			seen.put("message", normalize(t, r.message(), handle, email, did));
		}
		else if (r.body().isObject()) {
			seen.put("fields", new TreeSet<>(r.body().propertyNames()));
		}
		else {
			seen.put("body", r.rawBody());
		}
		Map<String, String> limits = new TreeMap<>();
		for (String name : List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Policy", "Retry-After")) {
			if (r.header(name) != null) {
				limits.put(name, r.header(name));
			}
		}
		String reset = r.header("RateLimit-Reset");
		if (reset != null) {
			long seconds = Long.parseLong(reset) - Instant.now().getEpochSecond();
			limits.put("RateLimit-Reset", (seconds >= -2 && seconds <= Duration.ofDays(1).toSeconds() + 2)
					? "absolute, within the window" : "not an absolute time in the window: " + reset);
		}
		if (!limits.isEmpty()) {
			seen.put("rate limit headers", limits);
		}
		return seen;
	}

	private static String normalize(Target t, String text, String handle, String email, String did) {
		if (text == null) {
			return null;
		}
		String result = text;
		for (String url : t.urls()) {
			result = result.replace(url, "<pds>");
		}
		result = result.replace(did, "<did>").replace(email, "<email>").replace(handle, "<handle>");
		return result.replaceAll("did:plc:[a-z2-7]{24}", "<other did>");
	}

	private static Map<String, Object> didDoc(Target t, JsonNode doc, String did, String handle) {
		if (doc.isMissingNode()) {
			return Map.of("present", false);
		}
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("fields", new TreeSet<>(doc.propertyNames()));
		seen.put("@context", doc.path("@context").toString());
		seen.put("id", doc.path("id").asString().equals(did));
		seen.put("alsoKnownAs", doc.path("alsoKnownAs").toString().replace(handle, "<handle>"));
		List<String> methods = new ArrayList<>();
		doc.path("verificationMethod")
			.forEach((m) -> methods.add(m.path("id").asString() + " " + m.path("type").asString() + " controller="
					+ m.path("controller").asString().equals(did) + " publicKeyMultibase="
					+ (m.path("publicKeyMultibase").asString().length() > 40)));
		seen.put("verificationMethod", methods);
		String services = doc.path("service").toString();
		for (String url : t.urls()) {
			services = services.replace(url, "<pds>");
		}
		seen.put("service", services);
		return seen;
	}

	/** The real time, or a time ahead of it by an offset the test sets. */
	static final class OffsetClock extends Clock {

		private volatile Duration offset = Duration.ZERO;

		void setOffset(Duration offset) {
			this.offset = offset;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException("UTC only");
		}

	}

	private static Map<String, Object> token(String jwt) {
		JsonNode claims = Jwts.payload(jwt);
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("header", Jwts.header(jwt).toString());
		seen.put("claims", List.copyOf(claims.propertyNames()));
		seen.put("scope", claims.path("scope").asString());
		seen.put("aud", claims.path("aud").asString());
		seen.put("lifetime", claims.path("exp").asLong() - claims.path("iat").asLong());
		if (claims.has("jti")) {
			seen.put("jti", claims.path("jti").asString().matches("[A-Za-z0-9+/]{43}") ? "43 base64 characters"
					: "unlike the reference PDS's: " + claims.path("jti").asString());
		}
		return seen;
	}

}
