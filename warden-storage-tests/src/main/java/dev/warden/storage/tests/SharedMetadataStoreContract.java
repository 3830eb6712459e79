package dev.warden.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.ChangeFeed.Change;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;
import dev.warden.storage.Upstreams.Quarantine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The contract of a store several nodes share: two stores opened on one database (two nodes)
 * serialize their writers, read consistent snapshots, and announce each committed change of a
 * package or an upstream package to each other, and nothing rolled back.
 */
public abstract class SharedMetadataStoreContract {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private MetadataStore a;
    private MetadataStore b;

    /** Two stores (two nodes) on one new, empty, migrated database. */
    protected abstract List<MetadataStore> openTwoNodes();

    @BeforeEach
    void open() {
        List<MetadataStore> nodes = openTwoNodes();
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static PackageRecord pkg(String name, long rev) {
        return new PackageRecord(name, AT, AT, rev, "public", null);
    }

    private static void run(
            MetadataStore store, java.util.function.Consumer<MetadataStore.WriteTx> w) {
        store.write(
                tx -> {
                    w.accept(tx);
                    return null;
                });
    }

    @Test
    void writersOnTwoNodesNeverLoseAnUpdate() throws Exception {
        run(a, tx -> tx.packages().insert(pkg("counter", 0)));
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (MetadataStore node : List.of(a, b)) {
                done.add(pool.submit(() -> MetadataStoreContract.increment(node, "counter", each)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long onA = a.read(tx -> tx.packages().find("counter")).orElseThrow().rev();
        long onB = b.read(tx -> tx.packages().find("counter")).orElseThrow().rev();
        assertThat(onA).isEqualTo(2L * each);
        assertThat(onB).isEqualTo(2L * each);
    }

    @Test
    void aReaderSeesOneSnapshotWhileAnotherNodeCommits() throws Exception {
        run(
                a,
                tx -> {
                    tx.packages().insert(pkg("p", 1));
                    tx.tags().put("p", "latest", "1.0.0");
                });
        CountDownLatch firstReadDone = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Object>> reader =
                    pool.submit(
                            () ->
                                    a.read(
                                            tx -> {
                                                long rev =
                                                        tx.packages().find("p").orElseThrow().rev();
                                                firstReadDone.countDown();
                                                await(otherCommitted);
                                                Map<String, String> tags = tx.tags().of("p");
                                                long revAgain =
                                                        tx.packages().find("p").orElseThrow().rev();
                                                return List.<Object>of(rev, tags, revAgain);
                                            }));
            await(firstReadDone);
            run(
                    b,
                    tx -> {
                        tx.packages().update(pkg("p", 2));
                        tx.tags().put("p", "latest", "2.0.0");
                    });
            otherCommitted.countDown();
            List<Object> seen = reader.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(seen).containsExactly(1L, Map.of("latest", "1.0.0"), 1L);
        } finally {
            pool.shutdownNow();
        }
        Map<String, String> after = a.read(tx -> tx.tags().of("p"));
        assertThat(after).as("a new read sees the commit").containsEntry("latest", "2.0.0");
    }

    @Test
    void aCommittedChangeIsAnnouncedToTheOtherNodeAndARolledBackOneIsNot() throws Exception {
        BlockingQueue<Change> heard = new LinkedBlockingQueue<>();
        b.changes().subscribe(heard::add);
        try {
            a.write(
                    tx -> {
                        tx.tags().put("rolled-back", "latest", "1.0.0");
                        throw new IllegalStateException("rolled back");
                    });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("rolled back");
        }
        run(a, tx -> tx.tags().put("committed", "latest", "1.0.0"));
        List<Change> got = until(heard, new Change(ChangeFeed.PACKAGE, "committed"));
        assertThat(got)
                .as("notifications arrive in commit order: a rolled-back one would come first")
                .doesNotContain(new Change(ChangeFeed.PACKAGE, "rolled-back"))
                .endsWith(new Change(ChangeFeed.PACKAGE, "committed"));
    }

    @Test
    void eachKindOfPackageChangeIsAnnounced() throws Exception {
        BlockingQueue<Change> heard = new LinkedBlockingQueue<>();
        b.changes().subscribe(heard::add);
        run(a, tx -> tx.packages().insert(pkg("@acme/inserted", 1)));
        until(heard, new Change(ChangeFeed.PACKAGE, "@acme/inserted"));
        run(a, tx -> tx.packages().update(pkg("@acme/inserted", 2).withAccess("restricted")));
        until(heard, new Change(ChangeFeed.PACKAGE, "@acme/inserted"));
        run(a, tx -> tx.versions().setDeprecated("deprecated", "1.0.0", "old"));
        until(heard, new Change(ChangeFeed.PACKAGE, "deprecated"));
        run(a, tx -> tx.versions().setUnpublished("unpublished", "1.0.0", AT));
        until(heard, new Change(ChangeFeed.PACKAGE, "unpublished"));
        run(a, tx -> tx.tags().removeAll("untagged"));
        until(heard, new Change(ChangeFeed.PACKAGE, "untagged"));
        run(a, tx -> tx.packuments().remove("dropped"));
        until(heard, new Change(ChangeFeed.PACKAGE, "dropped"));
    }

    @Test
    void upstreamChangesAreAnnouncedUnderTheirOwnTopic() throws Exception {
        BlockingQueue<Change> heard = new LinkedBlockingQueue<>();
        b.changes().subscribe(heard::add);
        run(a, tx -> tx.upstreams().quarantine(new Quarantine("evil", "*", "r", "admin", AT)));
        List<Change> got = until(heard, new Change(ChangeFeed.UPSTREAM, "evil"));
        assertThat(got).doesNotContain(new Change(ChangeFeed.PACKAGE, "evil"));
        run(a, tx -> tx.upstreams().lift("evil", "*"));
        until(heard, new Change(ChangeFeed.UPSTREAM, "evil"));
    }

    @Test
    void aNodeHearsItsOwnChangesToo() throws Exception {
        BlockingQueue<Change> heard = new LinkedBlockingQueue<>();
        a.changes().subscribe(heard::add);
        run(a, tx -> tx.tags().put("mine", "latest", "1.0.0"));
        until(heard, new Change(ChangeFeed.PACKAGE, "mine"));
    }

    /** The changes heard up to and including {@code expected}; fails after a while without it. */
    private static List<Change> until(BlockingQueue<Change> heard, Change expected)
            throws InterruptedException {
        List<Change> got = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Change c = heard.poll(100, TimeUnit.MILLISECONDS);
            if (c != null) {
                got.add(c);
                if (c.equals(expected)) {
                    return got;
                }
            }
        }
        throw new AssertionError(
                "not announced within " + PATIENCE + ": " + expected + "; heard " + got);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the other side did not get there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
