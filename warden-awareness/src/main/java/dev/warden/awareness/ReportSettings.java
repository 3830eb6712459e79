package dev.warden.awareness;

import java.time.Duration;
import java.util.Set;

/**
 * How malware reports are triaged.
 *
 * @param trustedReporters accounts the operator trusts to report: this many of them reporting one
 *     version quarantine it at once
 * @param quarantineAfterReports how many distinct trusted reporters quarantine a version
 * @param reportsPerDay how many reports one account may make in 24 hours (bounds what a flood
 *     stores)
 * @param reportsPerAddressPerHour how many reports one address may send in an hour
 */
public record ReportSettings(
        Set<String> trustedReporters,
        int quarantineAfterReports,
        int reportsPerDay,
        int reportsPerAddressPerHour) {

    public static final Duration DAY = Duration.ofDays(1);

    public ReportSettings {
        trustedReporters = Set.copyOf(trustedReporters);
        if (quarantineAfterReports < 1 || reportsPerDay < 1 || reportsPerAddressPerHour < 1) {
            throw new IllegalArgumentException("report limits are at least 1");
        }
    }

    public static ReportSettings defaults() {
        return new ReportSettings(Set.of(), 2, 20, 30);
    }

    boolean trusted(String user) {
        return trustedReporters.contains(user);
    }
}
