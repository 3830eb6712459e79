package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** The log's tree heads, tiles and proofs against RFC 9162's definitions computed naively. */
class TreePropertiesTest {

    static final NoteKey.Signer KEY = NoteKey.generate("example.com/log", NoteKey.ED25519);

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        3,
                        Arbitraries.of(
                                0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 511, 512, 513, 1024)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1300)));
    }

    static List<byte[]> entries(int n, long seed) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(("entry " + i + " of " + seed).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Appends in random batches; returns the tree size after each batch. */
    static List<Long> fill(TransparencyLog log, List<byte[]> entries, Random random) {
        List<Long> sizes = new ArrayList<>();
        int i = 0;
        while (i < entries.size()) {
            int batch = 1 + random.nextInt(Math.min(300, entries.size() - i));
            List<CompletableFuture<Long>> done = new ArrayList<>();
            for (int k = 0; k < batch; k++) {
                done.add(log.append(entries.get(i + k)));
            }
            for (int k = 0; k < batch; k++) {
                assertThat(done.get(k).join()).isEqualTo(i + k);
            }
            i += batch;
            sizes.add(log.snapshot().size());
        }
        return sizes;
    }

    @Property(tries = 60)
    void headsAndProofsMatchTheDefinitions(@ForAll("sizes") int size, @ForAll long seed) {
        Random random = new Random(seed);
        List<byte[]> entries = entries(size, seed);
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(),
                        KEY,
                        TransparencyLog.Settings.of("example.com/log"))) {
            List<Long> heads = fill(log, entries, random);
            assertThat(log.snapshot().size()).isEqualTo(size);
            assertThat(log.snapshot().root()).isEqualTo(NaiveTree.mth(entries));
            for (long h : heads) {
                assertThat(log.rootAt(h)).isEqualTo(NaiveTree.mth(entries.subList(0, (int) h)));
            }
            Checkpoint cp = Checkpoint.parse(Note.parse(log.snapshot().checkpoint()).text());
            assertThat(cp.size()).isEqualTo(size);
            assertThat(cp.root()).isEqualTo(NaiveTree.mth(entries));
            for (int t = 0; t < 6 && size > 0; t++) {
                int n = 1 + random.nextInt(size);
                int index = random.nextInt(n);
                List<byte[]> leaves = entries.subList(0, n);
                byte[] root = NaiveTree.mth(leaves);
                List<byte[]> inclusion = log.inclusionProof(index, n);
                assertThat(inclusion).containsExactlyElementsOf(NaiveTree.path(index, leaves));
                byte[] leaf = Merkle.leafHash(entries.get(index));
                assertThat(Merkle.verifyInclusion(index, n, leaf, inclusion, root)).isTrue();
                assertThat(
                                Merkle.verifyInclusion(
                                        index,
                                        n,
                                        Merkle.leafHash("other".getBytes(StandardCharsets.UTF_8)),
                                        inclusion,
                                        root))
                        .isFalse();
                if (n > 1) {
                    assertThat(Merkle.verifyInclusion((index + 1) % n, n, leaf, inclusion, root))
                            .isFalse();
                    assertThat(
                                    Merkle.verifyInclusion(
                                            index, n, leaf, tamper(inclusion, random), root))
                            .isFalse();
                }
                int m = random.nextInt(n + 1);
                byte[] oldRoot = NaiveTree.mth(entries.subList(0, m));
                List<byte[]> consistency = log.consistencyProof(m, n);
                assertThat(consistency).containsExactlyElementsOf(NaiveTree.proof(m, leaves));
                assertThat(Merkle.verifyConsistency(m, n, oldRoot, root, consistency)).isTrue();
                if (m > 0 && m < n) {
                    assertThat(
                                    Merkle.verifyConsistency(
                                            m, n, oldRoot, root, tamper(consistency, random)))
                            .isFalse();
                    assertThat(Merkle.verifyConsistency(m, n, root, oldRoot, consistency))
                            .isFalse();
                    assertThat(
                                    Merkle.verifyConsistency(
                                            m,
                                            n,
                                            oldRoot,
                                            root,
                                            consistency.subList(0, consistency.size() - 1)))
                            .isFalse();
                }
            }
        }
    }

    @Property(tries = 30)
    void tilesHoldTheTreesHashes(@ForAll("sizes") int size, @ForAll long seed) {
        List<byte[]> entries = entries(size, seed);
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(),
                        KEY,
                        TransparencyLog.Settings.of("example.com/log"))) {
            fill(log, entries, new Random(seed));
            for (long t = 0; t * 256 < size; t++) {
                int width = (int) Math.min(256, size - t * 256);
                byte[] tile = log.read(new TilePath(0, t, width));
                assertThat(tile).hasSize(width * 32);
                for (int k = 0; k < width; k++) {
                    assertThat(java.util.Arrays.copyOfRange(tile, k * 32, k * 32 + 32))
                            .isEqualTo(Merkle.leafHash(entries.get((int) t * 256 + k)));
                }
                byte[] bundle = log.read(new TilePath(TilePath.ENTRIES, t, width));
                try {
                    List<byte[]> decoded = Monitor.decodeBundle(bundle, width);
                    for (int k = 0; k < width; k++) {
                        assertThat(decoded.get(k)).isEqualTo(entries.get((int) t * 256 + k));
                    }
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                // A tile wider than the tree, or the next one, does not exist yet.
                if (width < 256) {
                    assertThat(log.read(new TilePath(0, t, width + 1))).isNull();
                    assertThat(log.read(new TilePath(0, t, 256))).isNull();
                }
            }
            assertThat(
                            log.read(
                                    new TilePath(
                                            0,
                                            (size + 255) / 256 + (size % 256 == 0 ? 0 : 1),
                                            256)))
                    .isNull();
            if (size >= 256) {
                int full = size / 256;
                byte[] level1 = log.read(new TilePath(1, 0, full));
                for (int k = 0; k < full; k++) {
                    assertThat(java.util.Arrays.copyOfRange(level1, k * 32, k * 32 + 32))
                            .isEqualTo(NaiveTree.mth(entries.subList(k * 256, k * 256 + 256)));
                }
            }
        }
    }

    static List<byte[]> tamper(List<byte[]> proof, Random random) {
        List<byte[]> out = new ArrayList<>();
        proof.forEach(h -> out.add(h.clone()));
        if (out.isEmpty()) {
            out.add(new byte[32]);
            return out;
        }
        byte[] h = out.get(random.nextInt(out.size()));
        h[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
        return out;
    }
}
