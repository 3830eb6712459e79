package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.IngestedVersion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Registry signatures, the keys they are checked with, and integrity, at ingest and in the
 * packument.
 */
class SignatureIngestTest {

    @TempDir Path dir;

    private Instant daysAgo(Fixture f, int days) {
        return f.clock.instant().minus(Duration.ofDays(days));
    }

    @Test
    void aSignedVersionIsServedWithItsStatementLoggedAndThisRegistrysSignature() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            byte[] tgz = Tgz.of("left-pad", "1.0.0").bytes();
            f.up.publish("left-pad", "1.0.0", tgz, daysAgo(f, 3));

            IngestedVersion row = f.ingest("left-pad", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(row.reason()).isNull();
            assertThat(row.integrity()).isEqualTo(FakeUplink.integrity(tgz));
            assertThat(f.blob(row.blobKey())).isEqualTo(tgz);
            JsonNode v = f.verified(row);
            assertThat(v.path("verified").path("signature").path("status").asText())
                    .isEqualTo("verified");
            assertThat(v.path("verified").path("signature").path("keyid").asText())
                    .isEqualTo(f.up.keyid);
            assertThat(v.path("signature").path("sig").asText())
                    .isEqualTo("signed:left-pad@1.0.0:" + FakeUplink.integrity(tgz));
            assertThat(f.log.logged).hasSize(1);
            assertThat(f.log.logged.get(0).kind()).isEqualTo("proxy.ingested");
            assertThat(f.log.logged.get(0).detail()).containsEntry("uplink", "up");
            assertThat(row.logIndex()).isEqualTo(0L);
            assertThat(f.row("left-pad", "1.0.0").orElseThrow().logIndex()).isEqualTo(0L);
            assertThat(f.holds("left-pad")).isEmpty();
        }
    }

    @Test
    void aForgedSignatureIsHeldWithTheKeyItClaims() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            String forged = FakeUplink.sign(FakeUplink.ec(), "left-pad@1.0.0:whatever");
            f.up.edit(
                    "left-pad",
                    "1.0.0",
                    v ->
                            ((ObjectNode) v.path("dist").path("signatures").path(0))
                                    .put("sig", forged));

            Map<String, String> holds = f.holds("left-pad");
            IngestedVersion row = f.ingest("left-pad", "1.0.0");

            assertThat(holds.get("1.0.0"))
                    .contains("the registry signature of uplink up does not hold")
                    .contains("the signature by " + f.up.keyid + " does not verify");
            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason()).isEqualTo(holds.get("1.0.0"));
            assertThat(f.verified(row).has("signature")).isFalse();
            assertThat(f.log.logged.get(0).kind()).isEqualTo("proxy.held");
        }
    }

    @Test
    void aHoldThePackumentShowsIsRecordedWithoutFetchingTheTarball() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            f.up.edit(
                    "left-pad",
                    "1.0.0",
                    v ->
                            ((ObjectNode) v.path("dist").path("signatures").path(0))
                                    .put("keyid", "SHA256:unknown"));
            String reason = f.holds("left-pad").get("1.0.0");

            IngestedVersion row =
                    f.ingest.hold(f.up.uplink, "left-pad", "1.0.0", f.doc("left-pad"), reason);

            assertThat(reason)
                    .contains("signed by key 'SHA256:unknown', which the registry does not list");
            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason()).isEqualTo(reason);
            assertThat(row.blobKey()).isNull();
            assertThat(f.up.requestsFor(".tgz")).isZero();
            assertThat(f.log.logged)
                    .singleElement()
                    .satisfies(s -> assertThat(s.kind()).isEqualTo("proxy.held"));
            // Later ingests answer the held row; nothing is fetched.
            assertThat(f.ingest("left-pad", "1.0.0"))
                    .isEqualTo(f.row("left-pad", "1.0.0").orElseThrow());
            assertThat(f.up.requestsFor(".tgz")).isZero();
        }
    }

    @Test
    void anUnsignedVersionIsServedUnderAllow() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            unsigned(f);

            IngestedVersion row = f.ingest("left-pad", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(f.verified(row).path("verified").path("signature").path("status").asText())
                    .isEqualTo("absent");
            assertThat(f.eventKinds()).doesNotContain("unsigned");
        }
    }

    @Test
    void anUnsignedVersionIsServedAndReportedUnderFlag() throws Exception {
        try (Fixture f = new Fixture(dir, ProxySettings.UnsignedUpstream.FLAG, false, List.of())) {
            unsigned(f);

            IngestedVersion row = f.ingest("left-pad", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(f.events())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.kind()).isEqualTo("unsigned");
                                assertThat(e.version()).isEqualTo("1.0.0");
                                assertThat(e.detail()).contains("carries no registry signature");
                            });
        }
    }

    @Test
    void anUnsignedVersionIsHeldUnderRefuse() throws Exception {
        try (Fixture f =
                new Fixture(dir, ProxySettings.UnsignedUpstream.REFUSE, false, List.of())) {
            unsigned(f);

            Map<String, String> holds = f.holds("left-pad");
            IngestedVersion row = f.ingest("left-pad", "1.0.0");

            assertThat(holds.get("1.0.0"))
                    .startsWith("not signed by uplink up")
                    .contains("left-pad@1.0.0 carries no registry signature");
            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason()).startsWith("not signed by uplink up");
        }
    }

    @Test
    void thisRegistrySignsTheIntegrityItServesWhenTheUpstreamGivesOnlyASha1() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            byte[] tgz = Tgz.of("old-pkg", "1.0.0").bytes();
            f.up.publish("old-pkg", "1.0.0", tgz, daysAgo(f, 3));
            String shasum =
                    java.util.HexFormat.of()
                            .formatHex(
                                    java.security.MessageDigest.getInstance("SHA-1").digest(tgz));
            f.up.edit(
                    "old-pkg",
                    "1.0.0",
                    v -> {
                        ObjectNode dist = (ObjectNode) v.path("dist");
                        dist.remove("integrity");
                        dist.remove("signatures");
                        dist.put("shasum", shasum);
                    });

            IngestedVersion row = f.ingest("old-pkg", "1.0.0");

            assertThat(row.state()).isEqualTo("served");
            assertThat(f.verified(row).path("signature").path("sig").asText())
                    .isEqualTo("signed:old-pkg@1.0.0:" + FakeUplink.integrity(tgz));
        }
    }

    @Test
    void anAdminsRecheckRemovesTheHoldAndTheNextRequestIngestsUnderTheCurrentPolicy()
            throws Exception {
        Path refuseDir = dir.resolve("refuse");
        java.nio.file.Files.createDirectories(refuseDir);
        try (Fixture f =
                new Fixture(refuseDir, ProxySettings.UnsignedUpstream.REFUSE, false, List.of())) {
            unsigned(f);
            assertThat(f.ingest("left-pad", "1.0.0").state()).isEqualTo("held");
            Recheck recheck = new Recheck(f.store, f.log, f.clock);

            assertThat(recheck.recheck("left-pad", "1.0.0", "root")).isTrue();

            assertThat(f.row("left-pad", "1.0.0")).isEmpty();
            Fixture.RecordingLog.Statement s = f.log.logged.getLast();
            assertThat(s.kind()).isEqualTo("proxy.recheck");
            assertThat(s.detail()).containsEntry("by", "admin:root");
            assertThat((String) s.detail().get("reason")).startsWith("not signed by uplink up");
            assertThat(recheck.recheck("left-pad", "1.0.0", "root")).isFalse();
            assertThatThrownBy(() -> recheck.recheck("left-pad", "v1.0.0", "root"))
                    .hasMessage("invalid version \"v1.0.0\": a version like 1.2.3");
        }
        // The same storage under a policy that now allows unsigned versions: served.
        try (Fixture f = new Fixture(dir.resolve("refuse"))) {
            unsigned(f);
            assertThat(f.ingest("left-pad", "1.0.0").state()).isEqualTo("served");
        }
    }

    private void unsigned(Fixture f) throws Exception {
        f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
        f.up.edit("left-pad", "1.0.0", v -> ((ObjectNode) v.path("dist")).remove("signatures"));
    }

    @Test
    void aKeyChangedAfterPinningIsReportedAndNotTrusted() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            assertThat(f.ingest("left-pad", "1.0.0").state()).isEqualTo("served"); // pins the key
            // The uplink now serves another key under the same keyid, and signs with it.
            f.up.key = FakeUplink.ec();
            f.up.serveKeys();
            f.up.publish("left-pad", "1.1.0", Tgz.of("left-pad", "1.1.0").bytes(), daysAgo(f, 1));
            f.clock.advance(UpstreamTrust.REFRESH.plusSeconds(1));

            IngestedVersion row = f.ingest("left-pad", "1.1.0");

            assertThat(f.events())
                    .anySatisfy(
                            e -> {
                                assertThat(e.kind()).isEqualTo("key.changed");
                                assertThat(e.detail())
                                        .contains("keyid " + f.up.keyid)
                                        .contains("not trusted");
                            });
            assertThat(row.state()).isEqualTo("held");
            assertThat(row.reason())
                    .contains("the signature by " + f.up.keyid + " does not verify");
            assertThat(f.trust.keys())
                    .singleElement()
                    .satisfies(k -> assertThat(k.get("keyid")).isEqualTo(f.up.keyid));
        }
    }

    @Test
    void aNewKeyIsTrustedAndReported() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            f.ingest("left-pad", "1.0.0");
            String first = f.up.keyid;
            f.up.key = FakeUplink.ec();
            f.up.keyid = FakeUplink.keyid(f.up.key);
            f.up.serveKeys();
            f.clock.advance(UpstreamTrust.REFRESH.plusSeconds(1));

            assertThat(f.trust.keys())
                    .extracting(k -> k.get("keyid"))
                    .containsExactly(first, f.up.keyid);
            assertThat(f.events())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.kind()).isEqualTo("key.added");
                                assertThat(e.detail()).contains(f.up.keyid);
                            });
        }
    }

    @Test
    void keysAreAskedAgainOnlyAfterTheRefreshInterval() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.trust.keys();
            f.trust.keys();
            assertThat(f.up.requestsFor("/-/npm/v1/keys")).isEqualTo(1);
            f.clock.advance(UpstreamTrust.REFRESH);
            f.trust.keys();
            assertThat(f.up.requestsFor("/-/npm/v1/keys")).isEqualTo(2);
        }
    }

    @Test
    void keysLoadedBeforeStillHoldWhenTheUplinkIsDown() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.trust.keys();
            f.up.down = true;
            f.clock.advance(UpstreamTrust.REFRESH.plusSeconds(1));

            assertThat(f.trust.keys()).extracting(k -> k.get("keyid")).containsExactly(f.up.keyid);
            long asked = f.up.requests.size();
            f.trust.keys(); // within the retry interval: not asked again
            assertThat(f.up.requests).hasSize((int) asked);
        }
    }

    @Test
    void noKeysAndAnUplinkThatIsDownIsABadGateway() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            com.fasterxml.jackson.databind.JsonNode doc = f.doc("left-pad");
            f.up.down = true;

            assertThat(f.judge.holds(f.up.uplink, "left-pad", doc)).isEmpty();
            assertThatThrownBy(() -> f.ingest.ingest(f.up.uplink, "left-pad", "1.0.0", doc))
                    .isInstanceOfSatisfying(
                            Problem.class,
                            p -> assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_GATEWAY))
                    .hasMessageContaining("uplink up could not be reached");
            assertThat(f.row("left-pad", "1.0.0")).isEmpty();
        }
    }

    @Test
    void anIntegrityMismatchStoresNothingAndIsReported() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            byte[] other = Tgz.of("left-pad", "6.6.6").bytes();
            f.up.files.put("/left-pad/-/left-pad-1.0.0.tgz", other);

            assertThatThrownBy(() -> f.ingest("left-pad", "1.0.0"))
                    .isInstanceOfSatisfying(
                            Problem.class,
                            p -> assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_GATEWAY))
                    .hasMessageContaining("does not have the integrity its packument gives");

            assertThat(f.row("left-pad", "1.0.0")).isEmpty();
            assertThat(
                            f.blobs.get(
                                    dev.warden.common.Digests.hex(
                                            dev.warden.common.Digests.digest("SHA-512", other))))
                    .isEmpty();
            assertThat(f.events())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.kind()).isEqualTo("tarball.mismatch");
                                assertThat(e.detail()).contains("sha512");
                            });
            assertThat(f.log.recorded).isEmpty();
        }
    }

    @Test
    void aTarballChangedUpstreamAfterIngestChangesNothingAndIsReported() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            byte[] first = Tgz.of("left-pad", "1.0.0").bytes();
            f.up.publish("left-pad", "1.0.0", first, daysAgo(f, 3));
            IngestedVersion row = f.ingest("left-pad", "1.0.0");
            // The uplink republishes 1.0.0 with other bytes, correctly signed.
            f.up.publish(
                    "left-pad",
                    "1.0.0",
                    Tgz.of("left-pad", "1.0.0").file("x.js", "1").bytes(),
                    daysAgo(f, 3));

            Map<String, String> holds = f.holds("left-pad");
            IngestedVersion again = f.ingest("left-pad", "1.0.0");

            assertThat(holds).isEmpty();
            assertThat(again).isEqualTo(f.row("left-pad", "1.0.0").orElseThrow());
            assertThat(again.integrity()).isEqualTo(row.integrity());
            assertThat(f.blob(again.blobKey())).isEqualTo(first);
            assertThat(f.events())
                    .singleElement()
                    .satisfies(
                            e -> {
                                assertThat(e.kind()).isEqualTo("tarball.changed");
                                assertThat(e.version()).isEqualTo("1.0.0");
                                assertThat(e.detail()).contains("the ingested tarball is kept");
                            });
            assertThat(f.up.requestsFor(".tgz")).isEqualTo(1);
        }
    }

    @Test
    void aTarballOnAnotherOriginIsHeldAndNeverFetched() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));
            f.up.edit(
                    "left-pad",
                    "1.0.0",
                    v ->
                            ((ObjectNode) v.path("dist"))
                                    .put("tarball", "http://198.51.100.7/left-pad-1.0.0.tgz"));

            assertThat(f.holds("left-pad").get("1.0.0"))
                    .isEqualTo(
                            "its tarball is on another origin (http://198.51.100.7) than uplink"
                                    + " up");
            assertThatThrownBy(() -> f.ingest("left-pad", "1.0.0"))
                    .hasMessageContaining("is not on uplink up's origin");
            assertThat(f.up.requestsFor(".tgz")).isZero();
        }
    }

    @Test
    void aVersionTheUplinkDoesNotHaveIsNotFound() throws Exception {
        try (Fixture f = new Fixture(dir)) {
            f.up.publish("left-pad", "1.0.0", Tgz.of("left-pad", "1.0.0").bytes(), daysAgo(f, 3));

            assertThatThrownBy(() -> f.ingest("left-pad", "9.9.9"))
                    .isInstanceOfSatisfying(
                            Problem.class,
                            p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND))
                    .hasMessage("left-pad@9.9.9 is not in uplink up");
        }
    }
}
