package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@link MetadataStore} contract every driver passes: its transactions, and each view method by
 * method (the interfaces this class runs). A driver's test subclasses it with {@link #newStore};
 * each test gets a new, empty store.
 */
public abstract class MetadataStoreContract
        implements RegistryViewsContract,
                AccountViewsContract,
                GovernanceViewsContract,
                UpstreamsContract {

    private MetadataStore store;

    /** A new store over an empty database of its own, migrated to the current schema. */
    protected abstract MetadataStore newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    public MetadataStore store() {
        return store;
    }

    private static PackageRecord pkg(String name, long rev) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new PackageRecord(name, at, at, rev, "public", null);
    }

    @Test
    void aFailedWriteChangesNothing() {
        assertThatThrownBy(
                        () ->
                                store.write(
                                        tx -> {
                                            tx.packages().insert(pkg("half", 1));
                                            tx.tags().put("half", "latest", "1.0.0");
                                            throw new IllegalStateException("boom");
                                        }))
                .hasMessage("boom");
        Optional<PackageRecord> found = read(tx -> tx.packages().find("half"));
        Map<String, String> tags = read(tx -> tx.tags().of("half"));
        assertThat(found).isEmpty();
        assertThat(tags).isEmpty();
    }

    @Test
    void aWriteAnswersWhatItsWorkReturnedAndADerivedWriteCommitsToo() {
        String answer =
                store.write(
                        tx -> {
                            tx.packages().insert(pkg("p", 1));
                            return "done";
                        });
        long rev =
                store.writeDerived(
                        tx -> {
                            tx.packages().update(pkg("p", 2));
                            return tx.packages().find("p").orElseThrow().rev();
                        });
        Optional<PackageRecord> found = read(tx -> tx.packages().find("p"));
        assertThat(answer).isEqualTo("done");
        assertThat(rev).as("a transaction reads its own writes").isEqualTo(2);
        assertThat(found).contains(pkg("p", 2));
    }

    @Test
    void aFailedDerivedWriteChangesNothing() {
        write(tx -> tx.packages().insert(pkg("p", 1)));
        assertThatThrownBy(
                        () ->
                                store.writeDerived(
                                        tx -> {
                                            tx.packages().update(pkg("p", 2));
                                            throw new IllegalStateException("derived boom");
                                        }))
                .hasMessage("derived boom");
        assertThat(readOptional(tx -> tx.packages().find("p"))).contains(pkg("p", 1));
    }

    @Test
    void aReadOrWriteNestedInAWriteIsPartOfIt() {
        assertThatThrownBy(
                        () ->
                                store.write(
                                        tx -> {
                                            tx.packages().insert(pkg("nested", 1));
                                            // the domain reads and writes through the store while
                                            // a change of its own is open
                                            assertThat(store.read(r -> r.packages().find("nested")))
                                                    .contains(pkg("nested", 1));
                                            store.write(
                                                    w -> {
                                                        w.tags().put("nested", "latest", "1.0.0");
                                                        return null;
                                                    });
                                            throw new IllegalStateException("outer fails");
                                        }))
                .hasMessage("outer fails");
        // the nested write went with the outer one
        assertThat(readMap(tx -> tx.tags().of("nested"))).isEmpty();
        assertThat(readOptional(tx -> tx.packages().find("nested"))).isEmpty();
    }

    @Test
    void aConstraintViolationFailsTheWholeWrite() {
        write(tx -> tx.packages().insert(pkg("taken", 1)));
        assertThatThrownBy(
                        () ->
                                write(
                                        tx -> {
                                            tx.tags().put("taken", "latest", "2.0.0");
                                            tx.packages().insert(pkg("taken", 9));
                                        }))
                .isInstanceOf(RuntimeException.class);
        assertThat(readMap(tx -> tx.tags().of("taken"))).isEmpty();
        assertThat(readOptional(tx -> tx.packages().find("taken"))).contains(pkg("taken", 1));
    }

    /**
     * Read, then write, from several threads at once: writers are serialized, so no increment is
     * lost (the domain relies on it).
     */
    @Test
    void concurrentReadThenWriteLosesNoUpdate() throws Exception {
        write(tx -> tx.packages().insert(pkg("counter", 0)));
        int threads = 2;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> increment(store, "counter", each)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long rev = read(tx -> tx.packages().find("counter")).orElseThrow().rev();
        assertThat(rev).isEqualTo((long) threads * each);
    }

    /** {@code times} read-then-write increments of a package's revision, each its own write. */
    static void increment(MetadataStore store, String name, int times) {
        for (int i = 0; i < times; i++) {
            store.write(
                    tx -> {
                        PackageRecord p = tx.packages().find(name).orElseThrow();
                        tx.packages()
                                .update(
                                        new PackageRecord(
                                                p.name(),
                                                p.created(),
                                                p.modified(),
                                                p.rev() + 1,
                                                p.access(),
                                                p.unpublished()));
                        return null;
                    });
        }
    }
}
