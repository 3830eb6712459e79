package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Packuments (full and abbreviated, ETag, gzip), tarballs and the many spellings of a scoped name.
 */
class ReadPathTest {

    static TestServer server;
    static Http http;
    static String token;
    static byte[] scopedTarball;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        token = server.token("carol");
        ObjectNode m = Tarballs.manifest("@carol/lib", "1.2.3");
        m.putObject("dependencies").put("left-pad", "^1.0.0");
        m.putObject("scripts").put("postinstall", "node setup.js");
        m.putObject("engines").put("node", ">=18");
        scopedTarball = Tarballs.packageTgz(m, Tarballs.Entry.file("package/README.md", "# lib\n"));
        assertThat(
                        http.put("/@carol%2flib", token, Tarballs.publishBody(m, scopedTarball))
                                .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void fullPackumentHasWhatNpmReads() throws Exception {
        JsonNode doc = http.get("/@carol%2flib").json();
        assertThat(doc.path("_id").asText()).isEqualTo("@carol/lib");
        assertThat(doc.path("_rev").asText()).matches("\\d+-[0-9a-f]+");
        assertThat(doc.path("dist-tags").path("latest").asText()).isEqualTo("1.2.3");
        assertThat(doc.path("time").has("created")).isTrue();
        assertThat(doc.path("time").has("1.2.3")).isTrue();
        assertThat(doc.path("maintainers").get(0).path("name").asText()).isEqualTo("carol");
        JsonNode v = doc.path("versions").path("1.2.3");
        assertThat(v.path("hasInstallScript").asBoolean()).isTrue();
        assertThat(v.path("_npmUser").path("name").asText()).isEqualTo("carol");
        assertThat(v.path("dist").path("fileCount").asInt()).isEqualTo(3);
        assertThat(v.path("dist").path("unpackedSize").asLong()).isPositive();
        assertThat(v.path("dist").path("tarball").asText())
                .isEqualTo(server.url() + "/@carol/lib/-/lib-1.2.3.tgz");
        assertThat(v.path("dist").path("integrity").asText())
                .isEqualTo(Digests.sri512(Digests.digest("SHA-512", scopedTarball)));
    }

    @Test
    void abbreviatedPackumentIsSmallAndTyped() throws Exception {
        Http.Result r = http.get("/@carol%2flib", null, Tarballs.abbreviatedAccept());
        assertThat(r.header("Content-Type")).startsWith("application/vnd.npm.install-v1+json");
        JsonNode doc = r.json();
        assertThat(doc.has("readme")).isFalse();
        assertThat(doc.has("modified")).isTrue();
        JsonNode v = doc.path("versions").path("1.2.3");
        assertThat(v.path("dependencies").path("left-pad").asText()).isEqualTo("^1.0.0");
        assertThat(v.path("engines").path("node").asText()).isEqualTo(">=18");
        assertThat(v.path("hasInstallScript").asBoolean()).isTrue();
        assertThat(v.has("scripts")).isFalse();
        assertThat(v.has("description")).isFalse();
        // ?write=true always gets the full document with _rev
        JsonNode write =
                http.get("/@carol%2flib?write=true", null, Tarballs.abbreviatedAccept()).json();
        assertThat(write.has("_rev")).isTrue();
    }

    @Test
    void etagGivesNotModified() throws Exception {
        Http.Result r = http.get("/@carol%2flib");
        String etag = r.header("ETag");
        assertThat(etag).startsWith("\"");
        Http.Result again = http.get("/@carol%2flib", null, Map.of("If-None-Match", etag));
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.bytes()).isEmpty();
        Http.Result other = http.get("/@carol%2flib", null, Map.of("If-None-Match", "\"stale\""));
        assertThat(other.status()).isEqualTo(200);
        // the abbreviated document has its own tag
        Http.Result abbrev = http.get("/@carol%2flib", null, Tarballs.abbreviatedAccept());
        assertThat(abbrev.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void gzipIsServedWhenAccepted() throws Exception {
        Http.Result r = http.get("/@carol%2flib", null, Map.of("Accept-Encoding", "gzip, deflate"));
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.bytes())).readAllBytes();
        assertThat(plain).isEqualTo(http.get("/@carol%2flib").bytes());
    }

    @Test
    void everySpellingOfAScopedNameWorks() throws Exception {
        String expected = http.get("/@carol%2flib").body();
        assertThat(http.get("/@carol%2Flib").body()).isEqualTo(expected);
        assertThat(http.get("/@carol/lib").body()).isEqualTo(expected);
        assertThat(http.get("/%40carol%2flib").body()).isEqualTo(expected);
        for (String path :
                new String[] {
                    "/@carol/lib/-/lib-1.2.3.tgz",
                    "/@carol%2flib/-/lib-1.2.3.tgz",
                    "/@carol%2Flib/-/lib-1.2.3.tgz",
                    "/@carol%2flib/-/@carol%2flib-1.2.3.tgz",
                    "/@carol/lib/-/@carol/lib-1.2.3.tgz"
                }) {
            Http.Result t = http.get(path);
            assertThat(t.status()).as(path).isEqualTo(200);
            assertThat(t.bytes()).as(path).isEqualTo(scopedTarball);
        }
    }

    @Test
    void tarballHeadersAndMisses() throws Exception {
        Http.Result t = http.get("/@carol/lib/-/lib-1.2.3.tgz");
        assertThat(t.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(t.header("Content-Length")).isEqualTo(Integer.toString(scopedTarball.length));
        assertThat(t.header("Cache-Control")).contains("immutable");
        assertThat(http.get("/@carol/lib/-/lib-9.9.9.tgz").status()).isEqualTo(404);
        assertThat(http.get("/@carol/lib/-/other-1.2.3.tgz").status()).isEqualTo(404);
        assertThat(http.get("/nothing-here/-/nothing-here-1.0.0.tgz").status()).isEqualTo(404);
    }

    @Test
    void versionAndTagDocuments() throws Exception {
        assertThat(http.get("/@carol%2flib/1.2.3").json().path("version").asText())
                .isEqualTo("1.2.3");
        assertThat(http.get("/@carol%2flib/latest").json().path("version").asText())
                .isEqualTo("1.2.3");
        assertThat(http.get("/@carol%2flib/4.0.0").status()).isEqualTo(404);
    }

    @Test
    void unknownThingsAre404WithAnError() throws Exception {
        Http.Result r = http.get("/no-such-package");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.error()).contains("not found");
        assertThat(http.get("/-/no/such/route").status()).isEqualTo(404);
        assertThat(http.raw("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .contains(" 400");
        assertThat(
                        http.raw(
                                "GET /-/v1/search?text=%zz HTTP/1.1\r\n"
                                        + "Host: x\r\n"
                                        + "Connection: close\r\n\r\n"))
                .contains(" 400");
        Http.Result wrongMethod = http.send("PATCH", "/-/whoami", null, null, Map.of());
        assertThat(wrongMethod.status()).isEqualTo(405);
    }

    @Test
    void operationalEndpoints() throws Exception {
        assertThat(http.get("/-/ping").json().isObject()).isTrue();
        assertThat(http.get("/-/health").json().path("status").asText()).isEqualTo("ok");
        http.get("/@carol%2flib");
        String metrics = http.get("/-/metrics").body();
        assertThat(metrics).contains("warden_http_requests_seconds_count");
        assertThat(metrics).contains("route=\"/{pkg}\"");
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }
}
