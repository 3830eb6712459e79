package dev.warden.proxy;

import static dev.warden.proxy.Harness.T0;
import static dev.warden.proxy.Harness.packument;
import static dev.warden.proxy.Harness.version;

import static org.assertj.core.api.Assertions.assertThat;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.Quarantine;
import dev.warden.verify.Integrity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The documents clients get: aged, restricted, rewritten to this registry. */
class ClientPackumentsTest {

    static final Duration DAY = Duration.ofDays(1);
    static final Duration AGE = Duration.ofHours(72);

    @TempDir Path dir;
    Harness h;

    @AfterEach
    void close() {
        h.close();
    }

    private Harness aged(List<String> exclude) {
        return new Harness(dir, Harness.settings(AGE, exclude, List.of()));
    }

    /** 1.0.0 (400 days), 1.1.0 (10 days), 2.0.0-rc.1 (5 days), 1.2.0 (1 day), 2.0.0 (2 hours). */
    private static ObjectNode releases(String name) {
        ObjectNode doc = packument(name);
        version(doc, "1.0.0", DAY.multipliedBy(400));
        version(doc, "1.1.0", DAY.multipliedBy(10));
        version(doc, "2.0.0-rc.1", DAY.multipliedBy(5));
        version(doc, "1.2.0", DAY);
        version(doc, "2.0.0", Duration.ofHours(2));
        ((ObjectNode) doc.get("dist-tags"))
                .put("latest", "2.0.0")
                .put("next", "2.0.0-rc.1")
                .put("legacy", "1.2.0");
        return doc;
    }

    @Test
    void versionsYoungerThanTheMinimumAgeAreHiddenAndTagsMoveToTheNewestOldEnough() {
        h = aged(List.of());
        h.publish("pkg", releases("pkg"), "\"a\"");

        JsonNode full = Harness.full(h.proxy.packument("pkg").orElseThrow());

        assertThat(names(full.get("versions"))).containsExactly("1.0.0", "1.1.0", "2.0.0-rc.1");
        assertThat(full.get("time").has("1.2.0")).isFalse();
        assertThat(full.get("time").has("2.0.0")).isFalse();
        assertThat(full.get("time").has("1.1.0")).isTrue();
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("1.1.0");
        assertThat(full.at("/dist-tags/legacy").asText()).isEqualTo("1.1.0");
        assertThat(full.at("/dist-tags/next").asText()).isEqualTo("2.0.0-rc.1");
        assertThat(full.has("policyRestrictions")).isFalse();
    }

    @Test
    void aMovedTagTakesNoPrereleaseUnlessItsVersionIsOne() {
        h = aged(List.of());
        ObjectNode doc = packument("pre");
        version(doc, "1.0.0-beta.1", DAY.multipliedBy(30));
        version(doc, "1.0.0", Duration.ofHours(1));
        h.publish("pre", doc, "\"a\"");

        JsonNode full = Harness.full(h.proxy.packument("pre").orElseThrow());

        // latest (1.0.0) is young; the only old version is a prerelease, which a stable tag does
        // not move to, but latest must exist while a version is servable.
        assertThat(names(full.get("versions"))).containsExactly("1.0.0-beta.1");
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("1.0.0-beta.1");
    }

    @Test
    void aTagWithNoServableVersionBelowItIsDropped() {
        h = aged(List.of());
        ObjectNode doc = releases("drop");
        ((ObjectNode) doc.get("dist-tags")).put("old", "0.9.0");
        h.publish("drop", doc, "\"a\"");

        JsonNode full = Harness.full(h.proxy.packument("drop").orElseThrow());

        assertThat(full.get("dist-tags").has("old")).isFalse();
    }

    @Test
    void aVersionWithoutATimeCountsAsYoung() {
        h = aged(List.of());
        ObjectNode doc = releases("notime");
        ((ObjectNode) doc.get("time")).remove("1.1.0");
        h.publish("notime", doc, "\"a\"");

        JsonNode full = Harness.full(h.proxy.packument("notime").orElseThrow());

        assertThat(names(full.get("versions"))).containsExactly("1.0.0", "2.0.0-rc.1");
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("1.0.0");
    }

    @Test
    void anExemptNameIsNotAged() {
        h = aged(List.of("@acme/*"));
        h.publish("@acme/tool", releases("@acme/tool"), "\"a\"");

        JsonNode full = Harness.full(h.proxy.packument("@acme/tool").orElseThrow());

        assertThat(names(full.get("versions"))).hasSize(5);
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("2.0.0");
    }

