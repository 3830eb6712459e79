package dev.warden.storage;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Tarball download counts per package and day (UTC). */
public interface Downloads {

    /** Adds counts for one day; called with batches aggregated in memory. */
    void add(LocalDate day, Map<String, Long> counts);

    /** Downloads of {@code name} on {@code from} and later days. */
    long since(String name, LocalDate from);

    /**
     * The packages downloaded at least {@code min} times on {@code from} and later days, most
     * downloaded first, at most {@code limit}.
     */
    List<String> downloadedAtLeast(LocalDate from, long min, int limit);
}
