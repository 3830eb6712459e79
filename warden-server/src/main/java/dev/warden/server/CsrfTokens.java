package dev.warden.server;

import dev.warden.common.Digests;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens bound to one browser: the HMAC-SHA256, under a key made when the server starts, of
 * the browser's session token once it is signed in, else of its pre-session cookie (a random value
 * set HttpOnly and SameSite=Strict with the first form). A token taken from another browser or
 * session, a token without the cookie it was made for, and an empty one never match; nothing is
 * stored. On one node the key lives in memory only: after a restart, a form left open must be
 * reloaded; nodes sharing a database share a key ({@code keys/csrf.key}).
 */
final class CsrfTokens {

    /** What a token is bound to. */
    enum Binding {
        SESSION,
        PRE_SESSION
    }

    private static final Pattern PRE_SESSION = Pattern.compile("[0-9a-f]{48}");

    private final SecretKeySpec key;
    private final SecureRandom random;

    CsrfTokens(SecureRandom random) {
        this(random, randomKey(random));
    }

    /**
     * Under {@code key}: nodes behind one balancer share it, so a form one node served is taken by
     * another.
     */
    CsrfTokens(SecureRandom random, byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.random = random;
    }

    private static byte[] randomKey(SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    /** A new pre-session cookie value. */
    String newPreSession() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Whether a cookie value is one {@link #newPreSession} could have made (an empty or forged one
     * is not).
     */
    static boolean wellFormedPreSession(String value) {
        return value != null && PRE_SESSION.matcher(value).matches();
    }

    /**
     * The token for the browser holding {@code value} as its session token or pre-session cookie.
     */
    String token(Binding binding, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of()
                    .formatHex(
                            mac.doFinal((binding + "\n" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /**
     * Whether {@code sent} is the token of that browser (constant time; an empty token or value
     * never matches).
     */
    boolean matches(String sent, Binding binding, String value) {
        if (sent == null || sent.isEmpty() || value == null || value.isEmpty()) {
            return false;
        }
        return Digests.constantTimeEquals(
                sent.getBytes(StandardCharsets.UTF_8),
                token(binding, value).getBytes(StandardCharsets.UTF_8));
    }
}
