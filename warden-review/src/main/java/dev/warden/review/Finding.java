package dev.warden.review;

import java.util.List;

/**
 * One thing the review noticed about a release.
 *
 * @param id a stable kebab-case name of the kind of finding ({@code install-script-added})
 * @param severity its weight
 * @param summary one sentence for the approvers
 * @param evidence where it was seen (at least one entry for a finding about files)
 */
public record Finding(String id, Severity severity, String summary, List<Evidence> evidence) {
    public Finding {
        evidence = List.copyOf(evidence);
    }
}
