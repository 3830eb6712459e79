package dev.warden.proxy;

import static dev.warden.proxy.Harness.T0;
import static dev.warden.proxy.Harness.packument;
import static dev.warden.proxy.Harness.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Problem;
import dev.warden.storage.Upstreams.IngestedVersion;
import dev.warden.storage.Upstreams.Quarantine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One version: its document, its tarball (refused with the reason or served), attestations. */
class UpstreamVersionsTest {

    @TempDir Path dir;
    Harness h;

    @BeforeEach
    void open() {
        h = new Harness(dir, Harness.settings(Duration.ofHours(72), List.of(), List.of()));
        ObjectNode doc = packument("pkg");
        version(doc, "1.0.0", Duration.ofDays(30));
        version(doc, "1.1.0", Duration.ofDays(20));
        version(doc, "1.2.0", Duration.ofDays(10));
        version(doc, "2.0.0", Duration.ofHours(5));
        ((ObjectNode) doc.at("/versions/1.0.0/dist"))
                .putObject("attestations")
                .put("url", "https://elsewhere.invalid/-/npm/v1/attestations/pkg@1.0.0");
        h.publish("pkg", doc, "\"a\"");
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .insertVersion(row("1.0.0", "served", null, "{\"a\":1}".getBytes()));
                    tx.upstreams()
                            .insertVersion(
                                    row("1.1.0", "held", "not signed by uplink public", null));
                    tx.upstreams()
                            .quarantine(
                                    new Quarantine(
                                            "pkg", "1.2.0", "steals tokens", "admin:root", T0));
                    return null;
                });
    }

    @AfterEach
    void close() {
        h.close();
    }

    private static IngestedVersion row(String v, String state, String reason, byte[] attestations) {
        return new IngestedVersion(
                "pkg",
                v,
                "public",
                "sha512-kept-" + v,
                state.equals("served") ? "abcd" : null,
                state.equals("served") ? 1234 : 0,
                state,
                reason,
                "{}",
                attestations,
                T0,
                null);
    }

    @Test
    void anIngestedVersionIsServedFromItsBlob() {
        assertThat(h.proxy.tarball("pkg", "1.0.0"))
                .contains(new Proxy.Tarball("abcd", 1234, "sha512-kept-1.0.0"));
    }

    @Test
    void aHeldVersionIsRefusedWithItsReason() {
        Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.tarball("pkg", "1.1.0"));
        assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
        assertThat(p.getMessage()).isEqualTo("pkg@1.1.0 is held: not signed by uplink public");
    }

    @Test
    void aQuarantinedVersionIsRefusedWithItsReasonAndSource() {
        Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.tarball("pkg", "1.2.0"));
        assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
        assertThat(p.getMessage())
                .isEqualTo("pkg@1.2.0 is quarantined: steals tokens (admin:root)");
    }

    @Test
    void aQuarantineOfAnIngestedVersionWinsOverItsBlob() {
        h.store.write(
                tx -> {
                    tx.upstreams()
                            .quarantine(new Quarantine("pkg", "*", "malicious", "MAL-2026-9", T0));
                    return null;
                });
        Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.tarball("pkg", "1.0.0"));
        assertThat(p.getMessage()).isEqualTo("pkg@1.0.0 is quarantined: malicious (MAL-2026-9)");
    }

    @Test
    void aYoungVersionIsRefusedWithTheMinimumAge() {
        Problem p = catchThrowableOfType(Problem.class, () -> h.proxy.tarball("pkg", "2.0.0"));
        assertThat(p.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
        assertThat(p.getMessage())
                .isEqualTo(
                        "pkg@2.0.0 is younger than this registry's minimum release age of 72"
                                + " hours");
    }

    @Test
    void aVersionTheUplinkDoesNotHaveIsNotFound() {
        assertThat(h.proxy.tarball("pkg", "9.9.9")).isEmpty();
        assertThat(h.proxy.tarball("pkg", "not-a-version")).isEmpty();
        assertThat(h.proxy.tarball("absent", "1.0.0")).isEmpty();
    }

    @Test
    void versionDocumentsByVersionAndByTag() {
        assertThat(h.proxy.version("pkg", "1.0.0").orElseThrow().at("/dist/tarball").asText())
                .isEqualTo("https://warden.invalid/pkg/-/pkg-1.0.0.tgz");
        // latest (2.0.0) is too young: the tag moved to 1.0.0, the newest servable version.
        assertThat(h.proxy.version("pkg", "latest").orElseThrow().get("version").asText())
                .isEqualTo("1.0.0");
        assertThat(h.proxy.version("pkg", "3.0.0")).isEmpty();
    }

    @Test
    void aRestrictedOrYoungVersionDocumentIsRefusedWithTheReason() {
        Problem held = catchThrowableOfType(Problem.class, () -> h.proxy.version("pkg", "1.1.0"));
        assertThat(held.kind()).isEqualTo(Problem.Kind.FORBIDDEN);
        assertThat(held.getMessage()).isEqualTo("pkg@1.1.0: not signed by uplink public");
        Problem young = catchThrowableOfType(Problem.class, () -> h.proxy.version("pkg", "2.0.0"));
        assertThat(young.getMessage())
                .isEqualTo(
                        "pkg@2.0.0 is younger than this registry's minimum release age of 72"
                                + " hours");
    }

    @Test
    void keptAttestationsAreServedUnchanged() {
        assertThat(h.proxy.attestations("pkg", "1.0.0"))
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":1}"));
    }

    @Test
    void attestationsNotYetKeptAreFetchedFromTheUplinksOwnOrigin() {
        ObjectNode doc = packument("other");
        version(doc, "1.0.0", Duration.ofDays(30));
        ((ObjectNode) doc.at("/versions/1.0.0/dist"))
                .putObject("attestations")
                .put("url", "https://elsewhere.invalid/-/npm/v1/attestations/other@1.0.0");
        h.publish("other", doc, "\"b\"");
        h.upstream.put(
                java.net.URI.create("https://upstream.invalid/-/npm/v1/attestations/other@1.0.0"),
                "{\"attestations\":[]}",
                null);

        assertThat(h.proxy.attestations("other", "1.0.0"))
                .hasValueSatisfying(
                        b -> assertThat(new String(b)).isEqualTo("{\"attestations\":[]}"));
        assertThat(h.upstream.requests.getLast().uri().getHost()).isEqualTo("upstream.invalid");
    }

    @Test
    void attestationsNamedWithADoubleSlashPathStayOnTheUplinksOrigin() {
        // Inert: a path that URI.resolve would read as another host (a TEST-NET address).
        ObjectNode doc = packument("other");
        version(doc, "1.0.0", Duration.ofDays(30));
        ((ObjectNode) doc.at("/versions/1.0.0/dist"))
                .putObject("attestations")
                .put("url", "https://upstream.invalid//198.51.100.7/latest/meta-data/");
        h.publish("other", doc, "\"b\"");
        h.upstream.put(
                java.net.URI.create("https://198.51.100.7/latest/meta-data/"), "secret", null);

        assertThat(h.proxy.attestations("other", "1.0.0")).isEmpty();
        assertThat(h.upstream.all)
                .extracting(r -> r.uri().getHost())
                .containsOnly("upstream.invalid");
    }

    @Test
    void aVersionSpelledOtherwiseThanThePackumentsKeysIsNotAnyVersion() {
        // The uplink's packument has a key "v2.0.0" beside the young 2.0.0.
        ObjectNode doc = packument("pkg");
        version(doc, "1.0.0", Duration.ofDays(30));
        version(doc, "2.0.0", Duration.ofHours(5));
        ((ObjectNode) doc.get("versions")).set("v2.0.0", doc.at("/versions/2.0.0").deepCopy());
        h.publish("pkg", doc, "\"v\"");

        assertThat(h.proxy.tarball("pkg", "v2.0.0")).isEmpty();
        assertThat(h.proxy.tarball("pkg", " 2.0.0")).isEmpty();
        assertThat(h.proxy.attestations("pkg", "v2.0.0")).isEmpty();
        assertThat(h.upstream.requests).noneMatch(r -> r.uri().getPath().endsWith(".tgz"));
    }
}
