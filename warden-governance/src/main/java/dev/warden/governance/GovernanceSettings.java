package dev.warden.governance;

import java.time.Duration;

/**
 * Governance's settings.
 *
 * @param highImpactWeeklyDownloads weekly downloads at or above which a package is high-impact
 * @param highImpactDependents dependents at or above which a package is high-impact
 * @param minApproverAccountAge approvals from accounts younger than this do not count (zero: every
 *     account's count)
 * @param successionInactive how long every maintainer must have been inactive before a succession
 *     notice is posted
 * @param successionWindow how long a succession notice stays open for objections
 * @param notifier who mails maintainers about succession
 */
public record GovernanceSettings(
        long highImpactWeeklyDownloads,
        int highImpactDependents,
        Duration minApproverAccountAge,
        Duration successionInactive,
        Duration successionWindow,
        Succession.Notifier notifier) {

    public static GovernanceSettings defaults() {
        return new GovernanceSettings(
                1_000_000,
                500,
                Duration.ZERO,
                Duration.ofDays(365),
                Duration.ofDays(30),
                (user, subject, body) -> {});
    }
}
