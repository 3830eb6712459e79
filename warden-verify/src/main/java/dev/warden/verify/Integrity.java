package dev.warden.verify;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Subresource Integrity strings as lockfiles and packuments carry them ({@code sha512-<base64>},
 * several separated by spaces), and the digests of a tarball they are compared with.
 */
public final class Integrity {

    private static final Map<String, String> ALGORITHMS =
            Map.of("sha1", "SHA-1", "sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

    /** One hash of an integrity string. */
    public record Hash(String algorithm, String base64) {}

    /** The digests of a tarball, base64 as SRI writes them. */
    public record Digests(String sha1, String sha256, String sha384, String sha512) {

        public static Digests of(byte[] bytes) {
            return new Digests(
                    b64(dev.warden.common.Digests.digest("SHA-1", bytes)),
                    b64(dev.warden.common.Digests.digest("SHA-256", bytes)),
                    b64(dev.warden.common.Digests.digest("SHA-384", bytes)),
                    b64(dev.warden.common.Digests.digest("SHA-512", bytes)));
        }

        public String of(String algorithm) {
            return switch (algorithm) {
                case "sha1" -> sha1;
                case "sha256" -> sha256;
                case "sha384" -> sha384;
                case "sha512" -> sha512;
                default -> null;
            };
        }

        public String sri512() {
            return "sha512-" + sha512;
        }

        public byte[] sha256Bytes() {
            return Base64.getDecoder().decode(sha256);
        }

        public String sha512Hex() {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(sha512));
        }

        /** For the cache: one line. */
        String line() {
            return String.join(" ", sha1, sha256, sha384, sha512);
        }

        static Digests parseLine(String line) {
            String[] p = line.trim().split(" ");
            return p.length == 4 ? new Digests(p[0], p[1], p[2], p[3]) : null;
        }
    }

    private Integrity() {}

    /**
     * The hashes of an integrity string; an unknown algorithm or a value that is not base64 of the
     * right length is an {@link IllegalArgumentException} naming it.
     */
    public static List<Hash> parse(String sri) {
        List<Hash> out = new ArrayList<>();
        for (String part : sri.trim().split("\\s+")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash <= 0) {
                throw new IllegalArgumentException(
                        "integrity '" + shorten(part) + "' is not <algorithm>-<base64>");
            }
            String alg = part.substring(0, dash).toLowerCase(Locale.ROOT);
            String value = part.substring(dash + 1);
            int q = value.indexOf('?'); // SRI options
            if (q >= 0) {
                value = value.substring(0, q);
            }
            if (!ALGORITHMS.containsKey(alg)) {
                throw new IllegalArgumentException(
                        "integrity algorithm '"
                                + shorten(alg)
                                + "' is not one of sha1, sha256, sha384, sha512");
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "integrity '" + shorten(part) + "' is not base64", e);
            }
            if (raw.length
                    != dev.warden.common.Digests.digest(ALGORITHMS.get(alg), new byte[0]).length) {
                throw new IllegalArgumentException(
                        "integrity '" + shorten(part) + "' has the wrong length for " + alg);
            }
            out.add(new Hash(alg, value));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("integrity is empty");
        }
        return out;
    }

    /** npm's hex {@code shasum} as an SRI sha1 hash. */
    public static String sha1FromHex(String hex) {
        try {
            return "sha1-" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether two integrity strings agree: they share at least one algorithm, and every algorithm
     * they share has the same value.
     */
    public static boolean agree(List<Hash> a, List<Hash> b) {
        boolean shared = false;
        for (Hash x : a) {
            for (Hash y : b) {
                if (x.algorithm().equals(y.algorithm())) {
                    shared = true;
                    if (!x.base64().equals(y.base64())) {
                        return false;
                    }
                }
            }
        }
        return shared;
    }

    /** The first hash of {@code expected} that the digests do not have, or null when all match. */
    public static Hash mismatch(List<Hash> expected, Digests actual) {
        for (Hash h : expected) {
            if (!h.base64().equals(actual.of(h.algorithm()))) {
                return h;
            }
        }
        return null;
    }

    public static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
