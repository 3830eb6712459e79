package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Package rows: one per name ever published, kept (as a tombstone) after a full unpublish. */
public interface Packages {

    Optional<PackageRecord> find(String name);

    void insert(PackageRecord pkg);

    void update(PackageRecord pkg);

    /** Names of live packages in a scope ({@code @scope}), or of every live package when null. */
    List<String> names(String scope);

    /**
     * A package row.
     *
     * @param rev bumped on every change, exposed as the CouchDB-style {@code _rev}
     * @param access {@code public} or {@code restricted}
     * @param unpublished when the whole package was unpublished, or null while it is live
     */
    record PackageRecord(
            String name,
            Instant created,
            Instant modified,
            long rev,
            String access,
            Instant unpublished) {
        public boolean live() {
            return unpublished == null;
        }

        public PackageRecord touched(Instant at) {
            return new PackageRecord(name, created, at, rev + 1, access, unpublished);
        }

        public PackageRecord withAccess(String newAccess) {
            return new PackageRecord(name, created, modified, rev, newAccess, unpublished);
        }

        public PackageRecord withUnpublished(Instant at) {
            return new PackageRecord(name, created, modified, rev, access, at);
        }
    }
}
