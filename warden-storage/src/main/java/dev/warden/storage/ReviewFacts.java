package dev.warden.storage;

import java.time.Instant;
import java.util.Collection;

/**
 * What the release review asks of the rest of the registry: files new in each release (how a worm
 * that copies itself into package after package shows) and who published how much lately. (The
 * popular names it compares with come from {@link Dependencies} and {@link Downloads}.)
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

    /**
     * Keeps the review's summary of a release (opaque bytes, read back by the next release's
     * review); a second summary of the same release replaces the first.
     */
    void recordSummary(String pkg, String version, byte[] summary);

    /** The summary kept for this release, or null when none was (a release older than them). */
    byte[] summary(String pkg, String version);
}
