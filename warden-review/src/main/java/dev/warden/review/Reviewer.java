package dev.warden.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reviews a release against the one it follows. Pure: everything it knows of the rest of the
 * registry comes through {@link Ecosystem}. Bounded: a tarball over the analysis limits is reported
 * in {@link Findings#notComputed()}, never a crash and never unbounded time or memory.
 */
public final class Reviewer {

    private final ReviewSettings settings;
    private final Ecosystem ecosystem;
    private final DependencyLookalike lookalikes;

    public Reviewer(ReviewSettings settings, Ecosystem ecosystem) {
        this.settings = settings;
        this.ecosystem = ecosystem;
        this.lookalikes = new DependencyLookalike(ecosystem, settings);
    }

    public Findings examine(Subject subject) {
        List<Finding> found = new ArrayList<>();
        List<String> notComputed = new ArrayList<>();
        run(DependencyLookalike.ID, () -> lookalikes.examine(subject), found, notComputed);
        found.sort(Comparator.comparing(Finding::severity).reversed());
        return new Findings(found, notComputed);
    }

    /** Runs one detector; one that fails is reported as not computed, never silently skipped. */
    private static void run(
            String id, Detector detector, List<Finding> found, List<String> notComputed) {
        try {
            found.addAll(detector.examine());
        } catch (RuntimeException e) {
            notComputed.add(id + ": " + e);
        }
    }

    @FunctionalInterface
    private interface Detector {
        List<Finding> examine();
    }
}
