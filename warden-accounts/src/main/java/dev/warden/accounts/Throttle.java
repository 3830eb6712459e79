package dev.warden.accounts;

import dev.warden.common.Problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate per key: at most {@code limit} events per key in a sliding window; past that, events are
 * refused (429, with when to try again) until old ones age out. In memory: a restart forgets. Wrong
 * credentials are not counted here but by {@link CredentialGuard}, which backs off instead.
 */
final class Throttle {

    private final int limit;
    private final Duration window;
    private final String refusal;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> events = new ConcurrentHashMap<>();

    /**
     * @param refusal why a refused event is refused, for the person at the client
     */
    Throttle(int limit, Duration window, String refusal, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.refusal = refusal;
        this.clock = clock;
    }

    /**
     * Counts an event for {@code key}, refusing it with 429 when {@code key} has had {@code limit}
     * in the window. Counted at once, so parallel events cannot all pass the check.
     */
    void acquire(String key) {
        Deque<Instant> q = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q);
            if (q.size() >= limit) {
                throw Problem.tooManyRequests(
                        refusal, Duration.between(clock.instant(), q.peekFirst().plus(window)));
            }
            q.addLast(clock.instant());
        }
        if (events.size() > 100_000) {
            evict();
        }
    }

    /** The event acquired last for {@code key} did not happen after all: it does not count. */
    void release(String key) {
        Deque<Instant> q = events.get(key);
        if (q != null) {
            synchronized (q) {
                q.pollLast();
            }
        }
    }

    private void evict() {
        events.entrySet()
                .removeIf(
                        e -> {
                            synchronized (e.getValue()) {
                                prune(e.getValue());
                                return e.getValue().isEmpty();
                            }
                        });
    }

    private void prune(Deque<Instant> q) {
        Instant cutoff = clock.instant().minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(cutoff)) {
            q.removeFirst();
        }
    }
}
