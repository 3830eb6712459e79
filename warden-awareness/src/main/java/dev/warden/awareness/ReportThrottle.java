package dev.warden.awareness;

import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore.ReadTx;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many reports may come in. Per account, from the stored reports (a day's worth, so a restart
 * forgets nothing and what one account can store is bounded); per address, a sliding hour in memory
 * (one person's many accounts share an address), counted at once so parallel requests cannot all
 * pass. IPv6 addresses count by their /64, which one machine usually has whole.
 */
final class ReportThrottle {

    private static final Duration HOUR = Duration.ofHours(1);

    private final ReportSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> byAddress = new ConcurrentHashMap<>();

    ReportThrottle(ReportSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Counts a report from {@code address}; 429 past the hourly limit. */
    void fromAddress(InetAddress address) {
        if (address == null) {
            return;
        }
        Instant now = clock.instant();
        Deque<Instant> q = byAddress.computeIfAbsent(key(address), k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && !q.peekFirst().isAfter(now.minus(HOUR))) {
                q.removeFirst();
            }
            if (q.size() >= settings.reportsPerAddressPerHour()) {
                throw Problem.tooManyRequests(
                        "too many reports from this address",
                        Duration.between(now, q.peekFirst().plus(HOUR)));
            }
            q.addLast(now);
        }
        if (byAddress.size() > 100_000) {
            byAddress
                    .values()
                    .removeIf(
                            d -> {
                                synchronized (d) {
                                    return d.isEmpty() || d.peekLast().isBefore(now.minus(HOUR));
                                }
                            });
        }
    }

    /** 429 when {@code user} made the day's reports already; in the report's transaction. */
    void fromAccount(ReadTx tx, String user) {
        Instant now = clock.instant();
        List<Instant> made = tx.malwareReports().madeSince(user, now.minus(ReportSettings.DAY));
        if (made.size() >= settings.reportsPerDay()) {
            throw Problem.tooManyRequests(
                    "this account made "
                            + made.size()
                            + " reports in the last 24 hours, the most it may",
                    Duration.between(now, made.get(0).plus(ReportSettings.DAY)));
        }
    }

    private static String key(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            return java.util.HexFormat.of().formatHex(b, 0, 8) + "/64";
        }
        return address.getHostAddress();
    }
}
