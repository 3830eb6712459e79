package dev.warden.awareness;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "did this registry send the message with this code?". Each address (an IPv6 /64 counts as
 * one) may ask {@link #limit} times per {@link #window}, counted before the code is even read: with
 * 40-bit codes, guessing is then no way to find other people's mails.
 */
public final class MessageVerification {

    /** What the registry can say about a code. */
    public sealed interface Answer {}

    /** This registry sent it: when, to whom (masked), about what. */
    public record Sent(String code, Instant at, String recipient, String subject)
            implements Answer {}

    /** A well-formed code this registry never sent. */
    public record Unknown(String code) implements Answer {}

    /** Input that cannot be a code. */
    public record Malformed() implements Answer {}

    private final MetadataStore store;
    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final ConcurrentHashMap<String, Deque<Instant>> lookups = new ConcurrentHashMap<>();

    public MessageVerification(MetadataStore store, Clock clock, int limit, Duration window) {
        this.store = store;
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /**
     * @throws Problem 429 when {@code from} has asked too often
     */
    public Answer check(String typed, InetAddress from) {
        acquire(Addresses.key(from));
        var code = MessageCodes.parse(typed);
        if (code.isEmpty()) {
            return new Malformed();
        }
        return store.read(tx -> tx.phishingDefence().message(code.get()))
                .<Answer>map(
                        m -> new Sent(m.code(), m.at(), Masking.email(m.recipient()), m.subject()))
                .orElseGet(() -> new Unknown(code.get()));
    }

    private void acquire(String key) {
        Deque<Instant> q = lookups.computeIfAbsent(key, k -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (q) {
            while (!q.isEmpty() && !q.peekFirst().isAfter(now.minus(window))) {
                q.removeFirst();
            }
            if (q.size() >= limit) {
                Duration wait = Duration.between(now, q.peekFirst().plus(window));
                throw Problem.tooManyRequests(
                        "too many message checks from your address: try again in "
                                + Math.max(1, wait.toMinutes())
                                + " minute(s)",
                        wait);
            }
            q.addLast(now);
        }
        if (lookups.size() > 100_000) {
            lookups.values().removeIf(d -> d.isEmpty());
        }
    }
}
