package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.MetadataStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Download counts as every driver must keep them: each node flushes its own increments, and
 * increments flushed by several nodes at once are added, none lost. Each driver's tests subclass it
 * with {@link #newDatabase}.
 */
public abstract class DownloadsContract {

    private final List<MetadataStore> opened = new ArrayList<>();

    /**
     * A new, empty database: each call of the supplier opens another store over it, as another node
     * would.
     */
    protected abstract Supplier<MetadataStore> newDatabase();

    private static long since(MetadataStore s, String name, LocalDate from) {
        return s.read(tx -> tx.downloads().since(name, from));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetadataStore::close);
        opened.clear();
    }

    @Test
    void downloadCountsFromTwoNodesAtOnceAreAddedNotOverwritten() throws Exception {
        Supplier<MetadataStore> db = newDatabase();
        MetadataStore[] nodes = {db.get(), db.get()};
        opened.addAll(List.of(nodes));
        LocalDate day = LocalDate.parse("2026-03-01");
        List<Callable<Void>> flushes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            MetadataStore node = nodes[i % 2];
            flushes.add(
                    () ->
                            node.write(
                                    tx -> {
                                        tx.downloads()
                                                .add(day, Map.of("left-pad", 1L, "lodash", 3L));
                                        return null;
                                    }));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Void> f : pool.invokeAll(flushes)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(since(nodes[0], "left-pad", day)).isEqualTo(40);
        assertThat(since(nodes[1], "lodash", day)).isEqualTo(120);
        assertThat(since(nodes[1], "lodash", day.plusDays(1))).isZero();
    }
}
