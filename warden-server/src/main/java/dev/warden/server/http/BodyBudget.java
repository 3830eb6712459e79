package dev.warden.server.http;

import dev.warden.common.Problem;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * What request bodies may cost the server, in memory and in time.
 *
 * <p>Memory: a body up to {@link #FREE} bytes is read freely (the route's own limit bounds it). A
 * larger one, as declared or as it grows while decoded, reserves its bytes from a budget shared by
 * all requests until its request ends: when the budget is taken, the server pushes back with 503
 * and Retry-After instead of running out of heap. A body larger than the whole budget takes all of
 * it and runs alone. One address, and one account, may hold at most a quarter of the budget at once
 * across its bodies in flight (429 with Retry-After past that), except that its one body in flight
 * may be as large as its route allows: so many slow bodies from one client cannot take the budget
 * from everyone else, while one honest large publish still fits. Each large body also spends one of
 * its address's and its account's allowance per minute (a token bucket, 429 when empty).
 *
 * <p>Time: every body must keep arriving at a minimum rate after a grace period ({@link #paced});
 * one that drips slower is cut off with 408 and its share given back, so that a reservation cannot
 * be held by a client that sends nothing. A body that stops altogether is ended by the connector's
 * idle timeout. In memory: a restart forgets the buckets.
 */
public final class BodyBudget {

    /** Bodies up to this size cost nothing from the budget. */
    static final long FREE = 1 << 20;

    private static final long UNIT = 1024; // one permit: a KiB

    /** The part of the budget one address, or one account, may hold across its bodies in flight. */
    private static final int HOLDER_SHARE = 4;

    /**
     * When a client past its share is asked to come back: its other bodies should be read by then.
     */
    private static final Duration HOLDER_RETRY = Duration.ofSeconds(5);

    private final Semaphore permits;
    private final int total;
    private final int perHolder;
    private final int perMinute;
    private final long minBytesPerSecond;
    private final Duration grace;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** What each address and account holds now; guarded by itself. */
    private final Map<String, Holding> holdings = new HashMap<>();

    /**
     * @param bytes the memory all large bodies in flight may take together
     * @param perMinute how many large bodies one address, and one account, may send a minute
     * @param minBytesPerSecond how fast every body must arrive after {@code grace}; 0: no minimum
     * @param grace how long a body may arrive at any pace before the minimum applies
     */
    public BodyBudget(
            long bytes, int perMinute, long minBytesPerSecond, Duration grace, Clock clock) {
        if (bytes < FREE || perMinute < 1) {
            throw new IllegalArgumentException(
                    "the body budget must be at least 1 MiB and allow at least one large body a"
                            + " minute");
        }
        if (minBytesPerSecond < 0 || grace.isNegative()) {
            throw new IllegalArgumentException(
                    "the minimum body rate and its grace period may not be negative");
        }
        this.total = (int) Math.min(Integer.MAX_VALUE, bytes / UNIT);
        this.perHolder = total / HOLDER_SHARE;
        this.permits = new Semaphore(total);
        this.perMinute = perMinute;
        this.minBytesPerSecond = minBytesPerSecond;
        this.grace = grace;
        this.clock = clock;
    }

    /** An address or an account: who holds a part of the budget, and how a message names it. */
    private record Holder(String key, String who) {}

    private static final class Holding {
        int permits;
        int bodies;
    }

    /** One request's share of the budget: grows with its body, given back when the request ends. */
    final class Share implements AutoCloseable {
        private final String address;
        private final Supplier<String> account;
        private List<Holder> holders = List.of();
        private int held;
        private boolean counted;

        Share(String address, Supplier<String> account) {
            this.address = address;
            this.account = account;
        }

        /**
         * The body has reached {@code bytes}: past {@link #FREE}, reserve them (in whole MiB) or
         * refuse.
         */
        void grow(long bytes) {
            if (bytes <= FREE) {
                return;
            }
            if (!counted) {
                counted = true;
                Holder byAddress = new Holder("address " + address, "this address");
                spend(byAddress);
                String user = account.get();
                if (user == null) {
                    holders = List.of(byAddress);
                } else {
                    Holder byAccount = new Holder("account " + user, "this account");
                    spend(byAccount);
                    holders = List.of(byAddress, byAccount);
                }
            }
            long mib = (bytes + FREE - 1) / FREE;
            int want = (int) Math.min(total, mib * (FREE / UNIT));
            if (want > held) {
                reserve(this, want - held);
                held = want;
            }
        }

        @Override
        public void close() {
            if (held == 0) {
                return;
            }
            synchronized (holdings) {
                for (Holder h : holders) {
                    Holding x = holdings.get(h.key());
                    x.permits -= held;
                    if (--x.bodies == 0) {
                        holdings.remove(h.key());
                    }
                }
            }
            permits.release(held);
            held = 0;
        }
    }

    Share share(String address, Supplier<String> account) {
        return new Share(address, account);
    }

    /**
     * Takes {@code more} permits for {@code share}: refused (429) when one of its holders already
     * has other bodies in flight and would hold more than its part, or (503) when the budget is
     * taken.
     */
    private void reserve(Share share, int more) {
        synchronized (holdings) {
            for (Holder h : share.holders) {
                Holding x = holdings.get(h.key());
                boolean alone = x == null || (x.bodies == 1 && share.held > 0);
                if (!alone && x.permits + more > perHolder) {
                    throw Problem.tooManyRequests(
                            "large request bodies from "
                                    + h.who()
                                    + " already hold "
                                    + size(x.permits)
                                    + " of the server's memory, and one address or account may hold"
                                    + " at most "
                                    + size(perHolder)
                                    + " at once",
                            HOLDER_RETRY);
                }
            }
            if (!permits.tryAcquire(more)) {
                throw new Problem(
                                Problem.Kind.UNAVAILABLE,
                                "the server is busy reading other large request bodies; try again"
                                        + " shortly")
                        .with("retryAfter", "2");
            }
            for (Holder h : share.holders) {
                Holding x = holdings.computeIfAbsent(h.key(), k -> new Holding());
                x.permits += more;
                if (share.held == 0) {
                    x.bodies++;
                }
            }
        }
    }

    private static String size(long permits) {
        return permits % (FREE / UNIT) == 0 ? permits / (FREE / UNIT) + " MiB" : permits + " KiB";
    }

    /**
     * {@code in}, cut off with a 408 when, after the grace period, less has arrived than the
     * minimum rate asks for the time since reading began. Checked as bytes arrive: a body that
     * sends nothing at all is ended by the idle timeout instead.
     */
    InputStream paced(InputStream in) {
        return minBytesPerSecond == 0 ? in : new Paced(in);
    }

    /**
     * The answer to a body that stopped arriving altogether (the connector's idle timeout ended its
     * read).
     */
    static Problem stoppedArriving() {
        return new Problem(Problem.Kind.REQUEST_TIMEOUT, "request body stopped arriving");
    }

    /**
     * Whether {@code e} is the cut-off of a body that arrived too slowly (its connection is not
     * read further).
     */
    static boolean tooSlow(Problem e) {
        return e.kind() == Problem.Kind.REQUEST_TIMEOUT;
    }

    private final class Paced extends FilterInputStream {
        private final Instant start = clock.instant();
        private long count;

        Paced(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                arrived(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                arrived(n);
            }
            return n;
        }

        private void arrived(int n) {
            count += n;
            long late = Duration.between(start, clock.instant()).minus(grace).toMillis();
            if (late > 0 && count < minBytesPerSecond * (late / 1e3)) {
                throw new Problem(
                        Problem.Kind.REQUEST_TIMEOUT,
                        "request body arrives too slowly: after the first "
                                + grace.toSeconds()
                                + " s, at least "
                                + (minBytesPerSecond % UNIT == 0
                                        ? minBytesPerSecond / UNIT + " KiB"
                                        : minBytesPerSecond + " bytes")
                                + " a second must arrive");
            }
        }
    }

    private static final class Bucket {
        double tokens;
        Instant at;

        Bucket(double tokens, Instant at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private void spend(Holder holder) {
        Instant now = clock.instant();
        Bucket b = buckets.computeIfAbsent(holder.key(), k -> new Bucket(perMinute, now));
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
            buckets.values()
                    .removeIf(
                            x -> {
                                synchronized (x) {
                                    refill(x, now);
                                    return x.tokens >= perMinute;
                                }
                            });
        }
        throw new Problem(
                        Problem.Kind.TOO_MANY_REQUESTS,
                        "too many large request bodies from "
                                + holder.who()
                                + " (at most "
                                + perMinute
                                + " a minute); try again in "
                                + wait
                                + " s")
                .with("retryAfter", Long.toString(wait));
    }

    private void refill(Bucket b, Instant now) {
        double minutes = Math.max(0, Duration.between(b.at, now).toMillis()) / 60_000.0;
        b.tokens = Math.min(perMinute, b.tokens + minutes * perMinute);
        b.at = now;
    }
}
