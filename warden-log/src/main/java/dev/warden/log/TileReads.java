package dev.warden.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Reads of the tree's tiles: full tiles from the store through a bounded cache, each with every
 * interior node computed so a proof node is one lookup; the right-edge (partial) tiles from the
 * snapshot in memory.
 */
final class TileReads {

    private final LogStore store;
    private final Cache<LogStore.TileKey, Tile> tiles;

    TileReads(LogStore store, long cacheBytes) {
        this.store = store;
        this.tiles =
                Caffeine.newBuilder()
                        .maximumWeight(cacheBytes)
                        .weigher((LogStore.TileKey k, Tile t) -> t.weight())
                        .build();
    }

    /** Keeps a tile the sequencer has just committed full. */
    void put(LogStore.TileKey key, Tile tile) {
        tiles.put(key, tile);
    }

    /**
     * The hashes of tile {@code path} in snapshot {@code s}, or null when it does not exist (yet).
     */
    byte[] read(TransparencyLog.Snapshot s, TilePath path, boolean mayBlock) {
        int level = path.level();
        if (level > TilePath.MAX_LEVEL) {
            return null;
        }
        long edgeIndex = TilePath.shift(s.size, TilePath.HEIGHT * (level + 1));
        int edgeWidth = (int) (TilePath.shift(s.size, TilePath.HEIGHT * level) & 0xff);
        byte[] hashes;
        if (path.index() < edgeIndex) {
            hashes = fullTile(level, path.index(), mayBlock).hashes();
        } else if (path.index() == edgeIndex && path.partial() && path.width() <= edgeWidth) {
            hashes = s.edge[level];
        } else {
            return null;
        }
        int len = path.width() * Merkle.HASH_SIZE;
        return hashes.length == len ? hashes : java.util.Arrays.copyOf(hashes, len);
    }

    Tile fullTile(int level, long index, boolean mayBlock) {
        LogStore.TileKey key = new LogStore.TileKey(level, index);
        Tile t = tiles.getIfPresent(key);
        if (t != null) {
            return t;
        }
        if (!mayBlock) {
            throw new WouldBlock();
        }
        byte[] stored = store.tile(level, index);
        if (stored == null || stored.length != TilePath.WIDTH * Merkle.HASH_SIZE) {
            throw new IllegalStateException("log tile " + level + "/" + index + " is missing");
        }
        t = new Tile(stored);
        tiles.put(key, t);
        return t;
    }

    /** The nodes of snapshot {@code s}, for {@link Proofs}; remembers its right-edge ranges. */
    Proofs.NodeReader nodes(TransparencyLog.Snapshot s, boolean mayBlock) {
        return new Proofs.NodeReader() {
            @Override
            public byte[] node(int height, long index) {
                int level = height / TilePath.HEIGHT;
                int k = height % TilePath.HEIGHT;
                long pos = index << k;
                long tileIndex = pos >>> 8;
                int inTile = (int) (pos & 0xff) >> k;
                long edgeIndex = TilePath.shift(s.size, TilePath.HEIGHT * (level + 1));
                Tile t =
                        tileIndex < edgeIndex
                                ? fullTile(level, tileIndex, mayBlock)
                                : s.edgeTile(level);
                byte[] h = tileIndex <= edgeIndex ? t.node(k, inTile) : null;
                if (h == null) {
                    throw new IllegalStateException(
                            "node " + height + "/" + index + " is not complete at size " + s.size);
                }
                return h;
            }

            @Override
            public byte[] range(long start, long end) {
                if (end != s.size) {
                    return Proofs.NodeReader.super.range(start, end);
                }
                byte[] h = s.edgeRanges.get(start);
                if (h == null) {
                    h = Proofs.NodeReader.super.range(start, end);
                    s.edgeRanges.put(start, h);
                }
                return h;
            }
        };
    }
}
