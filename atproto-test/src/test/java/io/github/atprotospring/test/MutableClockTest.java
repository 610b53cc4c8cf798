package io.github.atprotospring.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {

	private static final Instant START = Instant.parse("2025-06-01T12:00:00Z");

	@Test
	void standsStillUntilMoved() {
		MutableClock clock = MutableClock.at(START);
		assertThat(clock.instant()).isEqualTo(START);
		assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
		assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
		clock.advance(Duration.ofHours(2));
		assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofHours(2)));
		clock.advance(Duration.ofMinutes(-30));
		assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(90)));
		clock.set(START);
		assertThat(clock.instant()).isEqualTo(START);
	}

	@Test
	void zonedCopiesShareTheInstant() {
		MutableClock clock = MutableClock.at(START);
		MutableClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
		assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
		assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
		clock.advance(Duration.ofSeconds(10));
		assertThat(paris.instant()).isEqualTo(START.plusSeconds(10));
	}

	@Test
	void startingNowIsCloseToNow() {
		Instant before = Instant.now();
		MutableClock clock = MutableClock.startingNow();
		assertThat(clock.instant()).isBetween(before, Instant.now());
	}

	@Test
	void advancesAtomicallyFromManyThreads() throws InterruptedException {
		MutableClock clock = MutableClock.at(START);
		Thread[] threads = new Thread[8];
		for (int i = 0; i < threads.length; i++) {
			threads[i] = new Thread(() -> {
				for (int j = 0; j < 1000; j++) {
					clock.advance(Duration.ofSeconds(1));
				}
			});
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(clock.instant()).isEqualTo(START.plusSeconds(8000));
	}

}
