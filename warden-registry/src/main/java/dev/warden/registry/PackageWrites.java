package dev.warden.registry;

import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.MetadataStore.ReadTx;
import dev.warden.storage.MetadataStore.WriteTx;
import dev.warden.storage.Packages.PackageRecord;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * How a change to a live package is written: in one metadata transaction that also rebuilds the
 * package's packument and search document, at the registry's time (milliseconds).
 */
final class PackageWrites {

    interface Mutation {
        void apply(WriteTx tx, Instant now);
    }

    private final MetadataStore store;
    private final Packuments docs;
    private final Clock clock;

    PackageWrites(MetadataStore store, Packuments docs, Clock clock) {
        this.store = store;
        this.docs = docs;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A maintainer's change to a live package, with its packument rebuilt in the same transaction.
     */
    void mutate(String name, Principal principal, Mutation change) {
        Instant now = now();
        store.write(
                tx -> {
                    PackageRecord pkg = livePackage(tx, name);
                    Authority.requireMaintainer(tx, name, principal);
                    change.apply(tx, now);
                    tx.packages().update(tx.packages().find(name).orElseThrow().touched(now));
                    docs.rebuild(tx, name);
                    return pkg;
                });
        docs.refresh(name, List.of());
    }

    static PackageRecord livePackage(ReadTx tx, String name) {
        return tx.packages()
                .find(name)
                .filter(PackageRecord::live)
                .orElseThrow(
                        () -> Problem.notFound("package " + Problem.clip(name) + " not found"));
    }

    static void checkRev(String name, PackageRecord pkg, String rev) {
        if (rev == null || rev.isEmpty()) {
            return;
        }
        String current = PackumentBuilder.rev(name, pkg.rev());
        if (!current.equals(rev)) {
            throw Problem.conflict(
                    "document update conflict: "
                            + name
                            + " has changed since revision "
                            + Problem.clip(rev)
                            + "; fetch it again and retry");
        }
    }
}
