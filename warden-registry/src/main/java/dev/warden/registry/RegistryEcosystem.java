package dev.warden.registry;

import dev.warden.review.Ecosystem;
import dev.warden.storage.MetadataStore;
import dev.warden.storage.Packages.PackageRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The release review's view of the rest of this registry, over the storage contracts. The popular
 * names are computed at most every few minutes: they move slowly and the query reads every
 * dependency edge.
 */
final class RegistryEcosystem implements Ecosystem {

    /** How many of this registry's own packages count as popular, by dependents and downloads. */
    static final int POPULAR = 1_000;

    private static final Duration POPULAR_FOR = Duration.ofMinutes(10);

    private final MetadataStore store;
    private final Clock clock;
    private final Supplier<List<String>> publicPopularNames;

    private volatile List<String> popular;
    private volatile Instant popularAt = Instant.MIN;

    RegistryEcosystem(MetadataStore store, Clock clock, Supplier<List<String>> publicNames) {
        this.store = store;
        this.clock = clock;
        this.publicPopularNames = publicNames;
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
        List<String> own = popular;
        if (own == null || now.isAfter(popularAt.plus(POPULAR_FOR))) {
            LocalDate weekAgo = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(7);
            own =
                    store.read(
                            tx -> {
                                Set<String> names =
                                        new LinkedHashSet<>(
                                                tx.reviewFacts().mostDependedUpon(POPULAR));
                                names.addAll(tx.reviewFacts().mostDownloaded(weekAgo, POPULAR));
                                return List.copyOf(names);
                            });
            popular = own;
            popularAt = now;
        }
        List<String> all = new ArrayList<>(own);
        all.addAll(publicPopularNames.get());
        return all;
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
