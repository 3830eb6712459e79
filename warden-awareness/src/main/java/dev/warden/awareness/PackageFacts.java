package dev.warden.awareness;

import java.util.List;

/**
 * What the posture of a package is computed from, as the registry reports it through {@link
 * MaintainedPackages}.
 *
 * @param maintainers its maintainers' account names
 * @param highImpact whether its downloads or dependents make it high-impact
 * @param governed whether it adopted a policy of its own asking other maintainers' approval
 * @param successors the accounts named to take it over
 * @param trustedPublishers how many trusted publishers (CI workflows) are configured
 * @param recent its most recent live versions, newest first (at most a few)
 * @param held releases held or quarantined, waiting for its maintainers
 */
public record PackageFacts(
        String name,
        List<String> maintainers,
        boolean highImpact,
        boolean governed,
        List<String> successors,
        int trustedPublishers,
        List<Version> recent,
        List<Held> held) {

    public PackageFacts {
        maintainers = List.copyOf(maintainers);
        successors = List.copyOf(successors);
        recent = List.copyOf(recent);
        held = List.copyOf(held);
    }

    /** A live version and whether it was published with verified provenance. */
    public record Version(String version, boolean provenance) {}

    /**
     * A release that is not live: held (by the review or a break in provenance) or quarantined.
     *
     * @param state "held" or "quarantined"
     */
    public record Held(String version, String state) {}
}
