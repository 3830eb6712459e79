package dev.warden.accounts;

import dev.warden.common.Digests;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * Token secrets: {@code wdn_} + 30 random base62 characters + a 6-character base62 CRC32 of them.
 * The fixed prefix and the checksum let secret scanners find Warden tokens with few false
 * positives; only the SHA-256 of a secret is ever stored.
 */
public final class TokenCodec {

    public static final String PREFIX = "wdn_";
    private static final String ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int BODY = 30;
    private static final int CHECK = 6;

    private final SecureRandom random = new SecureRandom();

    public String newSecret() {
        StringBuilder body = new StringBuilder(BODY);
        for (int i = 0; i < BODY; i++) {
            body.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return PREFIX + body + checksum(body.toString());
    }

    /** Whether {@code secret} has the shape and checksum of a Warden token. */
    public static boolean wellFormed(String secret) {
        if (secret == null
                || secret.length() != PREFIX.length() + BODY + CHECK
                || !secret.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < secret.length(); i++) {
            if (ALPHABET.indexOf(secret.charAt(i)) < 0) {
                return false;
            }
        }
        String body = secret.substring(PREFIX.length(), PREFIX.length() + BODY);
        return checksum(body).equals(secret.substring(PREFIX.length() + BODY));
    }

    public static String hash(String secret) {
        return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A short public identifier derived from the hash, safe to list. */
    public static String key(String hash) {
        return hash.substring(0, 16);
    }

    static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[CHECK];
        for (int i = CHECK - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }
}
