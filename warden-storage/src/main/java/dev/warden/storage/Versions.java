package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Published versions. A row is never deleted: an unpublished version stays as a tombstone so its
 * number is never reused.
 */
public interface Versions {

    /** Every version of {@code name}, unpublished ones included, in publish order. */
    List<VersionRecord> all(String name);

    Optional<VersionRecord> find(String name, String version);

    void insert(VersionRecord version);

    void setDeprecated(String name, String version, String message);

    void setUnpublished(String name, String version, Instant at);

    /**
     * Names of the packages with a live version, the one with the newest such version first (the
     * home page's "recently published"), at most {@code limit}.
     */
    List<String> recentlyPublished(int limit);

    /** Whether any live version of any package still refers to this blob. */
    boolean blobReferenced(String sha512Hex);

    /**
     * A version.
     *
     * @param manifest the version document served in packuments (JSON), tarball values applied
     * @param integrity {@code sha512-<base64>}
     * @param blobKey hex sha512 of the tarball, the blob store key
     * @param differences JSON describing where the uploaded manifest disagreed with the tarball, or
     *     null
     */
    record VersionRecord(
            String name,
            String version,
            String manifest,
            String integrity,
            String shasum,
            String blobKey,
            long tarballSize,
            int fileCount,
            long unpackedSize,
            Instant published,
            String publisher,
            String deprecated,
            String differences,
            Instant unpublished) {
        public boolean live() {
            return unpublished == null;
        }
    }
}
