package dev.warden.provenance.sigstore;

/**
 * A bundle, trusted root or policy that does not verify; the message says what was expected and
 * what was found.
 */
public final class VerificationFailure extends RuntimeException {

    public VerificationFailure(String message) {
        super(message, null, false, false);
    }

    public VerificationFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
