package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.storage.MetadataStore;
import dev.warden.storage.embedded.EmbeddedStorage;
import dev.warden.verify.trust.RegistryKey;
import dev.warden.verify.trust.TrustException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** When an uplink's trust material is asked for over the network: once, and not on every miss. */
class UpstreamTrustTest {

    @TempDir Path dir;

    private final MutableClock clock = new MutableClock(Harness.T0);

    private static Uplink uplink(String url) {
        return new Uplink(
                "public",
                URI.create(url),
                List.of("**"),
                Optional.empty(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(120));
    }

    private UpstreamTrust trust(Uplink uplink, Upstream upstream, MetadataStore store) {
        ProxySettings settings =
                new ProxySettings(
                        List.of(uplink),
                        Duration.ZERO,
                        List.of(),
                        List.of(),
                        ProxySettings.UnsignedUpstream.ALLOW,
                        false,
                        List.of(),
                        null);
        return new UpstreamTrust(settings, store, upstream, dir.resolve("trust"), clock);
    }

    @Test
    void npmjsKeysAreBuiltInAndNeedNoRequest() throws Exception {
        Uplink npmjs = uplink("https://registry.npmjs.org/");
        FakeUpstream up = new FakeUpstream();
        try (MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"))) {
            UpstreamTrust trust = trust(npmjs, up, store);

            assertThat(trust.of(npmjs).registryKeys())
                    .extracting(RegistryKey::keyid)
                    .contains("SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U");
            assertThat(up.all).isEmpty();
        }
    }

    @Test
    void concurrentFirstRequestsLoadTheTrustOnce() throws Exception {
        Uplink other = uplink("https://upstream.invalid/");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Upstream slow =
                (u, uri, accept, etag, limit) -> {
                    if (uri.getPath().endsWith("/-/npm/v1/keys")) {
                        loads.incrementAndGet();
                    }
                    release.await(10, TimeUnit.SECONDS);
                    return new Upstream.Response(404, new byte[0], Optional.empty());
                };
        try (MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"));
                ExecutorService pool = Executors.newFixedThreadPool(8)) {
            UpstreamTrust trust = trust(other, slow, store);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> trust.of(other)));
            }
            release.countDown();
            for (Future<?> f : calls) {
                f.get(20, TimeUnit.SECONDS);
            }
            trust.keys();

            assertThat(loads).hasValue(1);
        }
    }

    @Test
    void aFailedLoadIsRememberedForAMinuteNotAskedAgainOnEveryRequest() throws Exception {
        Uplink other = uplink("https://upstream.invalid/");
        FakeUpstream up = new FakeUpstream();
        up.down = "connect timed out";
        try (MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"))) {
            UpstreamTrust trust = trust(other, up, store);
            assertThatThrownBy(() -> trust.of(other))
                    .isInstanceOf(TrustException.class)
                    .hasMessageContaining("connect timed out");
            int asked = up.all.size();

            assertThatThrownBy(() -> trust.of(other))
                    .isInstanceOf(TrustException.class)
                    .hasMessageContaining("connect timed out");
            assertThat(trust.keys()).isEmpty();
            assertThat(up.all).hasSize(asked);

            up.down = null;
            clock.advance(UpstreamTrust.RETRY.plusSeconds(1));
            trust.of(other);
            assertThat(up.all).hasSizeGreaterThan(asked);
        }
    }

    @Test
    void warmingLoadsEveryUplinkAndSwallowsFailures() throws Exception {
        Uplink other = uplink("https://upstream.invalid/");
        FakeUpstream up = new FakeUpstream();
        up.down = "connection refused";
        try (MetadataStore store = EmbeddedStorage.metadata(dir.resolve("warden.db"))) {
            UpstreamTrust trust = trust(other, up, store);
            trust.warm();
            int asked = up.all.size();
            assertThat(asked).isPositive();

            assertThatThrownBy(() -> trust.of(other)).hasMessageContaining("connection refused");
            assertThat(up.all).hasSize(asked);
        }
    }
}
