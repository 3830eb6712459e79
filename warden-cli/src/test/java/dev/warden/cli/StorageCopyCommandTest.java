package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code warden storage copy --from embedded --to postgres}: a registry made by a real server on
 * the embedded driver, copied into a real PostgreSQL database and S3 bucket, then served by a node
 * on the postgres driver with a data directory of its own.
 */
class StorageCopyCommandTest {

    @TempDir Path cwd;

    /** The [storage] settings as the environment variables an operator would set. */
    private static Map<String, String> env(Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach(
                (k, v) -> env.put("WARDEN_" + k.replace('.', '_').toUpperCase(Locale.ROOT), v));
        return env;
    }

    private static byte[] publish(Http http, String token, String name, String version)
            throws Exception {
        ObjectNode m = Tarballs.manifest(name, version);
        byte[] tgz = Tarballs.packageTgz(m);
        Http.Result r =
                http.put("/" + name.replace("/", "%2f"), token, Tarballs.publishBody(m, tgz));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return tgz;
    }

    private static long treeSize(Http http) throws Exception {
        return Long.parseLong(http.get("/-/log/checkpoint").body().lines().toList().get(1));
    }

    @Test
    void anEmbeddedRegistryIsCopiedCheckedAndServedByANodeOnThePostgresDriver() throws Exception {
        Path data = cwd.resolve("embedded");
        Map<String, String> embedded = Map.of("storage.driver", "embedded");
        byte[] first;
        byte[] scoped;
        String token;
        String keys;
        long logSize;
        // stopped, not closed: closing a test server removes its data directory
        TestServer s = TestServer.start(data, embedded);
        try {
            token = s.token("alice");
            first = publish(s.http(), token, "copy-me", "1.0.0");
            publish(s.http(), token, "copy-me", "1.1.0");
            scoped = publish(s.http(), token, "@alice/tool", "2.0.0");
            keys = s.http().get("/-/npm/v1/keys").body();
            logSize = treeSize(s.http());
        } finally {
            s.server().close();
        }
        Map<String, String> postgres = TestServer.postgres();

        MainTest.Exit copy =
                MainTest.warden(
                        cwd,
                        env(postgres),
                        "storage",
                        "copy",
                        "--from",
                        "embedded",
                        "--to",
                        "postgres",
                        "--data",
                        data.toString());

        assertThat(copy.status()).as(copy.err()).isZero();
        assertThat(copy.out())
                .contains("  packages 2\n", "  versions 3\n", "  users 1\n")
                .contains("blobs: 3 copied, ")
                .contains("log registry: " + logSize + " entries, ")
                .contains("verified: 3 blobs (sha512)\n")
                .contains("verified: log registry (" + logSize + " entries, ");

        Map<String, String> node = new LinkedHashMap<>(postgres);
        try (TestServer n = TestServer.start(cwd.resolve("node"), node)) {
            Http http = n.http();
            JsonNode doc = http.get("/copy-me").json();
            assertThat(doc.path("versions").has("1.0.0")).isTrue();
            assertThat(doc.path("versions").has("1.1.0")).isTrue();
            assertThat(http.get("/copy-me/-/copy-me-1.0.0.tgz").bytes()).isEqualTo(first);
            assertThat(http.get("/@alice%2ftool/-/tool-2.0.0.tgz").bytes()).isEqualTo(scoped);
            // the same account, the same signing keys, the same log
            assertThat(http.get("/-/whoami", token, Map.of()).json().path("username").asText())
                    .isEqualTo("alice");
            assertThat(http.get("/-/npm/v1/keys").body()).isEqualTo(keys);
            assertThat(treeSize(http)).isEqualTo(logSize);
            // and it goes on: a new version is numbered and logged after the copied ones
            publish(http, token, "copy-me", "1.2.0");
            assertThat(treeSize(http)).isGreaterThan(logSize);
        }

        MainTest.Exit again =
                MainTest.warden(
                        cwd,
                        env(postgres),
                        "storage",
                        "copy",
                        "--from",
                        "embedded",
                        "--to",
                        "postgres",
                        "--data",
                        data.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err())
                .isEqualTo(
                        "warden: storage copy failed: the target already holds packages or users;"
                                + " warden storage copy fills an empty registry only\n");
        assertThat(again.out()).isEmpty();
    }

    @Test
    void onlyEmbeddedToPostgresIsKnown() throws Exception {
        MainTest.Exit exit =
                MainTest.warden(
                        cwd, Map.of(), "storage", "copy", "--from", "postgres", "--to", "embedded");

        assertThat(exit.status()).isEqualTo(2);
        assertThat(exit.err())
                .isEqualTo("warden: storage copy copies --from embedded --to postgres only\n");
    }

    @Test
    void aDataDirectoryWithoutARegistryIsRefused() throws Exception {
        MainTest.Exit exit =
                MainTest.warden(
                        cwd,
                        env(TestServer.postgres()),
                        "storage",
                        "copy",
                        "--from",
                        "embedded",
                        "--to",
                        "postgres",
                        "--data",
                        cwd.resolve("nothing").toString());

        assertThat(exit.status()).isEqualTo(1);
        assertThat(exit.err())
                .isEqualTo(
                        "warden: storage copy failed: no embedded registry at "
                                + cwd.resolve("nothing").resolve("warden.db")
                                + "\n");
    }
}
