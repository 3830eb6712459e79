package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.LogReader;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * One server on the postgres driver (a real PostgreSQL and a real S3-compatible server): what a
 * client does, from signing up to installing, and what the log records of it.
 */
class PostgresServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestServer server;
    static Http http;
    static String token;
    static byte[] tarball;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestServer.postgres());
        http = server.http();
        token = server.token("pat");
        ObjectNode m = Tarballs.manifest("@pat/pg", "1.0.0");
        tarball = Tarballs.packageTgz(m, Tarballs.Entry.file("package/lib.js", "exports.x=1\n"));
        Http.Result published = http.put("/@pat%2fpg", token, Tarballs.publishBody(m, tarball));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theReadsOfAnInstallAnswerFromTheSharedStores() throws Exception {
        JsonNode full = http.get("/@pat%2fpg").json();
        assertThat(full.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        JsonNode dist = full.path("versions").path("1.0.0").path("dist");
        assertThat(dist.path("integrity").asText())
                .isEqualTo(Digests.sri512(Digests.digest("SHA-512", tarball)));
        JsonNode abbreviated = http.get("/@pat%2fpg", null, Tarballs.abbreviatedAccept()).json();
        assertThat(abbreviated.path("versions").has("1.0.0")).isTrue();

        Http.Result tgz = http.get("/@pat/pg/-/pg-1.0.0.tgz");
        assertThat(tgz.status()).isEqualTo(200);
        assertThat(tgz.bytes()).isEqualTo(tarball);
    }

    @Test
    void aSecondVersionAndADistTagAreKept() throws Exception {
        ObjectNode m = Tarballs.manifest("@pat/pg", "1.1.0-beta.1");
        ObjectNode body =
                Tarballs.publishBody(
                        m, Tarballs.packageTgz(m, Tarballs.Entry.file("package/lib.js", "2\n")));
        // npm publish --tag beta
        body.putObject("dist-tags").put("beta", "1.1.0-beta.1");
        Http.Result second = http.put("/@pat%2fpg", token, body);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(http.put("/-/package/@pat%2fpg/dist-tags/next", token, "1.1.0-beta.1").status())
                .isEqualTo(200);

        JsonNode tags = http.get("/-/package/@pat%2fpg/dist-tags").json();
        assertThat(tags.path("next").asText()).isEqualTo("1.1.0-beta.1");
        assertThat(tags.path("beta").asText()).isEqualTo("1.1.0-beta.1");
        assertThat(tags.path("latest").asText()).isEqualTo("1.0.0");
        assertThat(http.get("/@pat%2fpg").json().path("dist-tags").path("next").asText())
                .isEqualTo("1.1.0-beta.1");
    }

    @Test
    void aSignedUpUserLogsInAgainAndMakesAToken() throws Exception {
        String again = server.token("pat");
        assertThat(again).isNotEqualTo(token);
        assertThat(http.get("/-/whoami", again, Map.of()).json().path("username").asText())
                .isEqualTo("pat");

        Http.Result made =
                http.post(
                        "/-/npm/v1/tokens",
                        again,
                        JSON.writeValueAsBytes(
                                Map.of("password", TestServer.password("pat"), "readonly", true)),
                        Map.of("Content-Type", "application/json"));
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String readOnly = made.json().path("token").asText();
        Http.Result refused = http.put("/-/package/@pat%2fpg/dist-tags/other", readOnly, "1.0.0");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("this token is read-only");
    }

    @Test
    void theLogHoldsThePublishAndServesItsEntries() throws Exception {
        List<JsonNode> statements = LogReader.statements(http);
        assertThat(statements)
                .anySatisfy(
                        s -> {
                            assertThat(s.path("kind").asText()).isEqualTo("package.published");
                            assertThat(s.path("package").asText()).isEqualTo("@pat/pg");
                            assertThat(s.path("version").asText()).isEqualTo("1.0.0");
                        });
    }

    @Test
    void healthNamesEachStore() throws Exception {
        Http.Result health = http.get("/-/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("checks").path("metadata").asText()).isEqualTo("ok");
        assertThat(health.json().path("checks").path("blobs").asText()).isEqualTo("ok");
        assertThat(health.json().path("checks").path("log").asText()).isEqualTo("ok");
    }

    @Test
    void aNodeWhoseObjectStoreIsDownAnswers503AndSaysWhy() throws Exception {
        dev.warden.storage.tests.S3Server own = dev.warden.storage.tests.S3Server.start();
        Map<String, String> settings = new java.util.LinkedHashMap<>(TestServer.postgres());
        settings.put("storage.s3_endpoint", own.endpoint().toString());
        settings.put("storage.s3_bucket", own.newBucket());
        try (TestServer node = TestServer.start(settings)) {
            assertThat(node.http().get("/-/health").status()).isEqualTo(200);
            own.close();
            Http.Result health = node.http().get("/-/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("failing");
            assertThat(health.json().path("checks").path("metadata").asText()).isEqualTo("ok");
            assertThat(health.json().path("checks").path("blobs").asText())
                    .isNotEqualTo("ok")
                    .isNotBlank();
        } finally {
            own.close();
        }
    }
}
