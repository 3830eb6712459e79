package dev.warden.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds RFC 9162 inclusion and consistency proofs (sections 2.1.3.1 and 2.1.4.1) from the hashes
 * of perfect subtrees, which the log reads from its tiles.
 */
public final class Proofs {

    /**
     * The hash of the perfect subtree of height {@code height} whose leftmost leaf is {@code index
     * << height}.
     */
    @FunctionalInterface
    public interface NodeReader {
        byte[] node(int height, long index);

        /**
         * MTH(D[start:end]) of a range that is not a perfect subtree; a reader may remember these.
         */
        default byte[] range(long start, long end) {
            return Proofs.split(this, start, end);
        }
    }

    private Proofs() {}

    /** MTH(D[start:end]) for a tree that holds at least {@code end} leaves. */
    public static byte[] subtreeHash(NodeReader nodes, long start, long end) {
        long n = end - start;
        if (n <= 0) {
            throw new IllegalArgumentException("empty range");
        }
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return nodes.node(Long.numberOfTrailingZeros(n), start / n);
        }
        return nodes.range(start, end);
    }

    /** MTH(D[start:end]) from its two halves, split at the largest power of two below its size. */
    static byte[] split(NodeReader nodes, long start, long end) {
        long k = Merkle.split(end - start);
        return Merkle.nodeHash(
                subtreeHash(nodes, start, start + k), subtreeHash(nodes, start + k, end));
    }

    /** The root hash of the tree of {@code size} leaves. */
    public static byte[] root(NodeReader nodes, long size) {
        return size == 0 ? Merkle.emptyRoot() : subtreeHash(nodes, 0, size);
    }

    /** PATH(index, D[0:size]). */
    public static List<byte[]> inclusion(NodeReader nodes, long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                    "index " + index + " is not in a tree of size " + size);
        }
        List<byte[]> path = new ArrayList<>(64);
        path(nodes, index, 0, size, path);
        return path;
    }

    private static void path(NodeReader nodes, long m, long start, long end, List<byte[]> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = Merkle.split(n);
        if (m < k) {
            path(nodes, m, start, start + k, out);
            out.add(subtreeHash(nodes, start + k, end));
        } else {
            path(nodes, m - k, start + k, end, out);
            out.add(subtreeHash(nodes, start, start + k));
        }
    }

    /** PROOF(size1, D[0:size2]); empty when size1 is 0 or equals size2. */
    public static List<byte[]> consistency(NodeReader nodes, long size1, long size2) {
        if (size1 < 0 || size2 < size1) {
            throw new IllegalArgumentException("cannot prove " + size1 + " against " + size2);
        }
        List<byte[]> out = new ArrayList<>(64);
        if (size1 == 0 || size1 == size2) {
            return out;
        }
        subproof(nodes, size1, 0, size2, true, out);
        return out;
    }

    private static void subproof(
            NodeReader nodes, long m, long start, long end, boolean b, List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(subtreeHash(nodes, start, end));
            }
            return;
        }
        long k = Merkle.split(n);
        if (m <= k) {
            subproof(nodes, m, start, start + k, b, out);
            out.add(subtreeHash(nodes, start + k, end));
        } else {
            subproof(nodes, m - k, start + k, end, false, out);
            out.add(subtreeHash(nodes, start, start + k));
        }
    }
}
