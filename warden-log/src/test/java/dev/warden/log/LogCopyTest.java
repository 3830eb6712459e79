package dev.warden.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** A log moved to another store is the same log, and a damaged stored log is caught. */
class LogCopyTest {

    private static final NoteKey.Signer KEY = TreePropertiesTest.KEY;

    /** A store holding a log of {@code size} entries, written by the log itself. */
    private static MemoryLogStore written(int size) {
        MemoryLogStore store = new MemoryLogStore();
        // closing the log closes the store, which for a memory store releases nothing
        try (TransparencyLog log =
                new TransparencyLog(store, KEY, TransparencyLog.Settings.of("example.com/log"))) {
            TreePropertiesTest.fill(log, TreePropertiesTest.entries(size, size), new Random(size));
        }
        return store;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 256, 257, 65_536 + 300})
    void aCopiedLogHasTheSameCheckpointEntriesAndTilesAndPassesTheCheck(int size) {
        MemoryLogStore from = written(size);
        MemoryLogStore to = new MemoryLogStore();

        LogCopy.Counts copied = LogCopy.copy(from, to);

        assertThat(copied.entries()).isEqualTo(size);
        assertThat(to.checkpoint()).isEqualTo(from.checkpoint());
        assertThat(LogCopy.verify(to)).isEqualTo(copied);
        if (size > 0) {
            assertThat(to.entries(0, size)).containsExactlyElementsOf(from.entries(0, size));
            assertThat(to.indexOf(Merkle.leafHash(from.entries(size - 1, size).get(0))))
                    .hasValue(size - 1);
        }
    }

    @Test
    void theCopiedLogGoesOnFromWhereTheSourceStopped() {
        MemoryLogStore to = new MemoryLogStore();
        LogCopy.copy(written(300), to);

        try (TransparencyLog log =
                new TransparencyLog(to, KEY, TransparencyLog.Settings.of("example.com/log"))) {
            long index = log.append("after the move".getBytes(StandardCharsets.UTF_8)).join();

            assertThat(index).isEqualTo(300);
            assertThat(LogCopy.verify(to).entries()).isEqualTo(301);
        }
    }

    @Test
    void aLogNeverStartedCopiesNothing() {
        MemoryLogStore to = new MemoryLogStore();

        assertThat(LogCopy.copy(new MemoryLogStore(), to)).isEqualTo(new LogCopy.Counts(0, 0));
        assertThat(to.checkpoint()).isNull();
    }

    @Test
    void aTargetThatAlreadyHoldsALogIsRefused() {
        MemoryLogStore to = written(3);

        assertThatThrownBy(() -> LogCopy.copy(written(5), to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the target already holds this log");
        assertThat(LogCopy.verify(to).entries()).isEqualTo(3);
    }

    @Test
    void aTileThatDoesNotGiveTheCheckpointsRootFailsTheCheck() {
        MemoryLogStore store = written(600);
        byte[] tile = store.tile(1, 0).clone();
        tile[0] ^= 1;
        store.integrate(
                600,
                List.of(),
                List.of(),
                java.util.Map.of(new LogStore.TileKey(1, 0), tile),
                store.checkpoint());

        assertThatThrownBy(() -> LogCopy.verify(store))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the tiles give root ")
                .hasMessageContaining(", the checkpoint of size 600 says ");
    }

    @Test
    void anEntryThatIsNotTheOneItsLeafHashNamesFailsTheCheck() {
        MemoryLogStore store = written(10);
        byte[] tile = store.tile(0, 0).clone();
        tile[5 * Merkle.HASH_SIZE] ^= 1;
        store.integrate(
                10,
                List.of(),
                List.of(),
                java.util.Map.of(new LogStore.TileKey(0, 0), tile),
                store.checkpoint());

        assertThatThrownBy(() -> LogCopy.verify(store))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("entry 5 does not match its leaf hash in tile 0");
    }

    @Test
    void aSourceMissingATileIsNotCopied() {
        MemoryLogStore from = written(256);
        from.integrate(
                256,
                List.of(),
                List.of(),
                java.util.Map.of(new LogStore.TileKey(1, 0), new byte[0]),
                from.checkpoint());
        MemoryLogStore to = new MemoryLogStore();

        assertThatThrownBy(() -> LogCopy.copy(from, to))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("log tile tile/1/000.p/1 is missing");
        assertThat(to.checkpoint()).isNull();
    }
}
