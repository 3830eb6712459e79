package dev.warden.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The transparency log is public; a restricted package is not. A change to a restricted package is
 * logged as a commitment: {@code {"kind": "commitment", "seq", "registry", "commitment":
 * "hmac-sha256:<hex>"}}, the HMAC-SHA256 of the full statement under the package's own key. The log
 * still proves that the change was recorded, when and in which order; the package's readers get the
 * key and the statements ({@code GET /-/package/<pkg>/log}) and check each against its entry, and
 * nobody else learns the package's name, versions, digests or actors from the log.
 *
 * <p>Each package's key is derived from one registry secret (HMAC-SHA256 of the package name), so
 * there is nothing to store per package and a key never opens another package's entries.
 */
public final class LogCommitments {

    private final SecretKeySpec secret;

    /**
     * @param secret at least 32 random bytes, kept by the registry across restarts
     */
    public LogCommitments(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException(
                    "the log commitment secret must be at least 32 bytes");
        }
        this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** The key that opens {@code pkg}'s commitments. */
    byte[] keyOf(String pkg) {
        return hmac(secret, "warden log commitment key\n" + pkg);
    }

    /** What is logged in place of {@code statement}, a change to the restricted {@code pkg}. */
    String commitment(ObjectMapper json, long seq, String registry, String pkg, String statement) {
        ObjectNode c = json.createObjectNode();
        c.put("kind", "commitment");
        c.put("seq", seq);
        c.put("registry", registry);
        c.put(
                "commitment",
                "hmac-sha256:"
                        + Digests.hex(
                                hmac(new SecretKeySpec(keyOf(pkg), "HmacSHA256"), statement)));
        return c.toString();
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
