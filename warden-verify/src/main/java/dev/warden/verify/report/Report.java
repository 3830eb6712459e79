package dev.warden.verify.report;

import java.time.Instant;
import java.util.List;

/**
 * The result of one verification run.
 *
 * @param lockfile the lockfile's path as given
 * @param format the lockfile's format ({@code Lockfile.format})
 * @param policy where the policy came from ({@code "default"} or its path)
 * @param results one per locked package, in the lockfile's order
 * @param notices run-wide remarks: keys or roots pinned on first use, an expired exception, a
 *     registry with no keys, working from the cache
 * @param at when the run happened (the clock every age and expiry was judged by)
 */
public record Report(
        String lockfile,
        String format,
        String policy,
        List<PackageResult> results,
        List<String> notices,
        Instant at) {

    public Report {
        results = List.copyOf(results);
        notices = List.copyOf(notices);
    }

    /** 0 when nothing failed (waived failures do not count), 1 otherwise. */
    public int exitCode() {
        return results.stream().anyMatch(r -> r.status() == Status.FAIL) ? 1 : 0;
    }
}
