package dev.warden.accounts;

import dev.warden.common.Digests;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes in PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}).
 */
public final class PasswordHasher {

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();

    /** Each hash takes {@code memoryKib} of memory: at most this many run at once. */
    private final java.util.concurrent.Semaphore slots =
            new java.util.concurrent.Semaphore(
                    Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
    public PasswordHasher() {
        this(19 * 1024, 2, 1);
    }

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, parallelism, 32);
        return "$argon2id$v=19$m="
                + memoryKib
                + ",t="
                + iterations
                + ",p="
                + parallelism
                + "$"
                + B64.encodeToString(salt)
                + "$"
                + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code phc}; false for any malformed hash. */
    public boolean verify(String password, String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=", 2);
            if (pair.length != 2) {
                return false;
            }
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return false;
                }
            }
        }
        if (m <= 0 || m > (1 << 20) || t <= 0 || t > 16 || p <= 0 || p > 16) {
            return false;
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        return Digests.constantTimeEquals(expected, actual);
    }

    private byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        try {
            if (!slots.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new dev.warden.common.Problem(
                        dev.warden.common.Problem.Kind.TOO_MANY_REQUESTS,
                        "too many sign-ins at once; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.warden.common.Problem(
                    dev.warden.common.Problem.Kind.UNAVAILABLE, "interrupted");
        }
        try {
            return deriveNow(password, salt, m, t, p, length);
        } finally {
            slots.release();
        }
    }

    private static byte[] deriveNow(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params =
                new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                        .withSalt(salt)
                        .withMemoryAsKB(m)
                        .withIterations(t)
                        .withParallelism(p)
                        .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[length];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
