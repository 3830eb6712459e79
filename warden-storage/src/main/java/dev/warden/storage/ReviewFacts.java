package dev.warden.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * What the release review asks of the rest of the registry: files new in each release (how a worm
 * that copies itself into package after package shows), who published how much lately, and which
 * packages are depended on and downloaded most (the names attackers imitate).
 */
public interface ReviewFacts {

    /**
     * Records the files a release added or changed since the release it follows, by content
     * (SHA-256, lower-case hex); recording the same release twice changes nothing.
     */
    void recordNewFiles(String pkg, String version, Collection<String> sha256Hex, Instant at);

    /**
     * How many packages other than {@code pkg} gained a file with this content at or after since.
     */
    int otherPackagesWithNewFile(String sha256Hex, String pkg, Instant since);

    /** How many distinct packages {@code user} published a version of at or after {@code since}. */
    int packagesPublishedBy(String user, Instant since);

    /** The live packages with the most dependents here, most first, at most {@code limit}. */
    List<String> mostDependedUpon(int limit);

    /** The packages downloaded most on {@code from} and later days, most first. */
    List<String> mostDownloaded(LocalDate from, int limit);
}
