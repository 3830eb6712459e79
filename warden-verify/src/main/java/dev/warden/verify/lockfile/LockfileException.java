package dev.warden.verify.lockfile;

/**
 * A lockfile that cannot be read: missing, too large, not the format its name says, or malformed.
 * The message names the file and, where it can, the line or the entry, and is fit to print as is.
 */
public final class LockfileException extends Exception {

    public LockfileException(String message) {
        super(message);
    }

    public LockfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
