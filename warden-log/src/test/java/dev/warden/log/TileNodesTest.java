package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A client's view of the tree from the tiles the log serves gives the same proofs as the
 * definitions, reading each tile once.
 */
class TileNodesTest {

    static final NoteKey.Signer KEY = NoteKey.generate("example.com/log", NoteKey.ED25519);

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.oneOf(
                Arbitraries.of(1, 2, 255, 256, 257, 511, 512, 513, 65_537),
                Arbitraries.integers().between(1, 1300));
    }

    @Property(tries = 30)
    void proofsFromServedTilesMatchTheDefinitions(@ForAll("sizes") int size, @ForAll long seed) {
        Random random = new Random(seed);
        List<byte[]> entries = TreePropertiesTest.entries(size, seed);
        try (TransparencyLog log =
                new TransparencyLog(
                        new MemoryLogStore(),
                        KEY,
                        TransparencyLog.Settings.of("example.com/log"))) {
            TreePropertiesTest.fill(log, entries, random);
            Set<TilePath> read = new HashSet<>();
            TileNodes nodes =
                    new TileNodes(
                            size,
                            p -> {
                                assertThat(read.add(p)).as("read once: " + p.path()).isTrue();
                                return log.read(p);
                            });
            for (int t = 0; t < 5; t++) {
                int index = random.nextInt(size);
                assertThat(Proofs.inclusion(nodes, index, size))
                        .containsExactlyElementsOf(NaiveTree.path(index, entries));
                int m = random.nextInt(size + 1);
                assertThat(Proofs.consistency(nodes, m, size))
                        .containsExactlyElementsOf(NaiveTree.proof(m, entries));
            }
            assertThat(Proofs.root(nodes, size)).isEqualTo(NaiveTree.mth(entries));
        }
    }

    @Test
    void aTileOfTheWrongLengthIsRefused() {
        TileNodes nodes = new TileNodes(3, p -> new byte[31]);
        assertThatThrownBy(() -> nodes.node(0, 0))
                .hasMessage("tile/0/000.p/3 has 31 bytes, expected 96");
        assertThatThrownBy(() -> TileNodes.tileOf(0, 3, 3))
                .hasMessage("no tile at level 0 holds index 3 at size 3");
    }
}
