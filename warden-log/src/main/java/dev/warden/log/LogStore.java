package dev.warden.log;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a log keeps its entries, tiles and checkpoint. One writer (the log's sequencer) calls
 * {@link #integrate}; readers may call the rest from any thread. Each implementation is its own
 * module: the embedded one is {@code warden-log-sqlite}; an object-storage one would keep tiles and
 * bundles as objects and the sequencing state in a database.
 */
public interface LogStore extends AutoCloseable {

    /** A tile's address: its level and index. */
    record TileKey(int level, long index) {}

    /**
     * The checkpoint note of the last integration (with whatever cosignatures were added), or null
     * for a new log.
     */
    String checkpoint();

    /**
     * Atomically and durably: appends {@code entries} (with their leaf hashes) at index {@code
     * firstIndex}, replaces the given tiles and sets the checkpoint. Nothing is visible, and
     * nothing survives a crash, unless all of it is.
     */
    void integrate(
            long firstIndex,
            List<byte[]> entries,
            List<byte[]> leafHashes,
            Map<TileKey, byte[]> tiles,
            String checkpoint);

    /**
     * Replaces the stored checkpoint note of size {@code size} (to add cosignatures); false when
     * the log has moved on.
     */
    boolean updateCheckpoint(long size, String checkpoint);

    /** The stored hashes of a tile (up to 256 x 32 bytes), or null. */
    byte[] tile(int level, long index);

    /** Entries {@code [from, to)}, all of which must exist. */
    List<byte[]> entries(long from, long to);

    /** The index of the entry with this leaf hash. */
    OptionalLong indexOf(byte[] leafHash);

    @Override
    void close();
}
