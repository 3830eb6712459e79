package dev.warden.server;

import dev.warden.registry.Registry;
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

    /**
     * Subscribes this node's memories (the registry's, the proxy's) to the changes other nodes
     * commit; then forgets what the start put in memory before the subscription, which may have
     * changed meanwhile unannounced.
     */
    static void wire(ChangeFeed feed, Registry registry, ProxyReads reads) {
        Runnable everything =
                () -> {
                    registry.forgetEverything();
                    if (reads != null) {
                        reads.forgetEverything();
                    }
                };
        ChangeSubscribers.subscribe(
                feed,
                name -> {
                    registry.forget(name);
                    if (reads != null) {
                        reads.forgetLocal(name);
                    }
                },
                name -> {
                    if (reads != null) {
                        reads.upstreamChanged(name);
                    }
                },
                everything);
        // what the start put in memory before this subscription may have changed meanwhile on
        // another node, unannounced to it
        if (feed != ChangeFeed.NONE) {
            everything.run();
        }
    }
}
