package dev.warden.review.eval;

import dev.warden.review.Action;
import dev.warden.review.Findings;

/**
 * What reviewing one release gave.
 *
 * @param findings null when the review threw (then {@code error} says what)
 * @param cpuNanos the reviewing thread's CPU time in {@link dev.warden.review.Reviewer#examine}
 * @param wallNanos the elapsed time in it
 * @param mismatch how the review from the previous release's summary differed from the review from
 *     its tarball, or null when they found the same
 */
record Outcome(
        Release release,
        Findings findings,
        String error,
        Action byDefault,
        Action highImpact,
        long cpuNanos,
        long wallNanos,
        String mismatch) {

    boolean stopped(Action a) {
        return a == Action.HOLD || a == Action.QUARANTINE;
    }
}
