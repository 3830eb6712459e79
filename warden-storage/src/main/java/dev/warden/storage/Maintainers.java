package dev.warden.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Who may publish and administer a package. */
public interface Maintainers {

    /** User names, in the order they were added. */
    List<String> of(String name);

    /** Names of the live packages {@code user} maintains. */
    List<String> packagesOf(String user);

    /** Adds {@code user} (no change if already a maintainer: the first addition's time is kept). */
    void add(String name, String user, Instant at);

    /** When {@code user} became a maintainer of {@code name}, if they are one. */
    Optional<Instant> addedAt(String name, String user);

    void remove(String name, String user);

    void removeAll(String name);
}