    @Test
    void aHiddenVersionAppearsWhenItComesOfAgeWithoutAskingTheUplink() {
        h = aged(List.of());
        h.publish("pkg", releases("pkg"), "\"a\"");
        Proxy.Served before = h.proxy.packument("pkg").orElseThrow();
        // 1.2.0 was published a day before T0: it comes of age two days after T0.
        h.clock.advance(Duration.ofHours(48).minusSeconds(1));
        assertThat(h.proxy.cachedPackument("pkg")).isNull(); // checked 2 days ago
        h.proxy.packument("pkg").orElseThrow();
        int requests = h.upstream.requestsFor(Harness.uri("pkg")).size();
        assertThat(names(Harness.full(h.proxy.packument("pkg").orElseThrow()).get("versions")))
                .doesNotContain("1.2.0");

        h.clock.advance(Duration.ofSeconds(1));
        assertThat(h.proxy.cachedPackument("pkg")).isNull();
        Proxy.Served after = h.proxy.packument("pkg").orElseThrow();

        JsonNode full = Harness.full(after);
        assertThat(names(full.get("versions"))).contains("1.2.0").doesNotContain("2.0.0");
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("1.2.0");
        assertThat(after.doc().rev()).isGreaterThan(before.doc().rev());
        assertThat(h.upstream.requestsFor(Harness.uri("pkg"))).hasSize(requests);
    }

