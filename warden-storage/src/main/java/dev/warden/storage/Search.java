package dev.warden.storage;

import java.util.List;

/** The text index behind {@code /-/v1/search}: one document per live package. */
public interface Search {

    /**
     * Replaces the search document of {@code name}: the text to match and the JSON summary to
     * return.
     */
    void put(String name, String text, String summaryJson);

    void remove(String name);

    /**
     * Summaries of the packages whose text contains every term (case-insensitive), at most {@code
     * limit}.
     */
    List<Hit> find(List<String> terms, int limit);

    record Hit(String name, String summaryJson) {}
}
