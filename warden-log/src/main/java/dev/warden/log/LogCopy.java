package dev.warden.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves a log from one store to another ({@code warden storage copy}) and checks a stored log: its
 * entries, tiles and checkpoint as they are, through {@link LogStore} only, so any two drivers
 * work. The checkpoint note is copied as signed; nothing is re-signed.
 */
public final class LogCopy {

    /** What a copy or a check saw: the entries and the tiles of the checkpoint's tree. */
    public record Counts(long entries, int tiles) {}

    private LogCopy() {}

    /**
     * Copies the log of {@code from}'s checkpoint into {@code to}, which must hold no log, in one
     * integration (all of it or nothing). A log never started (no checkpoint) copies nothing.
     */
    public static Counts copy(LogStore from, LogStore to) {
        String note = from.checkpoint();
        if (note == null) {
            return new Counts(0, 0);
        }
        if (to.checkpoint() != null) {
            throw new IllegalStateException("the target already holds this log");
        }
        long size = sizeOf(note);
        List<byte[]> entries = size == 0 ? List.of() : from.entries(0, size);
        List<byte[]> hashes = new ArrayList<>(entries.size());
        for (byte[] entry : entries) {
            hashes.add(Merkle.leafHash(entry));
        }
        Map<LogStore.TileKey, byte[]> tiles = new LinkedHashMap<>();
        for (TilePath path : tilesOf(size)) {
            tiles.put(new LogStore.TileKey(path.level(), path.index()), hashes(from, path));
        }
        to.integrate(0, entries, hashes, tiles, note);
        return new Counts(size, tiles.size());
    }

    /**
     * Checks a stored log: every entry's leaf hash is in its level-0 tile, and the root computed
     * from the tiles is the checkpoint's. Fails naming what differs.
     */
    public static Counts verify(LogStore store) {
        String note = store.checkpoint();
        if (note == null) {
            return new Counts(0, 0);
        }
        Checkpoint head = Checkpoint.parse(Note.parse(note).text());
        long size = head.size();
        if (size == 0) {
            if (!Merkle.same(head.root(), Merkle.emptyRoot())) {
                throw new IllegalStateException("the empty log's checkpoint has a non-empty root");
            }
            return new Counts(0, 0);
        }
        TileNodes nodes = new TileNodes(size, path -> hashes(store, path));
        for (long from = 0; from < size; from += TilePath.WIDTH) {
            long to = Math.min(size, from + TilePath.WIDTH);
            List<byte[]> entries = store.entries(from, to);
            for (int i = 0; i < entries.size(); i++) {
                if (!Merkle.same(Merkle.leafHash(entries.get(i)), nodes.node(0, from + i))) {
                    throw new IllegalStateException(
                            "entry " + (from + i) + " does not match its leaf hash in tile 0");
                }
            }
        }
        byte[] root = Proofs.root(nodes, size);
        if (!Merkle.same(root, head.root())) {
            throw new IllegalStateException(
                    "the tiles give root "
                            + Merkle.hex(root)
                            + ", the checkpoint of size "
                            + size
                            + " says "
                            + Merkle.hex(head.root()));
        }
        return new Counts(size, tilesOf(size).size());
    }

    private static long sizeOf(String note) {
        return Checkpoint.parse(Note.parse(note).text()).size();
    }

    /** Every tile of a tree of {@code size} leaves: the full ones and each level's right edge. */
    static List<TilePath> tilesOf(long size) {
        List<TilePath> out = new ArrayList<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL; level++) {
            long full = TilePath.shift(size, TilePath.HEIGHT * (level + 1));
            int edge = (int) (TilePath.shift(size, TilePath.HEIGHT * level) & 0xff);
            if (full == 0 && edge == 0) {
                break;
            }
            for (long i = 0; i < full; i++) {
                out.add(new TilePath(level, i, TilePath.WIDTH));
            }
            if (edge > 0) {
                out.add(new TilePath(level, full, edge));
            }
        }
        return out;
    }

    private static byte[] hashes(LogStore store, TilePath path) {
        byte[] stored = store.tile(path.level(), path.index());
        int len = path.width() * Merkle.HASH_SIZE;
        if (stored == null || stored.length < len) {
            throw new IllegalStateException("log tile " + path.path() + " is missing");
        }
        return stored.length == len ? stored : Arrays.copyOf(stored, len);
    }
}
