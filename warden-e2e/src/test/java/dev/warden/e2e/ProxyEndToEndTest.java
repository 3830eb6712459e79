package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.e2e.ProxyFixture.ProxyWarden;
import dev.warden.e2e.VerifyFixture.Client;
import dev.warden.server.testing.Http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warden as a verifying proxy of another Warden (real registry signatures, provenance from its
 * private Sigstore), with npm, pnpm and yarn installing through it; every tampering is done by the
 * {@link TamperingFront} between the two, each on its own package so one proxy serves the class.
 */
class ProxyEndToEndTest {

    static ProxyFixture fixture;

    /** Minimum release age 72 hours, unsigned versions allowed, install scripts allowed. */
    static ProxyWarden proxy;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        fixture = ProxyFixture.start(dir);
        // set before anything is fetched: the proxy first sees these versions tampered with
        fixture.front.forgeSignature("px-forged", "1.0.0");
        fixture.front.attestationsFrom("px-bundled", "1.1.0", "1.0.0");
        fixture.front.dropAttestations("px-downgrade", "1.1.0");
        proxy =
                fixture.proxy(
                        "main",
                        "minimum_release_age_hours = 72\n"
                                + "unsigned_upstream = \"allow\"\n"
                                + "install_scripts = \"allow\"\n");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** The version of {@code name} installed in a project, or null. */
    static String installed(Client client, String project, String name) throws Exception {
        return installed(proxy, client, project, name);
    }

