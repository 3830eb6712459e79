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

    /**
     * Reserves an attempt for {@code key}: counted as a failure until {@link #succeed} releases
     * it, so that parallel attempts cannot all pass the check before any failure is recorded.
     * Refuses with 429 when {@code key} has used up its attempts.
     */
    void reserve(String key) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q);
            if (q.size() >= limit) {
                long wait = Duration.between(clock.instant(), q.peekFirst().plus(window)).toSeconds() + 1;
                throw new Problem(Problem.Kind.TOO_MANY_REQUESTS,
                        "too many failed attempts; try again in " + Math.max(1, (wait + 59) / 60) + " minute(s)");
            }
            q.addLast(clock.instant());
        }
        if (failures.size() > 100_000) {
            evict();
        }
    }

    /** The reserved attempt succeeded: it does not count. */
    void succeed(String key) {
        Deque<Instant> q = failures.get(key);
        if (q != null) {
            synchronized (q) {
                q.pollLast();
            }
        }
    }

    private void evict() {
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                prune(e.getValue());
                return e.getValue().isEmpty();
            }
        });
    }

    private void prune(Deque<Instant> q) {
        Instant cutoff = clock.instant().minus(window);
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
            q.removeFirst();
        }
    }
}
