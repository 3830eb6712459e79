package dev.warden.review;

/**
 * Reviews a release against the one it follows. Pure: everything it knows of the rest of the
 * registry comes through {@link Ecosystem}. Bounded: a tarball over the analysis limits is reported
 * in {@link Findings#notComputed()}, never a crash and never unbounded time or memory.
 */
public final class Reviewer {

    private final ReviewSettings settings;
    private final Ecosystem ecosystem;

    public Reviewer(ReviewSettings settings, Ecosystem ecosystem) {
        this.settings = settings;
        this.ecosystem = ecosystem;
    }

    public Findings examine(Subject subject) {
        return Findings.NONE;
    }
}