    static String installed(ProxyWarden proxy, Client client, String project, String name)
            throws Exception {
        Path pkg =
                proxy.project(client, project)
                        .resolve("node_modules")
                        .resolve(name)
                        .resolve("package.json");
        return Files.exists(pkg) ? ProxyFixture.version(pkg) : null;
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void installsThroughTheProxyTheOlderVersionWhileTheNewerIsTooYoung(Client client)
            throws Exception {
        Clients.Run run =
                proxy.install(
                        client,
                        "app",
                        Map.of(
                                "@px/widget", "1.0.0",
                                "px-aged", "^1.0.0",
                                "px-plain", "1.0.0",
                                "px-scripted", "1.0.0"));
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(installed(client, "app", "@px/widget")).isEqualTo("1.0.0");
        // pnpm links only direct dependencies at the top; the rest are under .pnpm/node_modules
        assertThat(
                        installed(
                                client,
                                "app",
                                client == Client.PNPM ? ".pnpm/node_modules/@px/core" : "@px/core"))
                .isEqualTo("1.0.0");
        assertThat(installed(client, "app", "px-plain")).isEqualTo("1.0.0");
        assertThat(installed(client, "app", "px-scripted")).isEqualTo("1.0.0");
        // px-aged@1.1.0 was published upstream just now: hidden, so ^1.0.0 resolves to 1.0.0
        assertThat(installed(client, "app", "px-aged")).isEqualTo("1.0.0");
    }

    @Test
    void aVersionYoungerThanTheMinimumAgeIsHiddenAndRefused() throws Exception {
        JsonNode doc = proxy.packument("px-aged").json();
        assertThat(doc.path("versions").has("1.0.0")).isTrue();
        assertThat(doc.path("versions").has("1.1.0")).isFalse();
        assertThat(doc.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        // upstream, 1.1.0 is the latest
        assertThat(
                        fixture.upstreamHttp()
                                .get("/px-aged")
                                .json()
                                .path("dist-tags")
                                .path("latest")
                                .asText())
                .isEqualTo("1.1.0");

        Http.Result tarball = proxy.http().get("/px-aged/-/px-aged-1.1.0.tgz");
        assertThat(tarball.status()).isEqualTo(403);
        assertThat(tarball.body())
                .contains(
                        "px-aged@1.1.0 is younger than this registry's minimum release age of 72"
                                + " hours");

        Clients.Run exact = proxy.install(Client.NPM, "young", Map.of("px-aged", "1.1.0"));
        assertThat(exact.exit()).isNotZero();
        assertThat(exact.all()).contains("No matching version found for px-aged@1.1.0");
    }

    /**
     * npm's own signature check (pacote, as npm install and npm audit signatures run it) behind the
     * proxy: the upstream's signature is served unchanged beside the proxy's own, and the proxy's
     * key list carries both keys.
     */
    @Test
    void pacoteBehindTheProxyChecksTheUpstreamsSignatureAndTheProxysOwn(@TempDir Path dir)
            throws Exception {
        assertThat(proxy.http().get("/px-plain/-/px-plain-1.0.0.tgz").status()).isEqualTo(200);
        String upstreamKey =
                fixture.upstreamHttp()
                        .get("/-/npm/v1/keys")
                        .json()
                        .path("keys")
                        .get(0)
                        .path("keyid")
                        .asText();
        JsonNode keys = proxy.http().get("/-/npm/v1/keys").json();
        List<String> keyIds = keys.path("keys").findValuesAsText("keyid");
        assertThat(keyIds).contains(upstreamKey).hasSize(2);
        List<String> signedBy =
                proxy.packument("px-plain")
                        .json()
                        .path("versions")
                        .path("1.0.0")
                        .path("dist")
                        .path("signatures")
                        .findValuesAsText("keyid");
        assertThat(signedBy).containsExactlyInAnyOrderElementsOf(keyIds);

        JsonNode ok = RegistrySignaturesTest.pacote(dir, proxy.url(), "px-plain@1.0.0", keys, null);
        assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.path("signatures").asInt()).isEqualTo(2);

        JsonNode tampered =
                RegistrySignaturesTest.pacote(dir, proxy.url(), "px-plain@1.0.0", keys, "tamper");
        assertThat(tampered.path("code").asText())
                .as(tampered.toString())
                .isEqualTo("EINTEGRITYSIGNATURE");
    }

    @Test
    void anUpstreamTarballChangedAfterTheFirstFetchIsRefused() throws Exception {
        Clients.Run first = proxy.install(Client.NPM, "swap-before", Map.of("px-swapped", "1.0.0"));
        assertThat(first.exit()).as(first.all()).isZero();
        byte[] verified = proxy.http().get("/px-swapped/-/px-swapped-1.0.0.tgz").bytes();

        byte[] other =
                ProxyFixture.tarball(
                        "px-swapped",
                        "1.0.0",
                        Map.of(),
                        null,
                        VerifyFixture.ACME,
                        "require('child_process'); // republished\n");
        try (Tampering.Undo u = fixture.front.swapTarball("px-swapped", "1.0.0", other, true)) {
            // the upstream now names other bytes for the same version
            assertThat(
                            new Http(fixture.front.url())
                                    .get("/px-swapped/-/px-swapped-1.0.0.tgz")
                                    .bytes())
                    .isEqualTo(other);
            proxy.packument("px-swapped");
            assertThat(proxy.http().get("/px-swapped/-/px-swapped-1.0.0.tgz").bytes())
                    .isEqualTo(verified);
            Clients.Run again =
                    proxy.install(Client.NPM, "swap-after", Map.of("px-swapped", "1.0.0"));
            assertThat(again.exit()).as(again.all()).isZero();
            Path index =
                    proxy.project(Client.NPM, "swap-after")
                            .resolve("node_modules/px-swapped/index.js");
            assertThat(Files.readString(index)).doesNotContain("republished");
            assertThat(kinds("px-swapped")).contains("tarball.changed");
        }
    }

    @Test
    void aTarballThatIsNotTheOneThePackumentNamesIsRefusedAndNothingIsKept() throws Exception {
        byte[] other =
                ProxyFixture.tarball("px-mismatch", "1.0.0", Map.of(), null, null, "// swapped\n");
        try (Tampering.Undo u = fixture.front.swapTarball("px-mismatch", "1.0.0", other, false)) {
            Clients.Run run = proxy.install(Client.NPM, "mismatch", Map.of("px-mismatch", "1.0.0"));
            assertThat(run.exit()).isNotZero();
            assertThat(run.all()).contains("px-mismatch");
            assertThat(kinds("px-mismatch")).contains("tarball.mismatch");
            Http.Result tarball = proxy.http().get("/px-mismatch/-/px-mismatch-1.0.0.tgz");
            assertThat(tarball.status()).as(tarball.body()).isIn(403, 502);
        }
        // nothing of the swapped bytes was kept: the real tarball is fetched and served
        Clients.Run run =
                proxy.install(Client.NPM, "mismatch-after", Map.of("px-mismatch", "1.0.0"));
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(
                        Files.readString(
                                proxy.project(Client.NPM, "mismatch-after")
                                        .resolve("node_modules/px-mismatch/index.js")))
                .doesNotContain("swapped");
    }

    @Test
    void aForgedSignatureIsHeldWithTheReason() throws Exception {
        Clients.Run run = proxy.install(Client.NPM, "forged", Map.of("px-forged", "1.0.0"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.all())
                .contains("px-forged@1.0.0")
                .contains("the registry signature of uplink up does not hold");
    }

    @Test
    void aBundleForAnotherTarballIsHeldWithTheReason() throws Exception {
        Clients.Run run = proxy.install(Client.NPM, "bundled", Map.of("px-bundled", "1.1.0"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.all()).contains("px-bundled@1.1.0").contains("provenance does not verify");
        Http.Result tarball = proxy.http().get("/px-bundled/-/px-bundled-1.1.0.tgz");
        assertThat(tarball.status()).isEqualTo(403);
        assertThat(tarball.body()).contains("provenance does not verify");
        // the version whose bundle it is installs
        Clients.Run older =
                proxy.install(Client.NPM, "bundled-older", Map.of("px-bundled", "1.0.0"));
        assertThat(older.exit()).as(older.all()).isZero();
    }

    @Test
    void aProvenanceDowngradeIsHeldWithTheReason() throws Exception {
        Clients.Run run = proxy.install(Client.NPM, "downgrade", Map.of("px-downgrade", "1.1.0"));
        assertThat(run.exit()).isNotZero();
        assertThat(run.all()).contains("px-downgrade@1.1.0").contains("provenance downgrade");
        // a range takes the version before it
        Clients.Run range =
                proxy.install(Client.NPM, "downgrade-range", Map.of("px-downgrade", "^1.0.0"));
        assertThat(range.exit()).as(range.all()).isZero();
        assertThat(installed(Client.NPM, "downgrade-range", "px-downgrade")).isEqualTo("1.0.0");
    }

    @Test
    void whileTheUplinkIsStoppedCachedPackagesStillInstall() throws Exception {
        // a proxy of its own: after an uplink failed, a proxy leaves it alone for a while
        ProxyWarden outage = fixture.proxy("outage", "unsigned_upstream = \"allow\"\n");
        Map<String, String> deps = Map.of("@px/widget", "1.0.0", "px-plain", "1.0.0");
        Clients.Run warm = outage.install(Client.NPM, "cached-first", deps);
        assertThat(warm.exit()).as(warm.all()).isZero();
        assertThat(outage.packument("px-plain").header("Warden-Uplink"))
                .startsWith("up; state=fresh; checked=");

        fixture.stopUpstream();
        try {
            Clients.Run run = outage.install(Client.NPM, "cached-stopped", deps);
            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(installed(outage, Client.NPM, "cached-stopped", "@px/core"))
                    .isEqualTo("1.0.0");
            Http.Result doc = outage.packument("px-plain");
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.header("Warden-Uplink")).startsWith("up; state=stale; checked=");
            // what was never fetched cannot be served
            Http.Result never = outage.packument("px-scripted");
            assertThat(never.status()).isEqualTo(502);
            assertThat(never.body()).contains("uplink up could not be reached");
        } finally {
            fixture.startUpstream();
        }
    }

    /** The kinds of the proxy's events about {@code name}. */
    static List<String> kinds(String name) throws Exception {
        List<String> kinds = new ArrayList<>();
        for (JsonNode e : proxy.events()) {
            if (name.equals(e.path("name").asText())) {
                kinds.add(e.path("kind").asText());
            }
        }
        return kinds;
    }
}
