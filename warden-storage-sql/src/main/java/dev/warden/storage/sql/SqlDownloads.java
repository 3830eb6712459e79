package dev.warden.storage.sql;

import dev.warden.storage.Downloads;

import org.jdbi.v3.core.Handle;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** {@link Downloads} over the transaction's handle. */
final class SqlDownloads implements Downloads {

    private final Handle h;

    SqlDownloads(Handle h) {
        this.h = h;
    }

    @Override
    public void add(LocalDate day, Map<String, Long> counts) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            h.createUpdate(
                            "INSERT INTO downloads (name, day, count) VALUES (?, ?, ?) ON CONFLICT"
                                    + " (name, day) DO UPDATE SET count = downloads.count +"
                                    + " excluded.count")
                    .bind(0, e.getKey())
                    .bind(1, day.toString())
                    .bind(2, e.getValue())
                    .execute();
        }
    }

    @Override
    public long since(String name, LocalDate from) {
        return h.createQuery(
                        "SELECT COALESCE(SUM(count), 0) FROM downloads WHERE name = ? AND day >= ?")
                .bind(0, name)
                .bind(1, from.toString())
                .mapTo(Long.class)
                .one();
    }

    @Override
    public List<String> downloadedAtLeast(LocalDate from, long min, int limit) {
        return h.createQuery(
                        "SELECT name FROM downloads WHERE day >= ? GROUP BY name HAVING SUM(count)"
                                + " >= ? ORDER BY SUM(count) DESC, name LIMIT ?")
                .bind(0, from.toString())
                .bind(1, min)
                .bind(2, limit)
                .mapTo(String.class)
                .list();
    }
}
