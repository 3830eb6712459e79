package dev.warden.log.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.log.Checkpoint;
import dev.warden.log.Cosignature;
import dev.warden.log.Merkle;
import dev.warden.log.NaiveTree;
import dev.warden.log.Note;
import dev.warden.log.NoteKey;
import dev.warden.log.TilePath;
import dev.warden.log.TransparencyLog;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Several nodes of one log on one PostgreSQL database: appends from all of them, one sequencer at a
 * time, followers that read what the sequencer wrote, and the sequencer's death while appends flow.
 * Each node is its own pool and lease connection, as separate processes would have.
 */
class SharedLogNodesTest {

    private static final Logger LOG = LoggerFactory.getLogger(SharedLogNodesTest.class);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits (up to 30 s) for a condition the nodes reach asynchronously. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not reached within 30 s: " + what);
    }

    private static void awaitSize(List<Nodes.Node> nodes, long size) throws InterruptedException {
        for (Nodes.Node n : nodes) {
            await("node " + n.name + " at size " + size, () -> n.log.snapshot().size() >= size);
        }
    }

    /** The (size, root) of every checkpoint a sampler saw, by size. */
    private static final class Seen {
        final Map<Long, byte[]> roots = new TreeMap<>();

        synchronized void add(TransparencyLog.Snapshot s) {
            byte[] old = roots.putIfAbsent(s.size(), s.root());
            if (old != null) {
                assertThat(old).as("two roots for size %d", s.size()).isEqualTo(s.root());
            }
        }

        /** Every consecutive pair of sizes seen has a consistency proof that verifies. */
        synchronized void checkConsistency(TransparencyLog log, List<byte[]> entries) {
            long prevSize = -1;
            byte[] prevRoot = null;
            for (Map.Entry<Long, byte[]> e : roots.entrySet()) {
                long size = e.getKey();
                assertThat(e.getValue())
                        .as("root at size %d recomputed from the entries", size)
                        .isEqualTo(NaiveTree.mth(entries.subList(0, (int) size)));
                if (prevSize > 0) {
                    assertThat(
                                    Merkle.verifyConsistency(
                                            prevSize,
                                            size,
                                            prevRoot,
                                            e.getValue(),
                                            log.consistencyProof(prevSize, size)))
                            .as("consistency from %d to %d", prevSize, size)
                            .isTrue();
                }
                prevSize = size;
                prevRoot = e.getValue();
            }
        }
    }

    /** Samples every node's snapshot until stopped. */
    private static Thread sampler(List<Nodes.Node> nodes, Seen seen, AtomicBoolean stop) {
        return Thread.ofPlatform()
                .start(
                        () -> {
                            while (!stop.get()) {
                                for (Nodes.Node n : nodes) {
                                    seen.add(n.log.snapshot());
                                }
                                try {
                                    Thread.sleep(5);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
    }

    @Test
    void appendsFromEveryNodeAreIntegratedOnceAndEveryNodeReadsTheSameLog() throws Exception {
        String db = Nodes.database();
        try (Nodes.Node a = new Nodes.Node(db, "a", "registry");
                Nodes.Node b = new Nodes.Node(db, "b", "registry");
                Nodes.Node c = new Nodes.Node(db, "c", "registry")) {
            List<Nodes.Node> nodes = List.of(a, b, c);
            Seen seen = new Seen();
            AtomicBoolean stop = new AtomicBoolean();
            Thread sampling = sampler(nodes, seen, stop);
            Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger reused = new AtomicInteger();
            List<Thread> appenders = new ArrayList<>();
            int perThread = 400;
            for (Nodes.Node n : nodes) {
                for (int t = 0; t < 2; t++) {
                    String prefix = n.name + "/" + t + "/";
                    appenders.add(
                            Thread.ofPlatform()
                                    .start(
                                            () -> {
                                                List<byte[]> mine = new ArrayList<>();
                                                List<CompletableFuture<Long>> done =
                                                        new ArrayList<>();
                                                for (int i = 0; i < perThread; i++) {
                                                    byte[] e = bytes(prefix + i);
                                                    mine.add(e);
                                                    done.add(n.log.append(e));
                                                    // Also the same bytes from every node.
                                                    if (i % 100 == 0) {
                                                        n.log.append(bytes("shared " + i));
                                                    }
                                                }
                                                for (int i = 0; i < perThread; i++) {
                                                    long index = done.get(i).join();
                                                    if (acknowledged.putIfAbsent(index, mine.get(i))
                                                            != null) {
                                                        reused.incrementAndGet();
                                                    }
                                                }
                                            }));
                }
            }
            for (Thread t : appenders) {
                t.join();
            }
            int total = 6 * perThread + 4;
            awaitSize(nodes, total);
            stop.set(true);
            sampling.join();

            assertThat(reused).as("indexes given twice").hasValue(0);
            assertThat(acknowledged).hasSize(6 * perThread);
            assertThat(nodes.stream().filter(n -> n.log.sequencing()).count())
                    .as("nodes running the sequencer")
                    .isEqualTo(1);
            List<byte[]> inLog = b.log.entries(0, total);
            acknowledged.forEach(
                    (index, entry) ->
                            assertThat(inLog.get(index.intValue()))
                                    .as("entry %d", index)
                                    .isEqualTo(entry));
            byte[] root = NaiveTree.mth(inLog);
            for (Nodes.Node n : nodes) {
                assertThat(n.log.snapshot().size()).isEqualTo(total);
                assertThat(n.log.snapshot().root()).as("root on %s", n.name).isEqualTo(root);
                assertThat(n.log.snapshot().checkpoint()).isEqualTo(a.log.snapshot().checkpoint());
            }
            assertThat(seen.roots.size()).as("checkpoints seen").isGreaterThan(1);
            seen.checkConsistency(c.log, inLog);

            // The followers' tiles, bundles and proofs are the sequencer's.
            List<TilePath> paths = new ArrayList<>();
            for (long t = 0; t < total / 256; t++) {
                paths.add(new TilePath(0, t, 256));
                paths.add(new TilePath(TilePath.ENTRIES, t, 256));
            }
            paths.add(new TilePath(0, total / 256, total % 256));
            paths.add(new TilePath(TilePath.ENTRIES, total / 256, total % 256));
            paths.add(new TilePath(1, 0, total / 256));
            for (TilePath p : paths) {
                byte[] expected = a.log.read(p);
                assertThat(expected).as(p.path()).isNotNull();
                assertThat(b.log.read(p)).as(p.path()).isEqualTo(expected);
                assertThat(c.log.read(p)).as(p.path()).isEqualTo(expected);
            }
            for (long index : List.of(0L, 255L, 256L, (long) total - 1)) {
                List<byte[]> proof = a.log.inclusionProof(index, total);
                assertThat(b.log.inclusionProof(index, total)).containsExactlyElementsOf(proof);
                assertThat(
                                Merkle.verifyInclusion(
                                        index,
                                        total,
                                        Merkle.leafHash(inLog.get((int) index)),
                                        c.log.inclusionProof(index, total),
                                        root))
                        .isTrue();
            }
        }
    }

    @Test
    void theSequencersDeathMovesItToAnotherNodeAndLosesNothingAcknowledged() throws Exception {
        String db = Nodes.database();
        List<Nodes.Node> nodes =
                List.of(
                        new Nodes.Node(db, "a", "registry"),
                        new Nodes.Node(db, "b", "registry"),
                        new Nodes.Node(db, "c", "registry"));
        try {
            Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger reused = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Map<String, Throwable> survivorFailures = new ConcurrentHashMap<>();
            Nodes.Node[] killed = new Nodes.Node[1];
            List<Thread> appenders = new ArrayList<>();
            for (Nodes.Node n : nodes) {
                for (int t = 0; t < 2; t++) {
                    String prefix = n.name + "/" + t + "/";
                    appenders.add(
                            Thread.ofPlatform()
                                    .start(
                                            () -> {
                                                for (int i = 0; !stop.get(); i++) {
                                                    byte[] e = bytes(prefix + i);
                                                    long index;
                                                    try {
                                                        index = n.log.appendAndWait(e);
                                                    } catch (RuntimeException failed) {
                                                        if (n != killed[0]) {
                                                            survivorFailures.put(prefix, failed);
                                                        }
                                                        return;
                                                    }
                                                    if (acknowledged.putIfAbsent(index, e)
                                                            != null) {
                                                        reused.incrementAndGet();
                                                    }
                                                }
                                            }));
                }
            }
            await("300 appends acknowledged", () -> acknowledged.size() >= 300);
            Nodes.Node leader =
                    nodes.stream().filter(n -> n.log.sequencing()).findFirst().orElseThrow();
            TransparencyLog.Snapshot before = leader.log.snapshot();
            killed[0] = leader;
            List<Nodes.Node> survivors = nodes.stream().filter(n -> n != leader).toList();

            long t0 = System.nanoTime();
            leader.kill(db);
            long probe = survivors.get(0).log.appendAndWait(bytes("probe after the kill"));
            long failover = System.nanoTime() - t0;
            Nodes.Node next =
                    survivors.stream().filter(n -> n.log.sequencing()).findFirst().orElseThrow();
            LOG.info(
                    "sequencer fail-over: node {} killed at size {}; node {} took over and"
                            + " acknowledged a new append (index {}) {} ms after the kill",
                    leader.name,
                    before.size(),
                    next.name,
                    probe,
                    failover / 1_000_000);
            leader.log.close();
            int afterKill = acknowledged.size();
            await("300 more appends", () -> acknowledged.size() >= afterKill + 300);
            stop.set(true);
            for (Thread t : appenders) {
                t.join();
            }
            assertThat(survivorFailures).as("appends failed on surviving nodes").isEmpty();
            assertThat(reused).as("indexes given twice").hasValue(0);

            long last =
                    acknowledged.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            awaitSize(survivors, Math.max(last, probe) + 1);
            Nodes.Node reader = survivors.get(1);
            long size = reader.log.snapshot().size();
            List<byte[]> inLog = reader.log.entries(0, size);
            acknowledged.forEach(
                    (index, entry) ->
                            assertThat(inLog.get(index.intValue()))
                                    .as("acknowledged entry %d", index)
                                    .isEqualTo(entry));
            assertThat(reader.log.snapshot().root()).isEqualTo(NaiveTree.mth(inLog));
            assertThat(
                            Merkle.verifyConsistency(
                                    before.size(),
                                    size,
                                    before.root(),
                                    reader.log.snapshot().root(),
                                    reader.log.consistencyProof(before.size(), size)))
                    .as("the tree after the fail-over extends the one before")
                    .isTrue();
            assertThat(
                            Checkpoint.parse(Note.parse(next.log.snapshot().checkpoint()).text())
                                    .origin())
                    .isEqualTo(Nodes.ORIGIN);
        } finally {
            for (Nodes.Node n : nodes) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing node {}", n.name, e);
                }
            }
        }
    }

    @Test
    void aFollowerAddsCosignaturesThatEveryNodeServes() throws Exception {
        String db = Nodes.database();
        try (Nodes.Node a = new Nodes.Node(db, "a", "ct");
                Nodes.Node b = new Nodes.Node(db, "b", "ct")) {
            List<Nodes.Node> nodes = List.of(a, b);
            b.log.appendAndWait(bytes("one"));
            awaitSize(nodes, 1);
            Nodes.Node leader = a.log.sequencing() ? a : b;
            Nodes.Node follower = leader == a ? b : a;
            String body = Note.parse(leader.log.snapshot().checkpoint()).text();
            NoteKey.Signer w1 = NoteKey.generate("witness1.example", NoteKey.COSIGNATURE_V1);
            NoteKey.Signer w2 = NoteKey.generate("witness2.example", NoteKey.COSIGNATURE_V1);

            assertThat(follower.log.addCosignature(1, Cosignature.sign(w1, body, 1_767_139_200L)))
                    .isTrue();
            assertThat(leader.log.addCosignature(1, Cosignature.sign(w2, body, 1_767_139_201L)))
                    .isTrue();
            assertThat(follower.log.addCosignature(0, Cosignature.sign(w1, body, 1_767_139_202L)))
                    .as("a cosignature of an older size")
                    .isFalse();
            for (Nodes.Node n : nodes) {
                await(
                        "both cosignatures on node " + n.name,
                        () -> Note.parse(n.log.snapshot().checkpoint()).signatures().size() == 3);
                Note note = Note.parse(n.log.snapshot().checkpoint());
                assertThat(note.verify(List.of(Nodes.KEY.verifier()))).hasSize(1);
                assertThat(
                                note.signatures().stream()
                                        .filter(
                                                sig ->
                                                        Cosignature.verify(w1.verifier(), body, sig)
                                                                        >= 0
                                                                || Cosignature.verify(
                                                                                w2.verifier(),
                                                                                body,
                                                                                sig)
                                                                        >= 0)
                                        .count())
                        .as("cosignatures served by %s", n.name)
                        .isEqualTo(2);
            }
        }
    }

    /**
     * With no appends flowing, the followers notice the lease is free at their next retry (about a
     * second); the time to the first acknowledged append after the kill is logged.
     */
    @Test
    void anIdleSequencersDeathIsTakenOverAtTheNextLeaseRetry() throws Exception {
        String db = Nodes.database();
        List<Nodes.Node> nodes =
                List.of(new Nodes.Node(db, "a", "rekor"), new Nodes.Node(db, "b", "rekor"));
        try {
            long first = nodes.get(0).log.appendAndWait(bytes("before"));
            awaitSize(nodes, first + 1);
            Nodes.Node leader =
                    nodes.stream().filter(n -> n.log.sequencing()).findFirst().orElseThrow();
            Nodes.Node other = leader == nodes.get(0) ? nodes.get(1) : nodes.get(0);
            Thread.sleep(1500); // both idle, waiting on LISTEN
            long t0 = System.nanoTime();
            leader.kill(db);
            long index = other.log.appendAndWait(bytes("after"));
            LOG.info(
                    "idle sequencer fail-over: node {} killed; node {} acknowledged an append {}"
                            + " ms later",
                    leader.name,
                    other.name,
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(index).isEqualTo(first + 1);
            assertThat(other.log.sequencing()).isTrue();
            assertThat(other.log.entries(0, 2)).containsExactly(bytes("before"), bytes("after"));
        } finally {
            for (Nodes.Node n : nodes) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing node {}", n.name, e);
                }
            }
        }
    }
}
