package dev.warden.log;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1's definitions, written as recursions over the list of leaves: the reference
 * the log is checked against.
 */
public final class NaiveTree {

    private NaiveTree() {}

    public static byte[] mth(List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return Merkle.sha256(new byte[0]);
        }
        if (n == 1) {
            return Merkle.leafHash(leaves.get(0));
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return Merkle.nodeHash(mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
    }

    static List<byte[]> path(int m, List<byte[]> leaves) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (n <= 1) {
            return out;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        if (m < k) {
            out.addAll(path(m, leaves.subList(0, k)));
            out.add(mth(leaves.subList(k, n)));
        } else {
            out.addAll(path(m - k, leaves.subList(k, n)));
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }

    static List<byte[]> proof(int m, List<byte[]> leaves) {
        if (m == 0 || m == leaves.size()) {
            return new ArrayList<>();
        }
        return subproof(m, leaves, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
        int n = leaves.size();
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(leaves));
            }
            return out;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        if (m <= k) {
            out.addAll(subproof(m, leaves.subList(0, k), b));
            out.add(mth(leaves.subList(k, n)));
        } else {
            out.addAll(subproof(m - k, leaves.subList(k, n), false));
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }
}
