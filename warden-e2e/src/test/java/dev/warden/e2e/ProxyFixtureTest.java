package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The proxy tests' upstream and front do what those tests take for granted: old and new publish
 * times, URLs that lead through the front, and each tampering seen by a client of the front (and
 * undone).
 */
class ProxyFixtureTest {

    static ProxyFixture fixture;
    static Http front;

    @BeforeAll
    static void start(@TempDir java.nio.file.Path dir) throws Exception {
        fixture = ProxyFixture.start(dir);
        front = new Http(fixture.front.url());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static JsonNode packument(String name) throws Exception {
        Http.Result r =
                front.get(
                        "/" + name.replace("/", "%2f"), null, Map.of("Accept", "application/json"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void olderVersionsAreTenDaysOldAndTheirUrlsLeadThroughTheFront() throws Exception {
        JsonNode aged = packument("px-aged");
        Instant now = Instant.now();
        assertThat(Duration.between(Instant.parse(aged.path("time").path("1.0.0").asText()), now))
                .isGreaterThan(Duration.ofDays(9));
        assertThat(Duration.between(Instant.parse(aged.path("time").path("1.1.0").asText()), now))
                .isLessThan(Duration.ofHours(1));
        JsonNode dist = packument("@px/widget").path("versions").path("1.0.0").path("dist");
        assertThat(dist.path("tarball").asText()).startsWith(fixture.front.url() + "/");
        assertThat(dist.path("attestations").path("url").asText())
                .startsWith(fixture.front.url() + "/-/npm/v1/attestations/");
        assertThat(dist.path("signatures").path(0).path("sig").asText()).isNotEmpty();
        assertThat(
                        packument("px-plain")
                                .path("versions")
                                .path("1.0.0")
                                .path("dist")
                                .has("attestations"))
                .isFalse();
    }

    @Test
    void aForgedSignatureKeepsTheKeyIdAndChangesTheEtag() throws Exception {
        Http.Result before = front.get("/px-forged", null, Map.of("Accept", "application/json"));
        JsonNode original = before.json().path("versions").path("1.0.0").path("dist");
        try (Tampering.Undo u = fixture.front.forgeSignature("px-forged", "1.0.0")) {
            Http.Result after =
                    front.get(
                            "/px-forged",
                            null,
                            Map.of(
                                    "Accept",
                                    "application/json",
                                    "If-None-Match",
                                    before.header("etag")));
            assertThat(after.status()).isEqualTo(200);
            JsonNode sig =
                    after.json()
                            .path("versions")
                            .path("1.0.0")
                            .path("dist")
                            .path("signatures")
                            .path(0);
            assertThat(sig.path("keyid").asText())
                    .isEqualTo(original.path("signatures").path(0).path("keyid").asText());
            assertThat(sig.path("sig").asText())
                    .isNotEqualTo(original.path("signatures").path(0).path("sig").asText());
            assertThat(
                            front.get(
                                            "/px-forged",
                                            null,
                                            Map.of("If-None-Match", after.header("etag")))
                                    .status())
                    .isEqualTo(304);
        }
        assertThat(packument("px-forged").path("versions").path("1.0.0").path("dist"))
                .isEqualTo(original);
    }

    @Test
    void aSwappedTarballIsAnsweredAndAnnouncedWithItsOwnIntegrity() throws Exception {
        byte[] other =
                ProxyFixture.tarball(
                        "px-swapped", "1.0.0", Map.of(), null, VerifyFixture.ACME, "// changed\n");
        String path = TamperingFront.tarballPath("px-swapped", "1.0.0");
        byte[] original = front.get(path).bytes();
        try (Tampering.Undo u = fixture.front.swapTarball("px-swapped", "1.0.0", other, true)) {
            assertThat(front.get(path).bytes()).isEqualTo(other);
            assertThat(
                            packument("px-swapped")
                                    .path("versions")
                                    .path("1.0.0")
                                    .path("dist")
                                    .path("integrity")
                                    .asText())
                    .isEqualTo(
                            "sha512-"
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    TamperingFront.digest("SHA-512", other)));
        }
        assertThat(front.get(path).bytes()).isEqualTo(original);
    }

    @Test
    void attestationsOfAnotherVersionAndADroppedOne() throws Exception {
        String path = TamperingFront.attestationsPath("px-bundled", "1.1.0");
        String own = front.get(path).body();
        String older = front.get(TamperingFront.attestationsPath("px-bundled", "1.0.0")).body();
        assertThat(own).isNotEqualTo(older);
        try (Tampering.Undo u = fixture.front.attestationsFrom("px-bundled", "1.1.0", "1.0.0")) {
            assertThat(front.get(path).body()).isEqualTo(older);
        }
        try (Tampering.Undo u = fixture.front.dropAttestations("px-downgrade", "1.1.0")) {
            JsonNode versions = packument("px-downgrade").path("versions");
            assertThat(versions.path("1.1.0").path("dist").has("attestations")).isFalse();
            assertThat(versions.path("1.0.0").path("dist").has("attestations")).isTrue();
        }
    }

    @Test
    void aStoppedUpstreamIsABadGatewayUntilItIsBack() throws Exception {
        fixture.stopUpstream();
        try {
            assertThat(front.get("/px-plain").status()).isEqualTo(502);
        } finally {
            fixture.startUpstream();
        }
        assertThat(front.get("/px-plain").status()).isEqualTo(200);
    }
}
