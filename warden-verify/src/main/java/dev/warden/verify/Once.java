package dev.warden.verify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A value per key computed once per run, however many packages ask at the same time (a packument
 * shared by versions, a registry's trust material): the first asker computes it, the others wait
 * for its result or its failure.
 */
final class Once<K, V> {

    /** How a value is made. */
    interface Maker<K, V> {
        V make(K key) throws Exception;
    }

    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();
    private final Maker<K, V> maker;

    Once(Maker<K, V> maker) {
        this.maker = maker;
    }

    /** The value, or the exception its making threw (unchecked ones as they are). */
    V get(K key) throws Exception {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> known = values.putIfAbsent(key, mine);
        if (known == null) {
            try {
                mine.complete(maker.make(key));
            } catch (Exception | Error e) {
                mine.completeExceptionally(e);
            }
            known = mine;
        }
        try {
            return known.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }
}
