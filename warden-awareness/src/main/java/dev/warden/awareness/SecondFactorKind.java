package dev.warden.awareness;

/** The strongest second factor an account has. */
public enum SecondFactorKind {
    /** No second factor: a password (or a stolen token) is enough. */
    NONE,
    /** An authenticator app's one-time codes: better, but a phishing page can relay them. */
    TOTP,
    /** A passkey or security key: bound to the registry's origin, so phishing cannot relay it. */
    PASSKEY;

    public String label() {
        return switch (this) {
            case NONE -> "none";
            case TOTP -> "totp";
            case PASSKEY -> "passkey";
        };
    }
}
