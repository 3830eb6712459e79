package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What every log store must give the log: restarts, deduplication, and concurrent appends across a
 * level-2 tile. Each store's test module runs it with a factory of its store.
 */
public abstract class LogStoreContract {

    protected static final NoteKey.Signer KEY =
            NoteKey.generate("example.com/log", NoteKey.ED25519);

    /**
     * A store over this test's storage (the same storage each time it is called in one test, as a
     * restart would open it).
     */
    protected abstract LogStore openStore();

    protected TransparencyLog open() {
        return new TransparencyLog(
                openStore(), KEY, TransparencyLog.Settings.of("example.com/log"));
    }

    protected static List<byte[]> entries(int n, long seed) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(("entry " + i + " of " + seed).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aReopenedLogCarriesOnFromItsLastCheckpoint() {
        List<byte[]> entries = entries(700, 7);
        String checkpoint;
        try (TransparencyLog log = open()) {
            assertThat(log.snapshot().size()).isZero();
            for (int i = 0; i < 500; i++) {
                assertThat(log.appendAndWait(entries.get(i))).isEqualTo(i);
            }
            checkpoint = log.snapshot().checkpoint();
        }
        try (TransparencyLog log = open()) {
            assertThat(log.snapshot().checkpoint()).isEqualTo(checkpoint);
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (int i = 500; i < 700; i++) {
                done.add(log.append(entries.get(i)));
            }
            done.forEach(CompletableFuture::join);
            assertThat(log.snapshot().root()).isEqualTo(NaiveTree.mth(entries));
            assertThat(
                            Merkle.verifyConsistency(
                                    500,
                                    700,
                                    Checkpoint.parse(Note.parse(checkpoint).text()).root(),
                                    log.snapshot().root(),
                                    log.consistencyProof(500, 700)))
                    .isTrue();
            // The same bytes again are the same entry.
            assertThat(log.appendAndWait(entries.get(3))).isEqualTo(3);
            assertThat(log.snapshot().size()).isEqualTo(700);
            assertThat(log.indexOf(Merkle.leafHash(entries.get(650)))).hasValue(650);
            assertThat(log.entries(10, 12)).containsExactly(entries.get(10), entries.get(11));
        }
    }

    @Test
    void aLogOpenedWithAnotherKeyOrOriginRefusesToStart() {
        try (TransparencyLog log = open()) {
            log.appendAndWait("one".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(
                        () ->
                                new TransparencyLog(
                                        openStore(),
                                        KEY,
                                        TransparencyLog.Settings.of("example.com/other")))
                .hasMessageContaining("origin");
        assertThatThrownBy(
                        () ->
                                new TransparencyLog(
                                        openStore(),
                                        NoteKey.generate("example.com/log", NoteKey.ED25519),
                                        TransparencyLog.Settings.of("example.com/log")))
                .hasMessageContaining("not signed by this log's key");
    }

    /**
     * Past 65,536 entries the tree has a level-2 tile; concurrent appenders all get distinct
     * indexes.
     */
    @Test
    void concurrentAppendsAcrossALevelTwoTile() throws Exception {
        int n = 65_536 + 300;
        List<byte[]> entries = entries(n, 11);
        try (TransparencyLog log = open()) {
            List<Thread> threads = new ArrayList<>();
            long[] indexes = new long[n];
            for (int t = 0; t < 4; t++) {
                int from = t * n / 4;
                int to = (t + 1) * n / 4;
                threads.add(
                        Thread.ofPlatform()
                                .start(
                                        () -> {
                                            List<CompletableFuture<Long>> done = new ArrayList<>();
                                            for (int i = from; i < to; i++) {
                                                done.add(log.append(entries.get(i)));
                                            }
                                            for (int i = from; i < to; i++) {
                                                indexes[i] = done.get(i - from).join();
                                            }
                                        }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(java.util.Arrays.stream(indexes).distinct().count()).isEqualTo(n);
            List<byte[]> inLogOrder = log.entries(0, n);
            assertThat(log.snapshot().root()).isEqualTo(NaiveTree.mth(inLogOrder));
            assertThat(log.read(new TilePath(2, 0, 1)))
                    .isEqualTo(NaiveTree.mth(inLogOrder.subList(0, 65_536)));
            assertThat(log.read(new TilePath(1, 1, 1)))
                    .isEqualTo(NaiveTree.mth(inLogOrder.subList(65_536, 65_792)));
            long idx = 65_600;
            assertThat(
                            Merkle.verifyInclusion(
                                    idx,
                                    n,
                                    Merkle.leafHash(inLogOrder.get((int) idx)),
                                    log.inclusionProof(idx, n),
                                    log.snapshot().root()))
                    .isTrue();
        }
        try (TransparencyLog log = open()) {
            assertThat(log.snapshot().size()).isEqualTo(n);
        }
    }
}
