package dev.warden.server.testing;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import org.apache.commons.codec.binary.Base32;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import javax.crypto.spec.SecretKeySpec;

/**
 * An authenticator app for tests: reads the secret from an otpauth URL and hands out codes. The
 * registry accepts each time step once and allows one step of drift, so it gives the codes of
 * successive steps, starting one step back, and waits for the clock when it runs ahead.
 */
public final class Authenticator {

    /** How long a code handed out stays valid at least, in seconds. */
    private static final int FRESH_SECONDS = 8;

    private final String secret;
    private long lastStep = Long.MIN_VALUE;

    public Authenticator(String otpauthUrl) {
        String query = URI.create(otpauthUrl).getRawQuery();
        String s = null;
        for (String kv : query.split("&")) {
            if (kv.startsWith("secret=")) {
                s = kv.substring("secret=".length());
            }
        }
        this.secret = s;
    }

    public static Authenticator ofSecret(String base32) {
        return new Authenticator("otpauth://totp/x?secret=" + base32);
    }

    public String secret() {
        return secret;
    }

    private MovableClock clock;

    /**
     * Codes by the registry's {@code clock}, a test clock that stands still: where a new code would
     * need the next time step, the clock is moved on 30 seconds instead of waiting.
     */
    public Authenticator following(MovableClock clock) {
        this.clock = clock;
        return this;
    }

    /** A code the registry has not seen yet. */
    public synchronized String next() throws InterruptedException {
        if (clock != null) {
            long step = Math.max(clock.instant().getEpochSecond() / 30 - 1, lastStep + 1);
            while (step > clock.instant().getEpochSecond() / 30 + 1) {
                clock.advance(java.time.Duration.ofSeconds(30));
            }
            lastStep = step;
            return codeFor(step);
        }
        long seconds = Instant.now().getEpochSecond();
        long now = seconds / 30;
        long step = Math.max(now - 1, lastStep + 1);
        // the previous step's code stops working when this step ends: never hand it out in this
        // step's
        // last seconds, where it could expire between the client starting and the registry checking
        // it
        if (step == now - 1 && seconds % 30 >= 30 - FRESH_SECONDS) {
            step = now;
        }
        while (step > Instant.now().getEpochSecond() / 30 + 1) {
            Thread.sleep(1000);
        }
        lastStep = step;
        return codeFor(step);
    }

    /** The code of the current step, whether used or not (for replay tests). */
    public String codeFor(long step) {
        try {
            SecretKeySpec key = new SecretKeySpec(new Base32().decode(secret), "HmacSHA1");
            int code =
                    new TimeBasedOneTimePasswordGenerator(Duration.ofSeconds(30), 6)
                            .generateOneTimePassword(key, Instant.ofEpochSecond(step * 30));
            return String.format("%06d", code);
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized long lastStep() {
        return lastStep;
    }
}
