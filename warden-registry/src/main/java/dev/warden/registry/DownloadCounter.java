package dev.warden.registry;

import dev.warden.storage.MetadataStore;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts tarball downloads in memory (a striped counter per package, so a download costs no I/O)
 * and writes them to the metadata store in batches when {@link #flush} runs.
 */
public final class DownloadCounter {

    private final MetadataStore store;
    private final Clock clock;
    private final ConcurrentHashMap<String, LongAdder> pending = new ConcurrentHashMap<>();

    DownloadCounter(MetadataStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void count(String name) {
        pending.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    long pending(String name) {
        LongAdder a = pending.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Writes the counts gathered since the last flush; returns how many packages had downloads. */
    public int flush() {
        Map<String, Long> batch = new HashMap<>();
        for (Map.Entry<String, LongAdder> e : pending.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                batch.put(e.getKey(), n);
            }
        }
        if (!batch.isEmpty()) {
            LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            store.write(
                    tx -> {
                        tx.downloads().add(day, batch);
                        return null;
                    });
            // Only what was written is taken off: counts made meanwhile, or after a failed write,
            // stay.
            batch.forEach((name, n) -> pending.get(name).add(-n));
        }
        return batch.size();
    }
}
