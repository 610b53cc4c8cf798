package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The double turns on TCP_NODELAY for the JDK server before it creates one; without it
 * every request took ~45 ms (Nagle's algorithm against the client's delayed ACK). No
 * timing is asserted: the atproto-benchmarks module measures both ways ({@code latency}).
 */
class TcpNoDelayTest {

	@Test
	void theJdkServerSwitchIsOnOnceADoubleIsLoaded() {
		try (PdsDouble pds = PdsDouble.builder().start()) {
			assertThat(System.getProperty(PdsDouble.NODELAY_PROPERTY)).isEqualTo("true");
			assertThat(pds.url()).startsWith("http://127.0.0.1:");
		}
	}

}
