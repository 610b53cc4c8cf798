package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;

import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;

/**
 * Run by {@link LowMemoryTests} in a JVM of its own with a 128 MiB heap: a client with
 * its defaults against answers of 2 GiB (an error, a session answer, a call's answer),
 * declared or chunked, each of which must end in an {@link XrpcException} without the
 * body being held in memory. Prints one line per answer and exits with 0 only if every
 * one ended so.
 */
public final class HugeBodyProbe {

	static final long TWO_GIB = 2L * 1024 * 1024 * 1024;

	private HugeBodyProbe() {
	}

	public static void main(String[] args) {
		long maxHeap = Runtime.getRuntime().maxMemory();
		System.out.println("max heap " + maxHeap);
		if (maxHeap > 128L * 1024 * 1024) {
			System.out.println("FAIL: the heap is larger than 128 MiB");
			System.exit(2);
		}
		int failures = 0;
		try (HostilePds hostile = HostilePds.start()) {
			hostile.on("com.atproto.server.createSession", Answer.hugeBody(500, TWO_GIB));
			hostile.on("com.atproto.server.refreshSession", Answer.hugeBody(200, TWO_GIB));
			hostile.on("com.atproto.server.getSession", Answer.hugeBody(400, TWO_GIB));
			hostile.on("com.atproto.repo.getRecord", Answer.hugeChunkedBody(200, TWO_GIB));
			hostile.on("com.atproto.repo.listRecords", Answer.hugeChunkedBody(500, TWO_GIB));
			AtprotoClient client = AtprotoClient.builder().service(hostile.url()).build();
			long now = Instant.now().getEpochSecond();
			Session session = new Session("probe.test", "did:plc:probe", HostilePds.jwt(now, now + 7200),
					HostilePds.jwt(now, now + 7200), hostile.url());
			Runnable[] calls = { () -> client.login("probe.test", "password"), () -> client.importSession(session),
					client::refreshSession, client::getSession,
					() -> client.getRecord("did:plc:probe", "app.bsky.feed.post", "x"),
					() -> client.query("com.atproto.repo.listRecords", java.util.Map.of("repo", "did:plc:probe"),
							tools.jackson.databind.JsonNode.class) };
			String[] names = { "createSession (500)", "importSession", "refreshSession (200)", "getSession (400)",
					"getRecord (200, chunked)", "listRecords (500, chunked)" };
			for (int i = 0; i < calls.length; i++) {
				long sentBefore = hostile.bodyBytesSent();
				long started = System.nanoTime();
				String outcome;
				try {
					calls[i].run();
					outcome = (i == 1) ? "ok" : "FAIL: no exception";
				}
				catch (XrpcException ex) {
					outcome = "ok: " + ex.getMessage();
				}
				catch (Throwable ex) {
					outcome = "FAIL: " + ex;
				}
				if (outcome.startsWith("FAIL")) {
					failures++;
				}
				System.out.println(names[i] + ": " + outcome + " (" + (hostile.bodyBytesSent() - sentBefore)
						+ " bytes sent, " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms)");
			}
		}
		System.exit((failures == 0) ? 0 : 1);
	}

}
