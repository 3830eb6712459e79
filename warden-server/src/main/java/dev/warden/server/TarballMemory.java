package dev.warden.server;

import dev.warden.registry.Registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream tarballs served before, for the I/O thread. An ingest can take long, and a
 * quarantine placed meanwhile forgets the memory before the ingest's answer comes back: that answer
 * is remembered only if nothing was forgotten since it was asked (a generation), else the
 * quarantined tarball would be served from memory for good.
 */
final class TarballMemory {

    /** Beyond this many remembered tarballs the memory starts again (each entry is small). */
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Registry.TarballRef> served = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** Read before asking the proxy; handed back to {@link #remember}. */
    long generation() {
        return generation.get();
    }

    void remember(long asked, String key, Registry.TarballRef ref) {
        if (served.size() >= MAX_REMEMBERED) {
            served.clear();
        }
        served.put(key, ref);
        if (generation.get() != asked) {
            served.remove(key); // forgotten meanwhile (checked after the put: no window between)
        }
    }

    Registry.TarballRef get(String key) {
        return served.get(key);
    }

    void forgetAll() {
        generation.incrementAndGet();
        served.clear();
    }

    void forget(String name) {
        generation.incrementAndGet();
        served.keySet().removeIf(k -> k.startsWith(name + "@"));
    }
}
