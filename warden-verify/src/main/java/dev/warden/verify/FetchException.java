package dev.warden.verify;

/**
 * What a check needed could not be had: the registry answered with an error or garbage, the network
 * failed, or (offline) the cache does not hold it. The message is the finding's.
 */
final class FetchException extends Exception {

    private final int status;

    FetchException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was none. */
    int status() {
        return status;
    }
}
