package dev.warden.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the review asks of the registry about other packages and publishes. Implemented by the
 * registry over its storage; a test implements it in memory.
 */
public interface Ecosystem {

    /** Whether a package of that name exists on this registry. */
    boolean exists(String name);

    /** When the package was first published here, if it exists. */
    Optional<Instant> created(String name);

    /** How many other packages here depend on it. */
    int dependents(String name);

    /**
     * Names that attackers imitate: the most depended-upon and downloaded packages here, plus the
     * configured list of the public registry's most depended-upon names.
     */
    List<String> popularNames();

    /** How many distinct packages {@code user} published a version of since {@code since}. */
    int packagesPublishedBy(String user, Instant since);

    /**
     * How many packages other than {@code pkg} gained a file with this SHA-256 within {@code
     * window} before now (a file that appears in unrelated packages within hours is how a worm
     * spreads).
     */
    int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window);
}
