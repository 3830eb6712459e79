package dev.warden.storage;

import java.util.Collection;
import java.util.List;

/** The published dependency graph: which live versions depend on which package names. */
public interface Dependencies {

    void put(String name, String version, Collection<String> dependsOn);

    void removeVersion(String name, String version);

    /** How many other packages have a live version that depends on {@code name}. */
    int dependentCount(String name);

    /**
     * The other packages with a live version that depends on {@code name}, by name, at most {@code
     * limit}.
     */
    List<String> dependents(String name, int limit);

    /**
     * The names at least {@code minDependents} other packages depend on, most depended upon first,
     * at most {@code limit}: the names attackers imitate.
     */
    List<String> dependedUpon(int minDependents, int limit);
}