    @Test
    void quarantinedAndHeldVersionsAreRestrictedWithTheirReason() {
        h = new Harness(dir);
        ObjectNode doc = releases("pkg");
        h.publish("pkg", doc, "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .quarantine(
                                    new Quarantine(
                                            "pkg", "2.0.0", "steals tokens", "MAL-2026-1", T0));
                    tx.upstreams()
                            .insertVersion(
                                    new IngestedVersion(
                                            "pkg",
                                            "1.2.0",
                                            "public",
                                            "sha512-x",
                                            null,
                                            0,
                                            "held",
                                            "provenance downgrade: 1.1.0 had provenance from"
                                                    + " github.com/o/r, 1.2.0 has none",
                                            "{}",
                                            null,
                                            T0,
                                            null));
                    return null;
                });

        JsonNode full = Harness.full(h.proxy.packument("pkg").orElseThrow());

        assertThat(names(full.get("versions"))).containsExactly("1.0.0", "1.1.0", "2.0.0-rc.1");
        assertThat(names(full.at("/policyRestrictions/versions")))
                .containsExactly("1.2.0", "2.0.0");
        assertThat(full.at("/policyRestrictions/versions/2.0.0/version").asText())
                .isEqualTo("2.0.0");
        assertThat(full.at("/policyRestrictions/message").asText())
                .isEqualTo(
                        "pkg@1.2.0: provenance downgrade: 1.1.0 had provenance from github.com/o/r,"
                                + " 1.2.0 has none; pkg@2.0.0: quarantined: steals tokens"
                                + " (MAL-2026-1)");
        assertThat(full.at("/dist-tags/latest").asText()).isEqualTo("1.1.0");
        assertThat(full.at("/dist-tags/legacy").asText()).isEqualTo("1.1.0");
        assertThat(
                        Harness.abbreviated(h.proxy.packument("pkg").orElseThrow())
                                .get("policyRestrictions"))
                .isEqualTo(full.get("policyRestrictions"));
    }

    @Test
    void aQuarantineOfEveryVersionRestrictsThemAllAndLeavesNoTag() {
        h = new Harness(dir);
        h.publish("bad", releases("bad"), "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .quarantine(
                                    new Quarantine(
                                            "bad", "*", "malicious package", "MAL-2026-2", T0));
                    return null;
                });

        JsonNode full = Harness.full(h.proxy.packument("bad").orElseThrow());

        assertThat(full.get("versions").isEmpty()).isTrue();
        assertThat(full.get("dist-tags").isEmpty()).isTrue();
        assertThat(names(full.at("/policyRestrictions/versions"))).hasSize(5);
    }

    @Test
    void tarballAndAttestationUrlsPointHereForScopedNames() {
        h = new Harness(dir);
        ObjectNode doc = packument("@scope/name");
        version(doc, "1.0.0", DAY.multipliedBy(9));
        ((ObjectNode) doc.at("/versions/1.0.0/dist"))
                .putObject("attestations")
                .put("url", "https://upstream.invalid/-/npm/v1/attestations/@scope%2fname@1.0.0")
                .putObject("provenance")
                .put("predicateType", "https://slsa.dev/provenance/v1");
        h.publish("@scope/name", doc, "\"a\"");

        Proxy.Served s = h.proxy.packument("@scope/name").orElseThrow();

        JsonNode dist = Harness.full(s).at("/versions/1.0.0/dist");
        assertThat(dist.get("tarball").asText())
                .isEqualTo("https://warden.invalid/@scope/name/-/name-1.0.0.tgz");
        assertThat(dist.at("/attestations/url").asText())
                .isEqualTo("https://warden.invalid/-/npm/v1/attestations/@scope/name@1.0.0");
        assertThat(dist.at("/attestations/provenance/predicateType").asText())
                .isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(Harness.abbreviated(s).at("/versions/1.0.0/dist/tarball").asText())
                .isEqualTo("https://warden.invalid/@scope/name/-/name-1.0.0.tgz");
        assertThat(h.upstream.requests.getFirst().uri().toString())
                .isEqualTo("https://upstream.invalid/@scope%2fname");
    }

    @Test
    void theAbbreviatedDocumentCarriesTimeAndOnlyInstallFields() {
        h = new Harness(dir);
        ObjectNode doc = releases("pkg");
        ((ObjectNode) doc.at("/versions/1.0.0"))
                .put("readme", "long text")
                .putObject("scripts")
                .put("postinstall", "node x.js");
        h.publish("pkg", doc, "\"a\"");

        JsonNode small = Harness.abbreviated(h.proxy.packument("pkg").orElseThrow());

        assertThat(small.at("/time/1.0.0").asText())
                .isEqualTo(T0.minus(DAY.multipliedBy(400)).toString());
        assertThat(small.at("/versions/1.0.0/hasInstallScript").asBoolean()).isTrue();
        assertThat(small.at("/versions/1.0.0").has("readme")).isFalse();
        assertThat(small.at("/versions/1.0.0").has("scripts")).isFalse();
        assertThat(small.get("name").asText()).isEqualTo("pkg");
        assertThat(small.get("modified").asText())
                .isEqualTo(T0.minus(Duration.ofHours(2)).toString());
    }

    @Test
    void upstreamSignaturesAreKeptAndThisRegistrysIsAddedForIngestedVersions() {
        h = new Harness(dir);
        h.publish("pkg", releases("pkg"), "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .insertVersion(
                                    new IngestedVersion(
                                            "pkg",
                                            "1.1.0",
                                            "public",
                                            "sha512-pkg-1.1.0",
                                            "ab",
                                            10,
                                            "served",
                                            null,
                                            "{\"uplink\":\"public\",\"verified\":{\"signature\":\"verified\"},"
                                                + "\"signature\":{\"keyid\":\"SHA256:own\",\"sig\":\"MEQCown\"}}",
                                            null,
                                            T0,
                                            7L));
                    return null;
                });

        JsonNode full = Harness.full(h.proxy.packument("pkg").orElseThrow());

        assertThat(full.at("/versions/1.1.0/dist/signatures").toString())
                .isEqualTo(
                        "[{\"keyid\":\"SHA256:upstream\",\"sig\":\"MEUCIQ1.1.0\"},"
                                + "{\"keyid\":\"SHA256:own\",\"sig\":\"MEQCown\"}]");
        assertThat(full.at("/versions/1.0.0/dist/signatures").toString())
                .isEqualTo("[{\"keyid\":\"SHA256:upstream\",\"sig\":\"MEUCIQ1.0.0\"}]");
        // the ingested version points to this registry's statement of it, as a local one does
        assertThat(full.at("/versions/1.1.0/_log").toString())
                .isEqualTo("{\"index\":7,\"url\":\"" + Harness.PUBLIC_URL + "-/log/\"}");
        assertThat(full.at("/versions/1.0.0").has("_log")).isFalse();
    }

    @Test
    void anIngestedVersionKeepsTheIntegrityOfTheKeptBytesWhenTheUpstreamNamesOthers() {
        h = new Harness(dir);
        h.publish("pkg", releases("pkg"), "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .insertVersion(
                                    new IngestedVersion(
                                            "pkg",
                                            "1.1.0",
                                            "public",
                                            "sha512-verified",
                                            "ab",
                                            10,
                                            "served",
                                            null,
                                            "{}",
                                            null,
                                            T0,
                                            7L));
                    return null;
                });

        JsonNode dist =
                Harness.full(h.proxy.packument("pkg").orElseThrow()).at("/versions/1.1.0/dist");

        assertThat(dist.get("integrity").asText()).isEqualTo("sha512-verified");
        assertThat(dist.has("shasum")).isFalse();
        assertThat(dist.has("signatures")).isFalse();
        assertThat(h.proxy.events(10).getFirst().kind()).isEqualTo("tarball.changed");
        assertThat(h.proxy.events(10).getFirst().version()).isEqualTo("1.1.0");
    }

    @Test
    void anUpstreamSha1ForTheKeptBytesIsNoChangeAndTheServedIntegrityIsTheSignedOne() {
        h = new Harness(dir);
        Integrity.Digests kept = Integrity.Digests.of("the tarball".getBytes(UTF_8));
        String sha1 =
                Integrity.sha1FromHex(
                        HexFormat.of().formatHex(Base64.getDecoder().decode(kept.sha1())));
        ObjectNode doc = releases("pkg");
        ObjectNode dist = (ObjectNode) doc.at("/versions/1.1.0/dist");
        dist.remove("integrity");
        dist.put("shasum", HexFormat.of().formatHex(Base64.getDecoder().decode(kept.sha1())));
        h.publish("pkg", doc, "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .insertVersion(
                                    new IngestedVersion(
                                            "pkg",
                                            "1.1.0",
                                            "public",
                                            kept.sri512(),
                                            kept.sha512Hex(),
                                            10,
                                            "served",
                                            null,
                                            "{\"upstreamIntegrity\":\""
                                                    + sha1
                                                    + "\",\"signature\":{\"keyid\":\"SHA256:own\","
                                                    + "\"sig\":\"MEQCown\"}}",
                                            null,
                                            T0,
                                            7L));
                    return null;
                });

        JsonNode served =
                Harness.full(h.proxy.packument("pkg").orElseThrow()).at("/versions/1.1.0/dist");

        assertThat(served.get("integrity").asText()).isEqualTo(kept.sri512());
        assertThat(served.at("/signatures").toString())
                .isEqualTo("[{\"keyid\":\"SHA256:own\",\"sig\":\"MEQCown\"}]");
        assertThat(h.proxy.events(10)).extracting(e -> e.kind()).doesNotContain("tarball.changed");
    }

    @Test
    void upstreamWardenFieldsAndRestrictionsAreNotPassedOn() {
        h = new Harness(dir);
        ObjectNode doc = releases("pkg");
        doc.putObject("_warden").put("governed", true);
        doc.putObject("policyRestrictions").putObject("versions");
        ((ObjectNode) doc.at("/versions/1.0.0")).putObject("_warden").put("x", 1);
        ((ObjectNode) doc.at("/versions/1.0.0"))
                .putObject("_log")
                .put("index", 3)
                .put("url", "https://upstream.invalid/-/log/");
        h.publish("pkg", doc, "\"a\"");

        Proxy.Served s = h.proxy.packument("pkg").orElseThrow();
        JsonNode full = Harness.full(s);

        assertThat(full.has("_warden")).isFalse();
        assertThat(full.has("policyRestrictions")).isFalse();
        assertThat(full.at("/versions/1.0.0").has("_warden")).isFalse();
        assertThat(full.at("/versions/1.0.0").has("_log")).isFalse();
        assertThat(full.get("_rev").asText()).isEqualTo("3-abc");
        assertThat(full.get("_id").asText()).isEqualTo("pkg");
    }

    @Test
    void theGzipFormsAndEtagsMatchTheDocuments() throws IOException {
        h = new Harness(dir);
        h.publish("pkg", releases("pkg"), "\"a\"");

        Proxy.Served s = h.proxy.packument("pkg").orElseThrow();

        try (var in = new GZIPInputStream(new ByteArrayInputStream(s.doc().fullGzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(s.doc().full());
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(s.doc().abbreviatedGzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(s.doc().abbreviated());
        }
        assertThat(s.doc().fullEtag()).isEqualTo(PackumentRender.etag(s.doc().full()));
        assertThat(s.doc().abbreviatedEtag()).isNotEqualTo(s.doc().fullEtag());
    }

    static List<String> names(JsonNode obj) {
        List<String> out = new java.util.ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
