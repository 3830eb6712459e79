package dev.warden.registry;

import dev.warden.common.Problem;
import dev.warden.governance.ReviewThresholds;
import dev.warden.review.Action;
import dev.warden.review.Finding;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.Severity;

import java.util.List;
import java.util.Locale;

/**
 * The review policy one package's releases are judged by: the registry's (its default or strict
 * policy, with its overrides) made stricter by the package's own thresholds. Each finding takes the
 * stricter of the two actions, so a package's policy can raise what a finding does, never lower it:
 * a maintainer (or a thief of their token) cannot relax the review before publishing.
 *
 * @param registry the registry's policy that applies to the package
 * @param own the package's thresholds ({@link ReviewThresholds#NONE}: none)
 */
record PackageReviewPolicy(ReviewPolicy registry, ReviewThresholds own) {

    private static final List<Action> ACTIONS =
            List.of(Action.FLAG, Action.HOLD, Action.QUARANTINE);

    Action actionOf(Finding finding) {
        Action theirs = registry.actionOf(finding);
        Action ours = ownAction(finding.severity());
        return ours.compareTo(theirs) > 0 ? ours : theirs;
    }

    /** What the package's thresholds alone ask for a finding of {@code s}. */
    private Action ownAction(Severity s) {
        for (int i = 2; i >= 0; i--) {
            String at = own.at(i);
            if (at != null && s.atLeast(severity(at))) {
                return ACTIONS.get(i);
            }
        }
        return Action.ALLOW;
    }

    /**
     * Refuses (400) thresholds laxer than the registry's {@code floor} (its default policy, the
     * least any package is reviewed by): naming one would be a relaxation that never applies, and
     * setting one is what an attacker tries first.
     */
    static void requireNotLaxer(ReviewPolicy floor, ReviewThresholds own) {
        Severity[] registry = {floor.flagAt(), floor.holdAt(), floor.quarantineAt()};
        String[] settings = {"flag_at", "hold_at", "quarantine_at"};
        for (int i = 0; i < 3; i++) {
            String at = own.at(i);
            if (at != null && severity(at).compareTo(registry[i]) > 0) {
                throw Problem.badRequest(
                        "review."
                                + ReviewThresholds.FIELDS.get(i)
                                + " \""
                                + at
                                + "\" is laxer than the registry's review."
                                + settings[i]
                                + " (\""
                                + word(registry[i])
                                + "\"): a package's review thresholds may only be stricter than"
                                + " the registry's");
            }
        }
    }

    static Severity severity(String word) {
        return Severity.valueOf(word.toUpperCase(Locale.ROOT));
    }

    static String word(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
