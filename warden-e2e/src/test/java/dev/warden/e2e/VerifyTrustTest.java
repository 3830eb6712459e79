package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;
import dev.warden.verify.Remote;
import dev.warden.verify.log.LogInclusion;
import dev.warden.verify.report.Check;
import dev.warden.verify.report.Finding;
import dev.warden.verify.report.Status;
import dev.warden.verify.trust.LogKeys;
import dev.warden.verify.trust.RegistryKey;
import dev.warden.verify.trust.RegistryTrust;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The verifier's trust material from a running Warden: its TUF repository (as the server signs it)
 * gives the registry keys, the instance's trusted root and its log, and the entries of real
 * publishes prove included through the log's tiles; then the same from the cache with the server
 * stopped.
 */
class VerifyTrustTest {

    static Remote http() {
        HttpClient client = HttpClient.newHttpClient();
        return (uri, ifNoneMatch, limit) -> {
            HttpResponse<byte[]> r =
                    client.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            if (r.body().length > limit) {
                throw new java.io.IOException(uri + " is larger than " + limit + " bytes");
            }
            return new Remote.Response(r.statusCode(), r.body(), r.headers().firstValue("ETag"));
        };
    }

    @Test
    void a_warden_gives_its_trust_through_tuf_and_its_publishes_prove_included(@TempDir Path cache)
            throws Exception {
        List<LogInclusion.Claim> claims = new ArrayList<>();
        URI registry;
        LogKeys log;
        try (TestServer server = TestServer.start()) {
            Http h = server.http();
            registry = URI.create(server.url());
            String token = server.token("trudy");
            for (String v : List.of("1.0.0", "1.1.0")) {
                assertThat(h.put("/trusty", token, Tarballs.publishBody("trusty", v)).status())
                        .isEqualTo(200);
            }
            JsonNode versions = h.get("/trusty").json().path("versions");

            RegistryTrust trust =
                    RegistryTrust.load(
                            registry, http(), cache, false, Optional.empty(), Clock.systemUTC());
            JsonNode keys = h.get("/-/npm/v1/keys").json().path("keys");
            assertThat(trust.registryKeys())
                    .extracting(RegistryKey::keyid)
                    .containsExactly(keys.get(0).path("keyid").asText());
            log = trust.log().orElseThrow();
            JsonNode described = h.get("/-/log").json();
            assertThat(log.origin()).isEqualTo(described.path("origin").asText());
            assertThat(log.url()).isEqualTo(URI.create(described.path("url").asText()));
            assertThat(log.registryStatementKey().vkey())
                    .isEqualTo(described.path("registryKey").asText());
            assertThat(trust.notices())
                    .singleElement()
                    .asString()
                    .startsWith("pinned the TUF root of " + registry);

            for (String v : List.of("1.0.0", "1.1.0")) {
                JsonNode ver = versions.path(v);
                claims.add(
                        new LogInclusion.Claim(
                                ver.path("_log").path("index").asLong(),
                                "trusty",
                                v,
                                ver.path("dist").path("integrity").asText()));
            }
            Map<LogInclusion.Claim, Finding> found =
                    LogInclusion.check(log, claims, http(), cache, false);
            assertThat(found.values()).extracting(Finding::status).containsOnly(Status.PASS);
            assertThat(found.get(claims.get(0)).message())
                    .startsWith(
                            "entry " + claims.get(0).index() + " included in checkpoint of size ");

            // 1.0.0's entry claimed for 1.1.0: named
            LogInclusion.Claim swapped =
                    new LogInclusion.Claim(
                            claims.get(0).index(), "trusty", "1.1.0", claims.get(1).integrity());
            assertThat(LogInclusion.check(log, List.of(swapped), http(), cache, false).get(swapped))
                    .isEqualTo(
                            Finding.fail(
                                    Check.LOG,
                                    "entry "
                                            + swapped.index()
                                            + " states package.published of trusty@1.0.0, expected"
                                            + " package.published or proxy.ingested of"
                                            + " trusty@1.1.0"));
        }
        // the server is gone: everything from the cache
        RegistryTrust offline =
                RegistryTrust.load(
                        registry, http(), cache, true, Optional.empty(), Clock.systemUTC());
        assertThat(offline.log()).contains(log);
        assertThat(LogInclusion.check(log, claims, http(), cache, true).values())
                .extracting(Finding::status)
                .containsOnly(Status.PASS);
    }
}
