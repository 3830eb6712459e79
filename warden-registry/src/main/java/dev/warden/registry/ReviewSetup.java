package dev.warden.registry;

import dev.warden.review.Ecosystem;
import dev.warden.review.Findings;
import dev.warden.review.ReviewPolicy;
import dev.warden.review.ReviewSettings;
import dev.warden.review.Reviewer;
import dev.warden.review.Subject;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the release review is set: the registry-wide policy, the stricter one of high-impact and
 * governed packages, the analysis limits, the shipped list of the public registry's most
 * depended-upon names, and the reviewer made over the registry's {@link Ecosystem}.
 *
 * @param policy what findings do to a release of an ordinary package
 * @param strictPolicy what they do to a high-impact package's, or a package whose governance asks
 *     approvals: never laxer than {@code policy} (the configuration checks it)
 * @param publicPopularNames the configured list of public names attackers imitate (a seam: the list
 *     shipped with Warden plugs in here); read at each review
 * @param reviewer makes the reviewer over the registry's ecosystem (tests give their own)
 */
public record ReviewSetup(
        ReviewPolicy policy,
        ReviewPolicy strictPolicy,
        ReviewSettings limits,
        Supplier<List<String>> publicPopularNames,
        Function<Ecosystem, Function<Subject, Findings>> reviewer) {

    public static ReviewSetup defaults() {
        return of(ReviewPolicy.DEFAULT, ReviewPolicy.HIGH_IMPACT, ReviewSettings.DEFAULTS);
    }

    /** The real reviewer, with these policies and limits, and no list of public names. */
    public static ReviewSetup of(
            ReviewPolicy policy, ReviewPolicy strictPolicy, ReviewSettings limits) {
        return new ReviewSetup(
                policy,
                strictPolicy,
                limits,
                List::of,
                ecosystem -> new Reviewer(limits, ecosystem)::examine);
    }

    public ReviewSetup withPublicPopularNames(Supplier<List<String>> names) {
        return new ReviewSetup(policy, strictPolicy, limits, names, reviewer);
    }

    public ReviewSetup withReviewer(Function<Ecosystem, Function<Subject, Findings>> reviewer) {
        return new ReviewSetup(policy, strictPolicy, limits, publicPopularNames, reviewer);
    }
}
