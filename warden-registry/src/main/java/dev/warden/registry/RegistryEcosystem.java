package dev.warden.registry;

import dev.warden.review.Ecosystem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The release review's view of the rest of this registry, over the storage contracts. The popular
 * names are those typosquatting at name creation protects ({@link LookalikeNames}: the configured
 * list and this registry's most depended-upon and downloaded packages, read again every few
 * minutes).
 */
final class RegistryEcosystem implements Ecosystem {

    private final MetadataStore store;
    private final Clock clock;
    private final LookalikeNames names;

    RegistryEcosystem(MetadataStore store, Clock clock, LookalikeNames names) {
        this.store = store;
        this.clock = clock;
        this.names = names;
    }

    @Override
    public boolean exists(String name) {
        return store.read(tx -> tx.packages().find(name).filter(PackageRecord::live).isPresent());
    }

    @Override
    public Optional<Instant> created(String name) {
        return store.read(
                tx -> tx.packages().find(name).filter(PackageRecord::live).map(p -> p.created()));
    }

    @Override
    public int dependents(String name) {
        return store.read(tx -> tx.dependencies().dependentCount(name));
    }

    @Override
    public List<String> popularNames() {
        Instant now = clock.instant();
        return store.read(tx -> names.popularNames(tx, now));
    }

    @Override
    public int packagesPublishedBy(String user, Instant since) {
        return store.read(tx -> tx.reviewFacts().packagesPublishedBy(user, since));
    }

    @Override
    public int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window) {
        Instant since = clock.instant().minus(window);
        return store.read(tx -> tx.reviewFacts().otherPackagesWithNewFile(sha256Hex, pkg, since));
    }
}
