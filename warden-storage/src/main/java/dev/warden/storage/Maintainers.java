package dev.warden.storage;

import java.util.List;

/** Who may publish and administer a package. */
public interface Maintainers {

    /** User names, in the order they were added. */
    List<String> of(String name);

    /** Names of the live packages {@code user} maintains. */
    List<String> packagesOf(String user);

    void add(String name, String user);

    void remove(String name, String user);

    void removeAll(String name);
}
