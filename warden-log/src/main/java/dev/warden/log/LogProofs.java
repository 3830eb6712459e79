package dev.warden.log;

import java.util.List;

/**
 * RFC 9162 proofs and roots against a snapshot, built by {@link Proofs} from the nodes {@link
 * TileReads} finds.
 */
final class LogProofs {

    private final TileReads tiles;

    LogProofs(TileReads tiles) {
        this.tiles = tiles;
    }

    /**
     * RFC 9162 inclusion proof of entry {@code index} in the tree of {@code size} (at most the
     * current size).
     */
    List<byte[]> inclusionProof(TransparencyLog.Snapshot s, long index, long size) {
        checkSize(s, size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                    "entry " + index + " is not in the tree of size " + size);
        }
        return Proofs.inclusion(tiles.nodes(s, true), index, size);
    }

    /** As {@link #inclusionProof} from memory only, or null when storage would be needed. */
    List<byte[]> inclusionProofCached(TransparencyLog.Snapshot s, long index, long size) {
        if (size > s.size || index < 0 || index >= size) {
            return null;
        }
        try {
            return Proofs.inclusion(tiles.nodes(s, false), index, size);
        } catch (WouldBlock e) {
            return null;
        }
    }

    /** RFC 9162 consistency proof from the tree of {@code size1} to the one of {@code size2}. */
    List<byte[]> consistencyProof(TransparencyLog.Snapshot s, long size1, long size2) {
        checkSize(s, size2);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException(
                    "cannot prove size " + size1 + " against size " + size2);
        }
        return Proofs.consistency(tiles.nodes(s, true), size1, size2);
    }

    /** As {@link #consistencyProof} from memory only, or null when storage would be needed. */
    List<byte[]> consistencyProofCached(TransparencyLog.Snapshot s, long size1, long size2) {
        if (size2 > s.size || size1 < 0 || size1 > size2) {
            return null;
        }
        try {
            return Proofs.consistency(tiles.nodes(s, false), size1, size2);
        } catch (WouldBlock e) {
            return null;
        }
    }

    /** The root hash of the tree of {@code size} leaves (at most the current size). */
    byte[] rootAt(TransparencyLog.Snapshot s, long size) {
        checkSize(s, size);
        return Proofs.root(tiles.nodes(s, true), size);
    }

    private static void checkSize(TransparencyLog.Snapshot s, long size) {
        if (size < 0 || size > s.size) {
            throw new IllegalArgumentException("the log has " + s.size + " entries, not " + size);
        }
    }
}
