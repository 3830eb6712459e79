package dev.warden.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 9162 section 2.1 Merkle tree hashing and proof verification.
 *
 * <p>Leaves are hashed as {@code SHA-256(0x00 || entry)}, interior nodes as {@code SHA-256(0x01 ||
 * left || right)}; the hash of the empty tree is {@code SHA-256("")}. The verification methods
 * follow the algorithms of sections 2.1.3.2 and 2.1.4.2 step by step.
 */
public final class Merkle {

    public static final int HASH_SIZE = 32;

    private static final ThreadLocal<MessageDigest> SHA256 =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return MessageDigest.getInstance("SHA-256");
                        } catch (NoSuchAlgorithmException e) {
                            throw new IllegalStateException(e);
                        }
                    });

    private static final byte[] EMPTY = sha256(new byte[0]);

    private Merkle() {}

    public static byte[] sha256(byte[] data) {
        MessageDigest d = SHA256.get();
        d.reset();
        return d.digest(data);
    }

    /** The root hash of the empty tree. */
    public static byte[] emptyRoot() {
        return EMPTY.clone();
    }

    public static byte[] leafHash(byte[] entry) {
        MessageDigest d = SHA256.get();
        d.reset();
        d.update((byte) 0);
        return d.digest(entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = SHA256.get();
        d.reset();
        d.update((byte) 1);
        d.update(left);
        return d.digest(right);
    }

    /** The largest power of two strictly less than {@code n} (n &gt; 1). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /**
     * RFC 9162 2.1.3.2: does {@code proof} show that {@code leafHash} is at {@code index} in the
     * tree of {@code size} with {@code root}?
     */
    public static boolean verifyInclusion(
            long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        byte[] computed = rootFromInclusion(index, size, leafHash, proof);
        return computed != null && MessageDigest.isEqual(computed, root);
    }

    /** The root implied by an inclusion proof, or null when the proof has the wrong shape. */
    public static byte[] rootFromInclusion(
            long index, long size, byte[] leafHash, List<byte[]> proof) {
        if (index < 0 || index >= size || leafHash.length != HASH_SIZE) {
            return null;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (p.length != HASH_SIZE || sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    /**
     * RFC 9162 2.1.4.2: does {@code proof} show that the tree of {@code size2} with {@code root2}
     * extends the one of {@code size1} with {@code root1}?
     */
    public static boolean verifyConsistency(
            long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 < 0 || size2 < size1 || root1.length != HASH_SIZE || root2.length != HASH_SIZE) {
            return false;
        }
        if (size1 == size2) {
            return proof.isEmpty() && MessageDigest.isEqual(root1, root2);
        }
        if (size1 == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        for (byte[] p : proof) {
            if (p.length != HASH_SIZE) {
                return false;
            }
        }
        int start = 0;
        // Step 1: when size1 is an exact power of two, the old root is the first node of the path.
        if (Long.bitCount(size1) == 1) {
            start = -1;
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        // Step 3: right-shift both while the lowest bit of fn is set.
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] first = start < 0 ? root1 : proof.get(0);
        int i = start < 0 ? 0 : 1;
        byte[] fr = first;
        byte[] sr = first;
        for (; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, root1) && MessageDigest.isEqual(sr, root2);
    }

    /** Hex of a hash, for messages. */
    public static String hex(byte[] hash) {
        return java.util.HexFormat.of().formatHex(hash);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
