package dev.warden.proxy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Upstreams.UpstreamEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what an uplink did that an operator should know of. Repeated events of one kind about one
 * subject are kept to one a minute, so an uplink that is down (or answers garbage on every request)
 * does not fill the table.
 */
final class UplinkEvents {

    private static final Duration QUIET = Duration.ofMinutes(1);

    private final MetadataStore store;
    private final Clock clock;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    UplinkEvents(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Records the event unless one of the same kind, uplink and name was recorded this minute. */
    void record(String uplink, String kind, String name, String version, String detail) {
        Instant now = clock.instant();
        String key = uplink + "\n" + kind + "\n" + name + "\n" + version;
        Instant before = last.get(key);
        if (before != null && before.plus(QUIET).isAfter(now)) {
            return;
        }
        last.put(key, now);
        store.write(
                tx -> {
                    tx.upstreams()
                            .addEvent(
                                    new UpstreamEvent(0, uplink, kind, name, version, detail, now));
                    return null;
                });
    }
}
