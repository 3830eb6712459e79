package dev.warden.review;

import java.util.Map;

/**
 * What the registry does with a release's findings: each finding's severity (or an override for its
 * id) maps to an {@link Action}; the release takes the strictest.
 *
 * @param flagAt the lowest severity that flags (the maintainers are told)
 * @param holdAt the lowest severity that holds the release for a maintainer's approval
 * @param quarantineAt the lowest severity that quarantines it
 * @param overrides an action per finding id, in place of its severity's
 */
public record ReviewPolicy(
        Severity flagAt, Severity holdAt, Severity quarantineAt, Map<String, Action> overrides) {

    public ReviewPolicy {
        overrides = Map.copyOf(overrides);
    }

    /** The registry-wide default. */
    public static final ReviewPolicy DEFAULT =
            new ReviewPolicy(Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL, Map.of());

    /** The stricter default of high-impact packages: what would flag elsewhere holds here. */
    public static final ReviewPolicy HIGH_IMPACT =
            new ReviewPolicy(Severity.LOW, Severity.MEDIUM, Severity.CRITICAL, Map.of());

    public Action actionOf(Finding finding) {
        Action override = overrides.get(finding.id());
        if (override != null) {
            return override;
        }
        Severity s = finding.severity();
        if (s.atLeast(quarantineAt)) {
            return Action.QUARANTINE;
        }
        if (s.atLeast(holdAt)) {
            return Action.HOLD;
        }
        if (s.atLeast(flagAt)) {
            return Action.FLAG;
        }
        return Action.ALLOW;
    }

    /** The strictest action any finding asks for ({@link Action#ALLOW} when there is none). */
    public Action actionOf(Findings findings) {
        Action strictest = Action.ALLOW;
        for (Finding f : findings.findings()) {
            Action a = actionOf(f);
            if (a.compareTo(strictest) > 0) {
                strictest = a;
            }
        }
        return strictest;
    }
}
