package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;

/** Who may see a package: a restricted package is not there for those who may not read it. */
final class Visibility {

    private final MetadataStore store;
    private final Packuments docs;

    Visibility(MetadataStore store, Packuments docs) {
        this.store = store;
        this.docs = docs;
    }

    /** Whether only maintainers may read the package. */
    boolean restricted(String name) {
        return docs.restricted(name);
    }

    /**
     * Whether {@code reader} may read the restricted package {@code name} (see {@link
     * Authority#mayRead}).
     */
    boolean canRead(String name, Principal reader) {
        return reader != null && store.read(tx -> Authority.mayRead(tx, name, reader));
    }

    /**
     * A 404, as for a package that does not exist, unless {@code name} is live and {@code reader}
     * may read it.
     */
    void requireReadable(String name, Principal reader) {
        if (!readable(name, reader)) {
            throw Problem.notFound("package " + Problem.clip(name) + " not found");
        }
    }

    /**
     * Refuses a change to a restricted package that {@code principal} may not read exactly as the
     * same change to a name that does not exist: a 404, or for a publish, first whatever the
     * scope's rule says to this caller.
     */
    void refuseUnlessReadable(String name, Principal principal, boolean publishing) {
        if (!restricted(name) || readable(name, principal)) {
            return;
        }
        if (publishing) {
            store.read(
                    tx -> {
                        Authority.checkScope(tx, PackageName.parse(name), principal);
                        return null;
                    });
        }
        throw Problem.notFound("package " + Problem.clip(name) + " not found");
    }

    /** Whether {@code name} is live and {@code reader} (null: anyone) may read it. */
    boolean readable(String name, Principal reader) {
        boolean exists =
                store.read(tx -> tx.packages().find(name).filter(PackageRecord::live).isPresent());
        return exists && (!restricted(name) || canRead(name, reader));
    }
}
