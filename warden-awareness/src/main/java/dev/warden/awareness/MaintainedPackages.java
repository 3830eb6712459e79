package dev.warden.awareness;

import dev.warden.accounts.Principal;

import java.util.List;
import java.util.Optional;

/**
 * The port through which the posture learns about packages: the registry implements it (their
 * maintainers, impact, governance, successors, trusted publishers, provenance and held releases
 * live there).
 */
public interface MaintainedPackages {

    /** What a caller may see of a package's posture. */
    enum Access {
        /** The package does not exist or the caller may not read it: as if it did not exist. */
        HIDDEN,
        /** The caller may read the package but does not maintain it. */
        READER,
        /** A maintainer, a read-write team member or an owner or admin of its organization. */
        MAINTAINER
    }

    Access access(String pkg, Principal who);

    /** The live packages {@code user} is a maintainer of, by name. */
    List<String> packagesOf(String user);

    /** The package's facts, or empty when it does not exist (or is unpublished). */
    Optional<PackageFacts> facts(String pkg);
}
