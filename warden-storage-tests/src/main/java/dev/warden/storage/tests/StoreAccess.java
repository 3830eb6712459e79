package dev.warden.storage.tests;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * What the contract's test interfaces need of the class that runs them: the store under test, new
 * and empty for each test.
 */
public interface StoreAccess {

    MetadataStore store();

    default <T> T read(Function<ReadTx, T> work) {
        return store().read(work);
    }

    // reads with their types fixed, so that AssertJ's overloads are not ambiguous

    default <T> Optional<T> readOptional(Function<ReadTx, Optional<T>> work) {
        return store().read(work);
    }

    default <T> List<T> readList(Function<ReadTx, List<T>> work) {
        return store().read(work);
    }

    default <K, V> Map<K, V> readMap(Function<ReadTx, Map<K, V>> work) {
        return store().read(work);
    }

    default boolean readFlag(Predicate<ReadTx> work) {
        return store().read(work::test);
    }

    default int readInt(ToIntFunction<ReadTx> work) {
        return store().read(work::applyAsInt);
    }

    default long readLong(ToLongFunction<ReadTx> work) {
        return store().read(work::applyAsLong);
    }

    /** A write for its effect alone. */
    default void write(Consumer<WriteTx> work) {
        store().write(
                        tx -> {
                            work.accept(tx);
                            return null;
                        });
    }
}
