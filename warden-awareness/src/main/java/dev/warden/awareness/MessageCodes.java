package dev.warden.awareness;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The verification code every mail carries ({@code ABCD-EFGH}): 8 characters from an alphabet
 * without lookalikes (no 0/O, 1/I), so 40 random bits, read aloud or typed without mistakes.
 */
public final class MessageCodes {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /** Longer input is refused unread: a code with any separators fits well within it. */
    static final int MAX_INPUT = 32;

    private final RandomGenerator random;

    public MessageCodes() {
        this(new SecureRandom());
    }

    MessageCodes(RandomGenerator random) {
        this.random = random;
    }

    /** A new random code in its written form. */
    public String next() {
        StringBuilder b = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                b.append('-');
            }
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * The code someone typed, in its written form: case, spaces and dashes do not matter; empty for
     * anything that cannot be a code (too long, a character outside the alphabet, not 8 of them).
     */
    public static Optional<String> parse(String typed) {
        if (typed == null || typed.length() > MAX_INPUT) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(8);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ' || c == '\t') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0 || b.length() == 8) {
                return Optional.empty();
            }
            b.append(c);
        }
        if (b.length() != 8) {
            return Optional.empty();
        }
        return Optional.of(b.substring(0, 4) + "-" + b.substring(4));
    }
}
