package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Two nodes (servers with their own data directories) on one PostgreSQL database and one bucket,
 * started at the same time: they end with the same keys, so a client may ask either.
 */
class TwoNodesTest {

    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(TestServer.postgres());
        // the balancer's address: nodes name the logs and keys after it
        settings.put("server.public_url", "http://registry.invalid");
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<TestServer> first =
                    CompletableFuture.supplyAsync(() -> start(settings), starts);
            CompletableFuture<TestServer> second =
                    CompletableFuture.supplyAsync(() -> start(settings), starts);
            a = first.join();
            b = second.join();
        } finally {
            starts.shutdown();
        }
    }

    private static TestServer start(Map<String, String> settings) {
        try {
            return TestServer.start(Files.createTempDirectory("warden-node-"), settings);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void bothServeTheSameRegistryKeys() throws Exception {
        String keys = a.http().get("/-/npm/v1/keys").body();
        assertThat(keys).contains("\"keyid\"");
        assertThat(b.http().get("/-/npm/v1/keys").body()).isEqualTo(keys);
    }

    @Test
    void bothServeTheSameLogKeys() throws Exception {
        var logA = a.http().get("/-/log").json();
        var logB = b.http().get("/-/log").json();
        assertThat(logA.path("key").asText()).startsWith("registry.invalid/-/log+");
        assertThat(logB.path("key").asText()).isEqualTo(logA.path("key").asText());
        assertThat(logB.path("registryKey").asText()).isEqualTo(logA.path("registryKey").asText());
    }

    @Test
    void bothServeTheSameSigstoreTrustedRoot() throws Exception {
        Http.Result root = a.http().get("/-/sigstore/trusted_root.json");
        assertThat(root.status()).isEqualTo(200);
        assertThat(b.http().get("/-/sigstore/trusted_root.json").body()).isEqualTo(root.body());
    }

    @Test
    void aVersionPublishedThroughOneNodeIsInstalledThroughTheOther() throws Exception {
        String token = a.token("nodes");
        ObjectNode m = Tarballs.manifest("across-nodes", "1.0.0");
        byte[] tgz = Tarballs.packageTgz(m);
        Http.Result published = a.http().put("/across-nodes", token, Tarballs.publishBody(m, tgz));
        assertThat(published.status()).as(published.body()).isEqualTo(200);

        Http.Result packument = b.http().get("/across-nodes");
        assertThat(packument.status()).isEqualTo(200);
        assertThat(packument.json().path("versions").has("1.0.0")).isTrue();
        assertThat(b.http().get("/across-nodes/-/across-nodes-1.0.0.tgz").bytes()).isEqualTo(tgz);
        // a token made on one node is good on the other
        assertThat(b.http().get("/-/whoami", token, Map.of()).json().path("username").asText())
                .isEqualTo("nodes");
    }

    @Test
    void aFormServedByOneNodeIsTakenByTheOther() throws Exception {
        a.token("former");
        Browser onA = new Browser(a.http());
        String csrf = Browser.csrf(onA.get("/-/web/signin"));
        Browser onB = new Browser(b.http());
        onB.cookie("warden_csrf", onA.cookie("warden_csrf"));
        Http.Result signedIn =
                onB.postForm(
                        "/-/web/signin",
                        "csrf="
                                + csrf
                                + "&username=former&password="
                                + TestServer.password("former"));
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
    }
}
