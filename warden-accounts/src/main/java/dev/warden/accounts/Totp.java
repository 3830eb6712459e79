package dev.warden.accounts;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import org.apache.commons.codec.binary.Base32;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 TOTP: 6 digits, 30-second steps, HMAC-SHA1 (what authenticator apps expect), one step of
 * drift allowed.
 */
final class Totp {

    static final Duration STEP = Duration.ofSeconds(30);

    private final SecureRandom random = new SecureRandom();
    private final TimeBasedOneTimePasswordGenerator generator =
            new TimeBasedOneTimePasswordGenerator(STEP, 6);

    String newSecret() {
        byte[] key = new byte[20];
        random.nextBytes(key);
        return new Base32().encodeToString(key).replace("=", "");
    }

    static String url(String issuer, String user, String secret) {
        String label =
                URLEncoder.encode(issuer + ":" + user, StandardCharsets.UTF_8).replace("+", "%20");
        return "otpauth://totp/"
                + label
                + "?secret="
                + secret
                + "&issuer="
                + URLEncoder.encode(issuer, StandardCharsets.UTF_8)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    /** The time step {@code code} is valid for around {@code now}, or -1. */
    long matchingStep(String secret, String code, Instant now) {
        if (code == null || !code.matches("\\d{6}")) {
            return -1;
        }
        SecretKeySpec key = new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
        long step = now.getEpochSecond() / STEP.getSeconds();
        for (long s = step - 1; s <= step + 1; s++) {
            try {
                int expected =
                        generator.generateOneTimePassword(
                                key, Instant.ofEpochSecond(s * STEP.getSeconds()));
                if (String.format("%06d", expected).equals(code)) {
                    return s;
                }
            } catch (InvalidKeyException e) {
                throw new IllegalStateException(e);
            }
        }
        return -1;
    }
}
