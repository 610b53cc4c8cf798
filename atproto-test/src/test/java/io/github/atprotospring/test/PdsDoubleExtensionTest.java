package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PdsDoubleExtensionTest {

	static final MutableClock CLOCK = MutableClock.at(Instant.parse("2025-06-01T12:00:00Z"));

	@RegisterExtension
	static final PdsDoubleExtension PDS = PdsDoubleExtension.create(b -> b.clock(CLOCK).rateLimits(true));

	@Test
	void startsAConfiguredDouble() {
		assertThat(PDS.url()).isEqualTo(PDS.pds().url()).startsWith("http://127.0.0.1:");
		PDS.pds().createAccount("ext.test", "ext@example.com", "pw");
		Xrpc.Reply reply = new Xrpc(PDS.pds()).login("ext.test", "pw");
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("RateLimit-Limit")).isEqualTo("30");
	}

	@Nested
	class NestedTests {

		@Test
		void seesTheSameDouble() {
			assertThat(PDS.pds()).isNotNull();
			assertThat(new Xrpc(PDS.pds()).get("_health", null).status()).isEqualTo(200);
		}

	}

}
