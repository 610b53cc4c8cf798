package io.github.atprotospring.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rate-limit headers of any value end in a {@link RateLimitExceededException} whose times
 * lie within now .. now + 24 h, and that is what reaches the login budget (which a
 * database keeps across restarts).
 */
class HostileRateLimitHeaderTests extends HostileServerSupport {

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final Duration DAY = Duration.ofHours(24);

	/** Headers and how long after now the client may try again. */
	static Stream<Arguments> headers() {
		Instant now = Instant.parse("2026-11-23T12:00:00Z");
		return Stream.of(
				Arguments.of(Map.of("RateLimit-Reset", String.valueOf(now.getEpochSecond() + 300)),
						Duration.ofMinutes(5)),
				Arguments.of(Map.of("RateLimit-Reset", "32503680000"), DAY),
				Arguments.of(Map.of("RateLimit-Reset", "60"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("RateLimit-Reset", "0"), Duration.ZERO),
				Arguments.of(Map.of("RateLimit-Reset", String.valueOf(now.toEpochMilli() + 120_000)),
						Duration.ofMinutes(2)),
				Arguments.of(Map.of("RateLimit-Reset", String.valueOf(Long.MAX_VALUE)), DAY),
				Arguments.of(Map.of("RateLimit-Reset", "99999999999999999999999999"), DAY),
				Arguments.of(Map.of("RateLimit-Reset", String.valueOf(now.getEpochSecond() - 3600)), Duration.ZERO),
				Arguments.of(Map.of("RateLimit-Reset", "-5"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("RateLimit-Reset", "soon"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("RateLimit-Reset", "1.7e9"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("Retry-After", "120"), Duration.ofMinutes(2)),
				Arguments.of(Map.of("Retry-After", "99999999999999999999"), DAY),
				Arguments.of(Map.of("Retry-After", String.valueOf(Long.MAX_VALUE)), DAY),
				Arguments.of(Map.of("Retry-After", "-1"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), DAY),
				Arguments.of(Map.of("Retry-After",
						DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(90).atOffset(ZoneOffset.UTC))),
						Duration.ofSeconds(90)),
				Arguments.of(Map.of("Retry-After", "Thu, 01 Jan 1970 00:00:00 GMT"), Duration.ZERO),
				Arguments.of(Map.of("Retry-After", "Mon, 99 Foo 2026 99:99:99 GMT"), Duration.ofMinutes(1)),
				Arguments.of(Map.of("RateLimit-Reset", "32503680000", "Retry-After", "30"), DAY),
				Arguments.of(Map.of("RateLimit-Reset", "30", "Retry-After", "99999999999"), DAY),
				Arguments.of(Map.of(), Duration.ofMinutes(1)));
	}

	@ParameterizedTest
	@MethodSource("headers")
	void theTimeToTryAgainLiesWithinADay(Map<String, String> headers, Duration wait) {
		this.hostile.on(CREATE_SESSION, Answer.rateLimited(headers));
		RecordingBudget budget = new RecordingBudget();
		AtprotoClient client = client((builder) -> builder.loginBudget(budget));
		Instant now = this.clock.instant();

		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.retryAt()).isEqualTo(now.plus(wait));
				ex.reset().ifPresent((reset) -> assertThat(reset).isBetween(now, now.plus(DAY)));
				ex.retryAfter().ifPresent((after) -> assertThat(after).isBetween(Duration.ZERO, DAY));
				assertThat(ex.isLocal()).isFalse();
			});
		assertThat(budget.blocked).containsExactly(now.plus(wait));
	}

	@Test
	void countsBeyondAnIntAndNegativeOnesDoNotThrow() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("RateLimit-Limit", "99999999999");
		headers.put("RateLimit-Remaining", "-3");
		headers.put("RateLimit-Policy", "30;w=300");
		this.hostile.on(CREATE_SESSION, Answer.rateLimited(headers));
		AtprotoClient client = client();

		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.limit()).hasValue(Integer.MAX_VALUE);
				assertThat(ex.remaining()).isEmpty();
				assertThat(ex.policy()).contains("30;w=300");
			});
	}

	@Test
	void aRateLimitedCallOutsideTheLoginIsBoundedToo() {
		this.hostile.on("com.atproto.server.getSession",
				Answer.rateLimited(Map.of("RateLimit-Reset", String.valueOf(Long.MAX_VALUE), "Retry-After",
						"Fri, 31 Dec 9999 23:59:59 GMT", "RateLimit-Limit", "-1")));
		AtprotoClient client = client();
		client.importSession(session());

		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(client::getSession)
			.satisfies((ex) -> assertThat(ex.retryAt()).isEqualTo(this.clock.instant().plus(DAY)));
	}

	@Test
	void aDecoderOfTheApplicationCannotMakeTheClientWaitLongerThanADay() {
		this.hostile.on(CREATE_SESSION, Answer.json(429, "{}"));
		RecordingBudget budget = new RecordingBudget();
		Instant year3000 = Instant.parse("3000-01-01T00:00:00Z");
		AtprotoClient client = client((builder) -> builder.loginBudget(budget)
			.errorDecoder((answer) -> new RateLimitExceededException(answer.nsid(), "slow down", null, null, year3000,
					null, Duration.ofDays(365_000), year3000, false)));
		Instant now = this.clock.instant();

		assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> client.login(HANDLE, PASSWORD))
			.satisfies((ex) -> {
				assertThat(ex.retryAt()).isEqualTo(now.plus(DAY));
				assertThat(ex.reset()).contains(now.plus(DAY));
				assertThat(ex.retryAfter()).contains(DAY);
				assertThat(ex.errorMessage()).isEqualTo("slow down");
			});
		assertThat(budget.blocked).containsExactly(now.plus(DAY));
	}

	/** Records what the client tells the budget. */
	static final class RecordingBudget implements LoginBudget {

		final List<Instant> blocked = new ArrayList<>();

		@Override
		public void acquire(String identifier) {
		}

		@Override
		public void blockUntil(String identifier, Instant until) {
			this.blocked.add(until);
		}

	}

}
