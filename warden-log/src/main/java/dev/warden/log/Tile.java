package dev.warden.log;

/**
 * The hashes of one tile with every interior level computed: level {@code k} holds the {@code width
 * >> k} complete nodes of height {@code k} above the tile's own hashes, so any perfect subtree
 * inside the tile is one lookup.
 */
final class Tile {

    private final byte[][] levels = new byte[TilePath.HEIGHT + 1][];

    Tile(byte[] hashes) {
        if (hashes.length % Merkle.HASH_SIZE != 0
                || hashes.length > TilePath.WIDTH * Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("a tile holds up to 256 hashes");
        }
        levels[0] = hashes;
        for (int k = 1; k <= TilePath.HEIGHT; k++) {
            byte[] below = levels[k - 1];
            int n = below.length / Merkle.HASH_SIZE / 2;
            byte[] here = new byte[n * Merkle.HASH_SIZE];
            byte[] l = new byte[Merkle.HASH_SIZE];
            byte[] r = new byte[Merkle.HASH_SIZE];
            for (int i = 0; i < n; i++) {
                System.arraycopy(below, 2 * i * Merkle.HASH_SIZE, l, 0, Merkle.HASH_SIZE);
                System.arraycopy(below, (2 * i + 1) * Merkle.HASH_SIZE, r, 0, Merkle.HASH_SIZE);
                System.arraycopy(
                        Merkle.nodeHash(l, r), 0, here, i * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
            }
            levels[k] = here;
        }
    }

    int width() {
        return levels[0].length / Merkle.HASH_SIZE;
    }

    byte[] hashes() {
        return levels[0];
    }

    /**
     * The node of height {@code k} at position {@code i} among that height's nodes, or null if
     * incomplete.
     */
    byte[] node(int k, int i) {
        byte[] level = levels[k];
        int from = i * Merkle.HASH_SIZE;
        if (from + Merkle.HASH_SIZE > level.length) {
            return null;
        }
        return java.util.Arrays.copyOfRange(level, from, from + Merkle.HASH_SIZE);
    }

    /** The root of a full tile: the node of height 8 over its 256 hashes. */
    byte[] root() {
        return node(TilePath.HEIGHT, 0);
    }

    int weight() {
        int w = 64;
        for (byte[] l : levels) {
            w += l.length + 16;
        }
        return w;
    }
}
