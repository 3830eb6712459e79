package dev.warden.storage;

import java.util.List;

/** Stars given to packages by users. */
public interface Stars {

    List<String> of(String name);

    List<String> starredBy(String user);

    void add(String name, String user);

    void remove(String name, String user);
}
