package dev.warden.accounts;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Transients.Transient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A rate per key: at most {@code limit} events per key in a sliding window; past that, events are
 * refused (429, with when to try again) until old ones age out. Each key's events are a {@code
 * Transients} record (their times), so every node counts against one rate and a restart forgets
 * nothing. Wrong credentials are not counted here but by {@link CredentialGuard}, which backs off
 * instead.
 */
final class Throttle {

    private final MetadataStore store;
    private final String kind;
    private final int limit;
    private final Duration window;
    private final String refusal;
    private final Clock clock;

    /**
     * @param kind the records' kind in the store, one per throttle
     * @param refusal why a refused event is refused, for the person at the client
     */
    Throttle(
            MetadataStore store,
            String kind,
            int limit,
            Duration window,
            String refusal,
            Clock clock) {
        this.store = store;
        this.kind = kind;
        this.limit = limit;
        this.window = window;
        this.refusal = refusal;
        this.clock = clock;
    }

    /**
     * Counts an event for {@code key}, refusing it with 429 when {@code key} has had {@code limit}
     * in the window. Counted in the same (serialized) write as the check, so parallel events, on
     * any node, cannot all pass it.
     */
    void acquire(String key) {
        Instant now = clock.instant();
        Optional<Duration> refused =
                store.writeDerived(
                        tx -> {
                            var t = tx.transients();
                            List<Instant> events = recent(t.get(kind, key, now), now);
                            if (events.size() >= limit) {
                                return Optional.of(
                                        Duration.between(now, events.get(0).plus(window)));
                            }
                            events.add(now);
                            t.put(record(key, events));
                            return Optional.<Duration>empty();
                        });
        if (refused.isPresent()) {
            throw Problem.tooManyRequests(refusal, refused.get());
        }
    }

    /** The event acquired last for {@code key} did not happen after all: it does not count. */
    void release(String key) {
        Instant now = clock.instant();
        store.writeDerived(
                tx -> {
                    var t = tx.transients();
                    List<Instant> events = recent(t.get(kind, key, now), now);
                    if (!events.isEmpty()) {
                        events.remove(events.size() - 1);
                        if (events.isEmpty()) {
                            t.delete(kind, key, now);
                        } else {
                            t.put(record(key, events));
                        }
                    }
                    return null;
                });
    }

    /** The events still in the window, oldest first. */
    private List<Instant> recent(Optional<Transient> r, Instant now) {
        Instant cutoff = now.minus(window);
        List<Instant> events = new ArrayList<>();
        r.ifPresent(
                x ->
                        Arrays.stream(x.value().split(" "))
                                .filter(s -> !s.isEmpty())
                                .map(Instant::parse)
                                .filter(at -> at.isAfter(cutoff))
                                .forEach(events::add));
        return events;
    }

    /** The record of {@code events}: kept until the last of them leaves the window. */
    private Transient record(String key, List<Instant> events) {
        List<String> times = events.stream().map(Instant::toString).toList();
        return new Transient(
                kind, key, String.join(" ", times), events.get(events.size() - 1).plus(window));
    }
}
