package dev.warden.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The writing side of a log: the embedded {@link Sequencer} (one process, an in-memory queue) or
 * the {@link SharedSequencer} (nodes sharing a {@link SharedLogStore}).
 */
interface LogWriter {

    void start();

    TransparencyLog.Snapshot snapshot();

    void onCheckpoint(Runnable listener);

    /** Queues an entry; the future completes with its index once it is durably integrated. */
    CompletableFuture<Long> append(byte[] entry);

    /** Appends and waits for the index. */
    default long appendAndWait(byte[] entry) {
        try {
            return append(entry).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the log did not take the entry within 60 seconds", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the log", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
        }
    }

    /** Whether this node runs the log's sequencer now (always, for the embedded one). */
    default boolean leads() {
        return true;
    }

    boolean addCosignature(long size, Note.Signature cosignature);

    void close();
}
