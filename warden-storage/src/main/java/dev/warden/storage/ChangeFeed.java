package dev.warden.storage;

import java.util.function.Consumer;

/**
 * Changes that other nodes committed to the shared store, for the memories of this one (packument
 * caches, the proxy's rendered documents). A driver with one node (embedded) has none: {@link
 * #NONE}. A driver shared by several nodes announces the changes its views write, in the writing
 * transaction, so a change is announced exactly when it commits.
 */
public interface ChangeFeed {

    /** What changed: a topic ({@link #PACKAGE}, {@link #UPSTREAM}, ...) and its key. */
    record Change(String topic, String key) {
        /**
         * Anything may have changed: the feed missed changes (its connection was lost) and every
         * memory must forget.
         */
        public static final Change EVERYTHING = new Change("*", "");

        public boolean everything() {
            return topic.equals("*");
        }
    }

    /** A package's rows (its documents, versions, tags, access) changed; the key is its name. */
    String PACKAGE = "package";

    /** The proxy's rows of an upstream package changed; the key is its name. */
    String UPSTREAM = "upstream";

    /** The feed of a store no other node writes to. */
    ChangeFeed NONE = listener -> {};

    /**
     * Calls {@code listener} (on the feed's own thread; it must not block long) with each change
     * another node commits from now on, and with {@link Change#EVERYTHING} after any gap.
     */
    void subscribe(Consumer<Change> listener);
}
