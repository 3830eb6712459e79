package dev.warden.log;

import java.util.HashMap;
import java.util.Map;

/**
 * The nodes of the tree of {@code size} leaves as a client of the tlog-tiles API sees it: each node
 * is looked up in the tile that holds it (a full tile left of the right edge, the partial one of
 * that size on it), with the tile's interior nodes computed as {@link TileReads} does. The tiles
 * are not trusted: a proof built from them is checked against a signed checkpoint's root.
 */
public final class TileNodes implements Proofs.NodeReader {

    /** The hashes of one tile (full or partial), however they are fetched. */
    @FunctionalInterface
    public interface Source {
        byte[] hashes(TilePath path);
    }

    private final long size;
    private final Source source;
    private final Map<TilePath, Tile> tiles = new HashMap<>();

    public TileNodes(long size, Source source) {
        if (size < 1) {
            throw new IllegalArgumentException("an empty tree has no nodes");
        }
        this.size = size;
        this.source = source;
    }

    /**
     * The tile of a tree of {@code size} leaves that holds the hash of leaf or node {@code index}
     * at {@code level} (0 for leaves).
     */
    public static TilePath tileOf(int level, long index, long size) {
        long tileIndex = index >>> TilePath.HEIGHT;
        long edgeIndex = TilePath.shift(size, TilePath.HEIGHT * (level + 1));
        int width =
                tileIndex < edgeIndex
                        ? TilePath.WIDTH
                        : (int) (TilePath.shift(size, TilePath.HEIGHT * level) & 0xff);
        if (tileIndex > edgeIndex || (index & 0xff) >= width) {
            throw new IllegalArgumentException(
                    "no tile at level " + level + " holds index " + index + " at size " + size);
        }
        return new TilePath(level, tileIndex, width);
    }

    @Override
    public byte[] node(int height, long index) {
        int level = height / TilePath.HEIGHT;
        int k = height % TilePath.HEIGHT;
        long pos = index << k;
        TilePath path = tileOf(level, pos, size);
        Tile t =
                tiles.computeIfAbsent(
                        path,
                        p -> {
                            byte[] h = source.hashes(p);
                            if (h == null || h.length != p.width() * Merkle.HASH_SIZE) {
                                throw new IllegalStateException(
                                        p.path()
                                                + " has "
                                                + (h == null ? 0 : h.length)
                                                + " bytes, expected "
                                                + p.width() * Merkle.HASH_SIZE);
                            }
                            return new Tile(h);
                        });
        byte[] h = t.node(k, (int) (pos & 0xff) >> k);
        if (h == null) {
            throw new IllegalStateException(
                    "node " + height + "/" + index + " is not complete at size " + size);
        }
        return h;
    }
}
