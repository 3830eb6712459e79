package dev.warden.log;

/** Raised by a non-blocking read that would have to wait for storage. */
final class WouldBlock extends RuntimeException {
    WouldBlock() {
        super(null, null, false, false);
    }
}
