package dev.warden.e2e;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The real time moved by an offset a test sets: a server on it can publish "ten days ago" and then
 * carry on in the present, as a registry that has been running for a while would have.
 */
final class ShiftedClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void shift(Duration offset) {
        this.offset = offset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
