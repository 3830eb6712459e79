package dev.warden.storage;

import java.util.Collection;

/** The published dependency graph: which live versions depend on which package names. */
public interface Dependencies {

    void put(String name, String version, Collection<String> dependsOn);

    void removeVersion(String name, String version);

    /** How many other packages have a live version that depends on {@code name}. */
    int dependentCount(String name);
}
