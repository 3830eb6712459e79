package dev.warden.review.eval;

import dev.warden.review.Ecosystem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry as the evaluation knows it: facts gathered from the fetched packuments (when each
 * package was created, who published which version when, who depends on whom) and from the corpus
 * (which release added which file), seen from the moment a release is published ({@link #at}), plus
 * the facts an attack reconstruction states about its own world (an overlay per release).
 *
 * <p>Names it knows nothing about are taken to exist, with no known creation and no dependents: the
 * fetcher looks up every dependency a benign release adds, so those are the ones it never asked.
 */
final class MemoryEcosystem implements Ecosystem {

    record PackageFacts(boolean exists, Instant created, int dependents) {}

    record Publish(String user, String pkg, Instant at) {}

    record NewFile(String pkg, Instant at) {}

    /** What one release's world adds to the shared facts. */
    record Overlay(
            Map<String, PackageFacts> packages,
            Map<String, Integer> publishedBy,
            Map<String, Integer> newFileElsewhere,
            List<String> popular) {
        static final Overlay NONE = new Overlay(Map.of(), Map.of(), Map.of(), List.of());
    }

    private final Map<String, PackageFacts> packages = new HashMap<>();
    private final Map<String, List<Publish>> publishesByUser = new HashMap<>();
    private final Map<String, List<NewFile>> newFiles = new HashMap<>();
    private final List<String> popular = new ArrayList<>();

    private Instant now = Instant.EPOCH;
    private Overlay overlay = Overlay.NONE;

    void addPackage(String name, PackageFacts facts) {
        packages.put(name, facts);
    }

    void addPublish(Publish publish) {
        publishesByUser.computeIfAbsent(publish.user(), k -> new ArrayList<>()).add(publish);
    }

    void addNewFile(String sha256, NewFile file) {
        newFiles.computeIfAbsent(sha256, k -> new ArrayList<>()).add(file);
    }

    void addPopular(String name) {
        popular.add(name);
    }

    /** The ecosystem as seen when a release is published, with that release's own facts. */
    void at(Instant moment, Overlay releaseFacts) {
        this.now = moment;
        this.overlay = releaseFacts;
    }

    private PackageFacts facts(String name) {
        PackageFacts f = overlay.packages().get(name);
        return f != null ? f : packages.get(name);
    }

    @Override
    public boolean exists(String name) {
        PackageFacts f = facts(name);
        return f == null || f.exists();
    }

    @Override
    public Optional<Instant> created(String name) {
        PackageFacts f = facts(name);
        return f == null || !f.exists() ? Optional.empty() : Optional.ofNullable(f.created());
    }

    @Override
    public int dependents(String name) {
        PackageFacts f = facts(name);
        return f == null ? 0 : f.dependents();
    }

    @Override
    public List<String> popularNames() {
        if (overlay.popular().isEmpty()) {
            return popular;
        }
        List<String> all = new ArrayList<>(popular);
        all.addAll(overlay.popular());
        return all;
    }

    @Override
    public int packagesPublishedBy(String user, Instant since) {
        Integer stated = overlay.publishedBy().get(user);
        if (stated != null) {
            return stated;
        }
        Set<String> pkgs = new HashSet<>();
        for (Publish p : publishesByUser.getOrDefault(user, List.of())) {
            if (!p.at().isBefore(since) && !p.at().isAfter(now)) {
                pkgs.add(p.pkg());
            }
        }
        return pkgs.size();
    }

    @Override
    public int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window) {
        Integer stated = overlay.newFileElsewhere().get(sha256Hex);
        if (stated != null) {
            return stated;
        }
        Instant from = now.minus(window);
        Set<String> others = new HashSet<>();
        for (NewFile f : newFiles.getOrDefault(sha256Hex, List.of())) {
            if (!f.pkg().equals(pkg) && !f.at().isBefore(from) && !f.at().isAfter(now)) {
                others.add(f.pkg());
            }
        }
        return others.size();
    }
}
