package dev.warden.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.warden.common.Problem;
import dev.warden.web.ReleaseDiff;

import java.io.ByteArrayInputStream;

/**
 * The diffs of staged releases against the releases they follow, kept per stage in a small cache: a
 * staged tarball never changes, so a reload reads and diffs nothing again. The version compared
 * with is part of the key, since it moves when another release becomes latest meanwhile. Callers
 * check that the reader may see the stage before asking: the cache serves anyone who asks.
 */
final class StageDiffs {

    /** Where the two tarballs come from, read only when the diff is not cached. */
    interface Source {
        byte[] staged();

        /** The tarball of the release compared with, or null when it cannot be read. */
        byte[] released();
    }

    private final Cache<String, ApprovalViews.Diff> cache =
            Caffeine.newBuilder().maximumSize(64).build();

    /**
     * The diff of stage {@code id} against {@code baseline} (null for a first release: every file
     * added).
     */
    ApprovalViews.Diff of(String id, String pkg, String baseline, Source source) {
        return cache.get(id + "\n" + baseline, k -> compute(pkg, baseline, source));
    }

    private static ApprovalViews.Diff compute(String pkg, String baseline, Source source) {
        byte[] before = null;
        if (baseline != null) {
            before = source.released();
            if (before == null) {
                return ApprovalViews.Diff.missing(
                        baseline,
                        "The tarball of "
                                + pkg
                                + "@"
                                + baseline
                                + " cannot be read (unpublished or held), so there is nothing to"
                                + " compare with.");
            }
        }
        try {
            ReleaseDiff d =
                    ReleaseDiff.between(
                            before == null ? null : new ByteArrayInputStream(before),
                            new ByteArrayInputStream(source.staged()));
            return ApprovalViews.Diff.of(d, baseline, null);
        } catch (Problem p) {
            return ApprovalViews.Diff.missing(
                    baseline, "The diff could not be made: " + p.getMessage());
        }
    }
}
