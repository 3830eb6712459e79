package dev.warden.server;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.ChangeFeed.Change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * What this node forgets when the store announces a change another node committed: a package's
 * documents in the registry's memory (and the proxy then no longer answers for the name: it is a
 * local package), an upstream package's rendered documents in the proxy's, or all of them after a
 * gap in the feed. Its own changes come back too; forgetting twice is harmless.
 */
final class ChangeSubscribers {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscribers.class);

    private ChangeSubscribers() {}

    /**
     * Subscribes to {@code feed}.
     *
     * @param packageChanged told the name of each registry package changed
     * @param upstreamChanged told the name of each upstream package changed
     * @param everything run after a gap, when any change may have been missed
     */
    static void subscribe(
            ChangeFeed feed,
            Consumer<String> packageChanged,
            Consumer<String> upstreamChanged,
            Runnable everything) {
        feed.subscribe(
                change -> {
                    // the feed's own thread delivers: a failure here must not stop the next change
                    try {
                        deliver(change, packageChanged, upstreamChanged, everything);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "forgetting after the change {} failed; forgetting everything",
                                change,
                                e);
                        everything.run();
                    }
                });
    }

    private static void deliver(
            Change change,
            Consumer<String> packageChanged,
            Consumer<String> upstreamChanged,
            Runnable everything) {
        if (change.everything()) {
            everything.run();
        } else if (change.topic().equals(ChangeFeed.PACKAGE)) {
            packageChanged.accept(change.key());
        } else if (change.topic().equals(ChangeFeed.UPSTREAM)) {
            upstreamChanged.accept(change.key());
        }
    }
}
