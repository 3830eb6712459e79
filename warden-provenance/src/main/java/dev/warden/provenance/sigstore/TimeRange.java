package dev.warden.provenance.sigstore;

import java.time.Instant;

/**
 * A closed validity window from a trusted root; {@code end} is null while the key is still in use.
 */
record TimeRange(Instant start, Instant end) {

    boolean contains(Instant t) {
        return !t.isBefore(start) && (end == null || !t.isAfter(end));
    }

    static TimeRange of(dev.sigstore.proto.common.v1.TimeRange r, String what) {
        if (!r.hasStart()) {
            throw new VerificationFailure(
                    "trusted root: " + what + " has a validity window without a start");
        }
        Instant start = Instant.ofEpochSecond(r.getStart().getSeconds(), r.getStart().getNanos());
        Instant end =
                r.hasEnd()
                        ? Instant.ofEpochSecond(r.getEnd().getSeconds(), r.getEnd().getNanos())
                        : null;
        if (end != null && end.isBefore(start)) {
            throw new VerificationFailure(
                    "trusted root: " + what + " has a validity window that ends before it starts");
        }
        return new TimeRange(start, end);
    }
}
