package dev.warden.proxy;

import static dev.warden.proxy.Harness.packument;
import static dev.warden.proxy.Harness.uri;
import static dev.warden.proxy.Harness.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** One request per name to the uplink, and a slow name never holds up another. */
class SingleFlightTest {

    @TempDir Path dir;

    @Test
    void aSlowUplinkAnswerForOneNameDoesNotHoldUpAnotherAndIsAskedOnce() throws Exception {
        String slow = "slow-name";
        // a name that the proxy's former 64 striped locks put under the slow name's lock
        String other = null;
        for (int i = 0; other == null; i++) {
            String n = "other-" + i;
            if (Math.floorMod(n.hashCode(), 64) == Math.floorMod(slow.hashCode(), 64)) {
                other = n;
            }
        }
        FakeUpstream fake = new FakeUpstream();
        fake.put(uri(slow), version(packument(slow), "1.0.0", Duration.ofDays(9)).toString(), "a");
        fake.put(
                uri(other), version(packument(other), "1.0.0", Duration.ofDays(9)).toString(), "a");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger slowAsked = new AtomicInteger();
        URI slowUri = uri(slow);
        Upstream upstream =
                (u, uri, accept, etag, limit) -> {
                    if (uri.equals(slowUri)) {
                        slowAsked.incrementAndGet();
                        entered.countDown();
                        release.await(20, TimeUnit.SECONDS);
                    }
                    return fake.get(u, uri, accept, etag, limit);
                };
        try (MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
                ExecutorService pool = Executors.newFixedThreadPool(4)) {
            Proxy proxy =
                    Proxy.create(
                            new Proxy.Parts(
                                    Harness.settings(Duration.ZERO, List.of(), List.of()),
                                    store,
                                    null,
                                    upstream,
                                    IngestLog.NONE,
                                    s -> null,
                                    null,
                                    dir.resolve("trust"),
                                    Harness.PUBLIC_URL,
                                    256L << 20,
                                    new MutableClock(Harness.T0)));
            Future<?> first = pool.submit(() -> proxy.packument(slow));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            Future<?> second = pool.submit(() -> proxy.packument(slow));
            String otherName = other;

            // answered while the slow name's request still waits on the uplink
            assertThat(pool.submit(() -> proxy.packument(otherName)).get(20, TimeUnit.SECONDS))
                    .isPresent();
            release.countDown();
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);

            assertThat(slowAsked).hasValue(1);
        }
    }
}
