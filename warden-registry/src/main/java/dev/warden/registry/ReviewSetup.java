package dev.warden.registry;

import dev.warden.review.Ecosystem;
import dev.warden.review.Findings;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.ReviewSettings;
import dev.warden.review.Reviewer;
import dev.warden.review.Subject;

import java.util.function.Function;

/**
 * How the release review is set: the registry-wide policy, the stricter one of high-impact and
 * governed packages, the analysis limits, and the reviewer made over the registry's {@link
 * Ecosystem} (whose popular names are those of {@link LookalikeNames}).
 *
 * @param policy what findings do to a release of an ordinary package
 * @param strictPolicy what they do to a high-impact package's, or a package whose governance asks
 *     approvals: never laxer than {@code policy} (the configuration checks it)
 * @param reviewer makes the reviewer over the registry's ecosystem (tests give their own)
 */
public record ReviewSetup(
        ReviewPolicy policy,
        ReviewPolicy strictPolicy,
        ReviewSettings limits,
        Function<Ecosystem, Function<Subject, Findings>> reviewer) {

    public static ReviewSetup defaults() {
        return of(ReviewPolicy.DEFAULT, ReviewPolicy.HIGH_IMPACT, ReviewSettings.DEFAULTS);
    }

    /** The real reviewer, with these policies and limits. */
    public static ReviewSetup of(
            ReviewPolicy policy, ReviewPolicy strictPolicy, ReviewSettings limits) {
        return new ReviewSetup(
                policy,
                strictPolicy,
                limits,
                ecosystem -> new Reviewer(limits, ecosystem)::examine);
    }

    public ReviewSetup withReviewer(Function<Ecosystem, Function<Subject, Findings>> reviewer) {
        return new ReviewSetup(policy, strictPolicy, limits, reviewer);
    }
}
