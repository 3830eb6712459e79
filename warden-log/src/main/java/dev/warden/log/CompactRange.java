package dev.warden.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree: one hash per perfect subtree that the tree of the current size
 * decomposes into, largest first. Appending a leaf and computing the root cost O(log n); a monitor
 * or the log itself keeps one to check that a new tree head extends the old one.
 */
public final class CompactRange {

    private long size;
    private final List<byte[]> hashes;

    public CompactRange() {
        this(0, new ArrayList<>());
    }

    /**
     * A range for {@code size} leaves from its perfect-subtree hashes, largest first (one per set
     * bit of size).
     */
    public CompactRange(long size, List<byte[]> hashes) {
        if (Long.bitCount(size) != hashes.size()) {
            throw new IllegalArgumentException(
                    "a tree of "
                            + size
                            + " leaves has "
                            + Long.bitCount(size)
                            + " edge hashes, not "
                            + hashes.size());
        }
        this.size = size;
        this.hashes = new ArrayList<>(hashes);
    }

    /** The edge of the tree of {@code size} leaves, read from its perfect subtrees. */
    public static CompactRange of(Proofs.NodeReader nodes, long size) {
        List<byte[]> hashes = new ArrayList<>();
        long start = 0;
        for (int bit = 63; bit >= 0; bit--) {
            if ((size & (1L << bit)) != 0) {
                hashes.add(nodes.node(bit, start >> bit));
                start += 1L << bit;
            }
        }
        return new CompactRange(size, hashes);
    }

    public long size() {
        return size;
    }

    public List<byte[]> hashes() {
        return List.copyOf(hashes);
    }

    /** Appends one leaf hash. */
    public void append(byte[] leafHash) {
        byte[] h = leafHash;
        long s = size;
        // Merge equal-sized subtrees from the right, as in binary addition.
        while ((s & 1) == 1) {
            h = Merkle.nodeHash(hashes.remove(hashes.size() - 1), h);
            s >>= 1;
        }
        hashes.add(h);
        size++;
    }

    /** MTH of the whole tree. */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] r = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            r = Merkle.nodeHash(hashes.get(i), r);
        }
        return r;
    }

    public CompactRange copy() {
        return new CompactRange(size, hashes);
    }
}
