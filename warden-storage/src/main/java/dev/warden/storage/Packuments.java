package dev.warden.storage;

import java.util.Optional;

/**
 * Precomputed packument documents, rebuilt in the same transaction as the change they reflect, so
 * that a read is a lookup, never a rebuild.
 */
public interface Packuments {

    Optional<PackumentRecord> find(String name);

    void put(PackumentRecord packument);

    void remove(String name);

    /**
     * The full and abbreviated documents, each raw and gzip-compressed, with their entity tags.
     *
     * @param rev the package revision the documents reflect (newer revisions replace older ones in
     *     caches)
     */
    record PackumentRecord(
            String name,
            long rev,
            byte[] full,
            byte[] fullGzip,
            String fullEtag,
            byte[] abbreviated,
            byte[] abbreviatedGzip,
            String abbreviatedEtag) {}
}
