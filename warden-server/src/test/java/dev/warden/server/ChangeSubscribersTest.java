package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.ChangeFeed;
import dev.warden.storage.ChangeFeed.Change;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The memories each announced change makes forget, with a feed the test drives by hand. */
class ChangeSubscribersTest {

    /** A feed whose changes the test announces. */
    static final class HandFeed implements ChangeFeed {
        final List<Consumer<Change>> listeners = new ArrayList<>();

        @Override
        public void subscribe(Consumer<Change> listener) {
            listeners.add(listener);
        }

        void announce(Change change) {
            listeners.forEach(l -> l.accept(change));
        }
    }

    final HandFeed feed = new HandFeed();
    final List<String> forgotten = new ArrayList<>();

    private void subscribe(Consumer<String> packages) {
        ChangeSubscribers.subscribe(
                feed,
                packages,
                name -> forgotten.add("upstream " + name),
                () -> forgotten.add("everything"));
    }

    @Test
    void eachTopicReachesItsMemory() {
        subscribe(name -> forgotten.add("package " + name));
        feed.announce(new Change(ChangeFeed.PACKAGE, "@acme/left-pad"));
        feed.announce(new Change(ChangeFeed.UPSTREAM, "lodash"));
        feed.announce(Change.EVERYTHING);
        feed.announce(new Change("stars", "lodash"));
        assertThat(forgotten)
                .containsExactly("package @acme/left-pad", "upstream lodash", "everything");
    }

    @Test
    void aSubscriberThatFailsMakesEverythingForgottenAndTheFeedGoesOn() {
        subscribe(
                name -> {
                    if (name.equals("broken")) {
                        throw new IllegalStateException("cannot forget " + name);
                    }
                    forgotten.add("package " + name);
                });
        feed.announce(new Change(ChangeFeed.PACKAGE, "broken"));
        feed.announce(new Change(ChangeFeed.PACKAGE, "fine"));
        assertThat(forgotten).containsExactly("everything", "package fine");
    }
}
