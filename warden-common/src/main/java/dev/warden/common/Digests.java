package dev.warden.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Hashing helpers for the encodings npm uses (hex sha1 {@code shasum}, SRI {@code sha512-...}). */
public final class Digests {

    private Digests() {}

    public static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static String sha256Hex(byte[] data) {
        return hex(digest("SHA-256", data));
    }

    /** Subresource-integrity form of a sha512 digest. */
    public static String sri512(byte[] sha512) {
        return "sha512-" + Base64.getEncoder().encodeToString(sha512);
    }

    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
