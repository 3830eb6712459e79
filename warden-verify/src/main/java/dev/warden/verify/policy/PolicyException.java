package dev.warden.verify.policy;

/**
 * A policy that cannot be used: unreadable, too large, not TOML, or with a key, type or value it
 * does not know. The message is one line naming the file and the key (and the line, where the TOML
 * parser gives one), fit to print as is; the command exits 2 with it.
 */
public final class PolicyException extends Exception {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
