package dev.warden.review;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry around a review, in memory: packages with a creation time and dependents. */
class FakeEcosystem implements Ecosystem {

    final Map<String, Instant> created = new HashMap<>();
    final Map<String, Integer> dependents = new HashMap<>();
    final Map<String, Integer> spread = new HashMap<>();
    int publishedLastHour;

    FakeEcosystem with(String name, Instant since, int dependedOnBy) {
        created.put(name, since);
        dependents.put(name, dependedOnBy);
        return this;
    }

    @Override
    public boolean exists(String name) {
        return created.containsKey(name);
    }

    @Override
    public Optional<Instant> created(String name) {
        return Optional.ofNullable(created.get(name));
    }

    @Override
    public int dependents(String name) {
        return dependents.getOrDefault(name, 0);
    }

    @Override
    public List<String> popularNames() {
        return List.of();
    }

    @Override
    public int packagesPublishedBy(String user, Instant since) {
        return publishedLastHour;
    }

    @Override
    public int otherPackagesWithNewFile(String sha256Hex, String pkg, Duration window) {
        return spread.getOrDefault(sha256Hex, 0);
    }
}
