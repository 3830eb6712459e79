package dev.warden.review;

import java.util.List;

/**
 * What the review of one release found.
 *
 * @param findings what was noticed, most severe first
 * @param notComputed the checks that could not run on this release and why (a tarball over the
 *     analysis limits, an unreadable file): reported, never silently skipped
 * @param summary the release's {@link ReleaseSummary}, encoded, for the registry to keep for the
 *     next release's review; null when there is none
 */
public record Findings(List<Finding> findings, List<String> notComputed, byte[] summary) {
    public Findings {
        findings = List.copyOf(findings);
        notComputed = List.copyOf(notComputed);
    }

    public Findings(List<Finding> findings, List<String> notComputed) {
        this(findings, notComputed, null);
    }

    public static final Findings NONE = new Findings(List.of(), List.of());

    /** The most severe finding's severity, or null when nothing was found. */
    public Severity highest() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }
}
