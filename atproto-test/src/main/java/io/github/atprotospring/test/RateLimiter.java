package io.github.atprotospring.test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixed-window rate limiting as the reference PDS applies it to createSession: each key has one
 * counter per window, a window starts at the first hit and lasts its full length, every attempt
 * (also a wrong password, also a refused one) consumes a point, and the answer reports the most
 * constrained window.
 */
final class RateLimiter {

    /** One limit: {@code limit} points per {@code length}. */
    record Window(int limit, Duration length) {
    }

    /** The outcome of one attempt, reporting the tightest window. */
    record Decision(boolean allowed, int limit, int remaining, Instant reset, Duration window, Instant now) {

        /** Headers of the reference PDS; {@code RateLimit-Reset} is absolute Unix seconds. */
        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("RateLimit-Limit", Integer.toString(limit));
            headers.put("RateLimit-Remaining", Integer.toString(remaining));
            headers.put("RateLimit-Reset", Long.toString(reset.getEpochSecond()));
            headers.put("RateLimit-Policy", limit + ";w=" + window.toSeconds());
            if (!allowed) {
                long millis = Math.max(0, Duration.between(now, reset).toMillis());
                headers.put("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
            }
            return headers;
        }
    }

    private static final class Counter {
        Instant start;
        int used;
    }

    private final List<Window> windows;
    private final Map<String, Counter[]> counters = new HashMap<>();

    RateLimiter(List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    synchronized Decision consume(String key, Instant now) {
        Counter[] perWindow = counters.computeIfAbsent(key, k -> new Counter[windows.size()]);
        boolean allowed = true;
        Decision tightest = null;
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            Counter counter = perWindow[i];
            if (counter == null || !now.isBefore(counter.start.plus(window.length()))) {
                counter = new Counter();
                counter.start = now;
                perWindow[i] = counter;
            }
            counter.used++;
            allowed &= counter.used <= window.limit();
            Decision candidate = new Decision(true, window.limit(), Math.max(0, window.limit() - counter.used),
                    counter.start.plus(window.length()), window.length(), now);
            // Lowest remaining wins; on a tie the later reset, because that is what blocks longer.
            if (tightest == null || candidate.remaining() < tightest.remaining()
                    || (candidate.remaining() == tightest.remaining() && candidate.reset().isAfter(tightest.reset()))) {
                tightest = candidate;
            }
        }
        return new Decision(allowed, tightest.limit(), tightest.remaining(), tightest.reset(), tightest.window(), now);
    }
}
