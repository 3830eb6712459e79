package dev.warden.verify.report;

import dev.warden.verify.lockfile.LockedPackage;

import java.util.Comparator;
import java.util.List;

/**
 * Every finding for one locked package.
 *
 * @param waiver the reason of the policy exception that waives its failures, or {@code null}
 */
public record PackageResult(LockedPackage pkg, List<Finding> findings, String waiver) {

    public PackageResult {
        findings = List.copyOf(findings);
    }

    /** The worst status among its findings ({@code PASS} when there are none). */
    public Status status() {
        return findings.stream()
                .map(Finding::status)
                .max(Comparator.naturalOrder())
                .orElse(Status.PASS);
    }
}
