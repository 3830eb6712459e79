package dev.warden.accounts;

import dev.warden.common.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failure counting for brute-force protection: at most {@code limit} failures per key (an account
 * or an address) in a sliding window; past that, attempts are refused until old failures age out.
 * In memory: a restart forgets, which costs an attacker little compared with the window.
 */
final class Throttle {

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    Throttle(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Refuses with 429 when {@code key} has used up its failures. */
    void check(String key) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return;
        }
        synchronized (q) {
            prune(q);
            if (q.size() >= limit) {
                long wait = Duration.between(clock.instant(), q.peekFirst().plus(window)).toSeconds() + 1;
                throw new Problem(Problem.Kind.TOO_MANY_REQUESTS,
                        "too many failed attempts; try again in " + Math.max(1, (wait + 59) / 60) + " minute(s)");
            }
        }
    }

    void fail(String key) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q);
            q.addLast(clock.instant());
        }
    }

    void succeed(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> q) {
        Instant cutoff = clock.instant().minus(window);
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
            q.removeFirst();
        }
    }
}
