package dev.warden.storage;

import java.util.Map;

/** Dist-tags: tag name to version. */
public interface Tags {

    /** The tags of {@code name}, sorted by tag. */
    Map<String, String> of(String name);

    void put(String name, String tag, String version);

    void remove(String name, String tag);

    void removeAll(String name);
}
