package dev.warden.verify.trust;

/**
 * A registry's trust material cannot be had or does not verify: its message says what was expected
 * and what was found, in one line.
 */
public final class TrustException extends Exception {

    private static final long serialVersionUID = 1L;

    public TrustException(String message) {
        super(message);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
