package dev.warden.log;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A log store that several nodes share. Any node queues entries durably; one node at a time holds
 * the lease and integrates the queue; every node reads tiles, entries and the checkpoint.
 *
 * <p>The lease only decides who tries: correctness rests on {@link #integrate(Lease, long, List,
 * List, Map, String, List)} being a compare-and-set on the stored size, so two nodes that both
 * believe they lead can never give one index twice. {@link LogStore#integrate} on a shared store is
 * the same compare-and-set (without queue rows), used for the empty log's first checkpoint.
 */
public interface SharedLogStore extends LogStore {

    /**
     * A queued entry, oldest first; {@code index} is its index when the log already holds the same
     * bytes (a second append of them), else -1.
     */
    record Queued(byte[] entry, byte[] leafHash, long index) {}

    /**
     * The right to integrate, held until closed or until the store loses it (a dead connection).
     */
    interface Lease extends AutoCloseable {

        /** Whether this node still holds the lease (asks the store). */
        boolean held();

        @Override
        void close();
    }

    /** The stored size is not the one the writer expected: another node integrated meanwhile. */
    final class LeaseLost extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public LeaseLost(String message) {
            super(message);
        }
    }

    /**
     * Durably queues entries, skipping those already queued or in the log (by leaf hash); answers
     * for each its index when the log already holds it, else -1.
     */
    long[] enqueue(List<byte[]> entries, List<byte[]> leafHashes);

    /** Up to {@code max} queued entries, oldest first. */
    List<Queued> pending(int max);

    /** The lease if no other node holds it. */
    Optional<Lease> tryLead();

    /**
     * As {@link LogStore#integrate}, and removes the queue rows of {@code dequeued} (leaf hashes)
     * in the same transaction; with no entries only the queue rows go and the checkpoint stays.
     * Throws {@link LeaseLost} when {@code lease} is no longer held or the stored size is not
     * {@code firstIndex}, and then changes nothing.
     */
    void integrate(
            Lease lease,
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint,
            List<byte[]> dequeued);

    /**
     * Replaces the stored checkpoint note if it is still {@code expected} (a cosignature added by
     * any node); false otherwise.
     */
    boolean replaceCheckpoint(String expected, String replacement);

    /**
     * Waits until the log or its queue may have changed (a hint: callers read the store again), at
     * most {@code timeout}.
     */
    void awaitChange(Duration timeout) throws InterruptedException;
}
