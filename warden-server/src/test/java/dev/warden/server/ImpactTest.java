package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * High-impact packages: counted from dependents and weekly downloads, shown in the API, and held to
 * the floor.
 */
class ImpactTest {

    @Test
    void aPackageOthersDependOnIsHighImpactAndHeldToTheFloor() throws Exception {
        try (TestServer server =
                TestServer.start(
                        Map.of(
                                "governance.high_impact_dependents",
                                "1",
                                "governance.high_impact_weekly_downloads",
                                "3"))) {
            Http http = server.http();
            String ia = server.token("impact-a");
            String ib = server.token("impact-b");
            assertThat(
                            http.put(
                                            Tarballs.path("core-lib"),
                                            ia,
                                            Tarballs.publishBody("core-lib", "1.0.0"))
                                    .status())
                    .isEqualTo(200);
            assertThat(
                            http.put(
                                            Tarballs.path("quiet-lib"),
                                            ia,
                                            Tarballs.publishBody("quiet-lib", "1.0.0"))
                                    .status())
                    .isEqualTo(200);
            JsonNode before = http.get("/-/package/core-lib/impact").json();
            assertThat(before.path("highImpact").asBoolean()).isFalse();
            assertThat(before.path("dependents").asInt()).isZero();

            var manifest = Tarballs.manifest("user-lib", "1.0.0");
            manifest.putObject("dependencies").put("core-lib", "^1.0.0");
            assertThat(
                            http.put(
                                            Tarballs.path("user-lib"),
                                            ib,
                                            Tarballs.publishBody(
                                                    manifest, Tarballs.packageTgz(manifest)))
                                    .status())
                    .isEqualTo(200);
            JsonNode after = http.get("/-/package/core-lib/impact").json();
            assertThat(after.path("dependents").asInt()).isEqualTo(1);
            assertThat(after.path("highImpact").asBoolean()).isTrue();
            assertThat(http.get("/-/package/no-such-lib/impact").status()).isEqualTo(404);

            // downloads count too, before they are flushed
            for (int i = 0; i < 3; i++) {
                assertThat(http.get("/quiet-lib/-/quiet-lib-1.0.0.tgz").status()).isEqualTo(200);
            }
            JsonNode downloaded = http.get("/-/package/quiet-lib/impact").json();
            assertThat(downloaded.path("weeklyDownloads").asLong()).isEqualTo(3);
            assertThat(downloaded.path("highImpact").asBoolean()).isTrue();

            // the floor: two-factor authentication to change it ...
            Http.Result no2fa =
                    http.put(
                            Tarballs.path("core-lib"),
                            ia,
                            Tarballs.publishBody("core-lib", "1.1.0"));
            assertThat(no2fa.status()).isEqualTo(403);
            assertThat(no2fa.error()).contains("two-factor");
            server.enableTwoFactor("impact-a", ia, "auth-only");
            assertThat(
                            http.put(
                                            Tarballs.path("core-lib"),
                                            ia,
                                            Tarballs.publishBody("core-lib", "1.1.0"))
                                    .status())
                    .isEqualTo(200);
            // ... and, with two maintainers, another maintainer's approval for a release
            JsonNode doc = http.get("/core-lib?write=true").json();
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc)
                    .putArray("maintainers")
                    .add("impact-a")
                    .add("impact-b");
            assertThat(http.put("/core-lib/-rev/" + doc.path("_rev").asText(), ia, doc).status())
                    .isEqualTo(200);
            JsonNode governance = http.get("/-/package/core-lib/governance").json();
            assertThat(governance.path("policy").path("framework").asText())
                    .isEqualTo("high-impact floor");
            assertThat(governance.path("policy").path("approvals").asInt()).isEqualTo(1);
            assertThat(governance.path("ownPolicy").path("framework").asText()).isEqualTo("solo");
            Http.Result staged =
                    http.put(
                            Tarballs.path("core-lib"),
                            ia,
                            Tarballs.publishBody("core-lib", "1.2.0"));
            assertThat(staged.status()).isEqualTo(200);
            assertThat(staged.json().path("staged").asBoolean()).isTrue();
            assertThat(http.get("/core-lib").json().path("versions").has("1.2.0")).isFalse();
        }
    }
}
