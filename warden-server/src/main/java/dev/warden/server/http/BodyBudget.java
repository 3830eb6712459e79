package dev.warden.server.http;

import dev.warden.common.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * What large request bodies may cost the server. A body up to {@link #FREE} bytes is read freely
 * (the route's own limit bounds it). A larger one, as declared or as it grows while decoded,
 * reserves its bytes from a budget shared by all requests until its request ends: when the budget
 * is taken, the server pushes back with 503 and Retry-After instead of running out of heap. A body
 * larger than the whole budget takes all of it and runs alone. Each large body also spends one of
 * its address's and its account's allowance per minute (a token bucket, 429 when empty), so one
 * client cannot keep the budget to itself. In memory: a restart forgets the buckets.
 */
public final class BodyBudget {

    /** Bodies up to this size cost nothing from the budget. */
    static final long FREE = 1 << 20;
    private static final long UNIT = 1024; // one permit: a KiB

    private final Semaphore permits;
    private final int total;
    private final int perMinute;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param bytes the memory all large bodies in flight may take together
     * @param perMinute how many large bodies one address, and one account, may send a minute
     */
    public BodyBudget(long bytes, int perMinute, Clock clock) {
        if (bytes < FREE || perMinute < 1) {
            throw new IllegalArgumentException("the body budget must be at least 1 MiB and allow at least one large body a minute");
        }
        this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.permits = new Semaphore(total);
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** One request's share of the budget: grows with its body, given back when the request ends. */
    final class Share implements AutoCloseable {
        private final String address;
        private final java.util.function.Supplier<String> account;
        private int held;
        private boolean counted;

        Share(String address, java.util.function.Supplier<String> account) {
            this.address = address;
            this.account = account;
        }

        /** The body has reached {@code bytes}: past {@link #FREE}, reserve them (in whole MiB) or refuse. */
        void grow(long bytes) {
            if (bytes <= FREE) {
                return;
            }
            if (!counted) {
                counted = true;
                spend("address " + address, "this address");
                String user = account.get();
                if (user != null) {
                    spend("account " + user, "this account");
                }
            }
            long mib = (bytes + FREE - 1) / FREE;
            int want = (int) Math.min(total, mib * (FREE / UNIT));
            if (want > held) {
                if (!permits.tryAcquire(want - held)) {
                    throw new Problem(Problem.Kind.UNAVAILABLE, "the server is busy reading other large request bodies; try again shortly")
                            .with("retryAfter", "2");
                }
                held = want;
            }
        }

        @Override
        public void close() {
            permits.release(held);
            held = 0;
        }
    }

    Share share(String address, java.util.function.Supplier<String> account) {
        return new Share(address, account);
    }

    private static final class Bucket {
        double tokens;
        Instant at;

        Bucket(double tokens, Instant at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private void spend(String key, String who) {
        Instant now = clock.instant();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
        long wait;
        synchronized (b) {
            refill(b, now);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return;
            }
            wait = (long) Math.ceil((1 - b.tokens) * 60.0 / perMinute);
        }
        if (buckets.size() > 100_000) {
            buckets.values().removeIf(x -> {
                synchronized (x) {
                    refill(x, now);
                    return x.tokens >= perMinute;
                }
            });
        }
        throw new Problem(Problem.Kind.TOO_MANY_REQUESTS, "too many large request bodies from " + who + " (at most " + perMinute
                + " a minute); try again in " + wait + " s").with("retryAfter", Long.toString(wait));
    }

    private void refill(Bucket b, Instant now) {
        double minutes = Math.max(0, Duration.between(b.at, now).toMillis()) / 60_000.0;
        b.tokens = Math.min(perMinute, b.tokens + minutes * perMinute);
        b.at = now;
    }
}
