package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.e2e.nodes.WardenNodes;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.storage.tests.PostgresCluster;
import dev.warden.storage.tests.S3Server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Three Warden nodes on one PostgreSQL database and one S3 bucket, behind a test balancer: the real
 * clients publish through the balancer and install through any node, every node sees a change made
 * on another at once (its packument memory is told), the nodes started together share their keys,
 * and two nodes publishing the same version at the same moment give it to exactly one publisher.
 */
class MultiNodeClientsTest {

    static WardenNodes nodes;
    static Path home;
    static Map<String, String> env;
    static String token;

    static final String PROJECT =
            "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
                    + "\"dependencies\":{\"nodes-app\":\"^2.0.0\"}}";
    static final List<String> REQUIRE =
            List.of("node", "-e", "console.log(require('nodes-app')())");

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        assertThat(WardenNodes.JAR).exists();
        Clients.installOthers();
        nodes =
                WardenNodes.postgres(
                                dir.resolve("nodes"),
                                3,
                                PostgresCluster.shared(),
                                S3Server.shared())
                        .startAll();
        home = Files.createDirectories(dir.resolve("home"));
        env = Clients.env(home, nodes.url());
        token = CrashDurabilityTest.TestLogin.token(nodes.http(), "multi");
        Clients.login(home, nodes.url(), token);
        Clients.writePackage(
                dir.resolve("lib"),
                "{\"name\":\"@nodes/lib\",\"version\":\"2.1.0\",\"main\":\"index.js\"}",
                Map.of("index.js", "module.exports = (s) => 'lib:' + s;\n"));
        Clients.writePackage(
                dir.resolve("app"),
                "{\"name\":\"nodes-app\",\"version\":\"2.0.0\",\"main\":\"index.js\","
                        + "\"dependencies\":{\"@nodes/lib\":\"^2.0.0\"}}",
                Map.of("index.js", "module.exports = () => require('@nodes/lib')('app');\n"));
        Clients.npm(dir.resolve("lib"), env, "publish").ok();
        Clients.npm(dir.resolve("app"), env, "publish").ok();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void nodesStartedTogetherServeTheSameKeys() throws Exception {
        List<String> logKeys = new ArrayList<>();
        List<String> registryKeys = new ArrayList<>();
        for (WardenNodes.Node n : nodes.nodes()) {
            logKeys.add(n.http().get("/-/log").json().path("key").asText());
            registryKeys.add(n.http().get("/-/npm/v1/keys").body());
        }
        assertThat(logKeys.get(0)).isNotBlank();
        assertThat(logKeys).as("log keys of the three nodes").containsOnly(logKeys.get(0));
        assertThat(registryKeys.get(0)).contains("keyid");
        assertThat(registryKeys)
                .as("registry signing keys of the three nodes")
                .containsOnly(registryKeys.get(0));
    }

    @Test
    void npmInstallsThroughAnotherNode(@TempDir Path dir) throws Exception {
        Path project =
                Clients.writePackage(
                        dir, "{\"name\":\"p\",\"version\":\"1.0.0\",\"private\":true}", Map.of());
        Map<String, String> viaNode = new HashMap<>(env);
        viaNode.put("npm_config_registry", nodes.node(1).url() + "/");
        Clients.npm(project, viaNode, "install", "nodes-app@2.0.0").ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        JsonNode lock =
                dev.warden.server.testing.TestServer.parse(
                        Files.readString(project.resolve("package-lock.json")));
        // tarball URLs name the public URL (the balancer), whichever node served the packument
        assertThat(lock.path("packages").path("node_modules/@nodes/lib").path("resolved").asText())
                .isEqualTo(nodes.url() + "/@nodes/lib/-/lib-2.1.0.tgz");
    }

    @Test
    void pnpmInstallsThroughAnotherNode(@TempDir Path dir) throws Exception {
        Path project = Clients.writePackage(dir, PROJECT, Map.of());
        Map<String, String> pnpmEnv = new HashMap<>(env);
        pnpmEnv.put("npm_config_store_dir", dir.resolve(".pnpm-store").toString());
        Clients.node(
                        project,
                        pnpmEnv,
                        Clients.pnpmScript(),
                        "install",
                        "--registry",
                        nodes.node(2).url() + "/")
                .ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("pnpm-lock.yaml")))
                .contains("'@nodes/lib@2.1.0'");
    }

    @Test
    void yarnClassicInstallsThroughAnotherNode(@TempDir Path dir) throws Exception {
        Path project = Clients.writePackage(dir, PROJECT, Map.of());
        Map<String, String> yarnEnv = new HashMap<>(env);
        yarnEnv.put("YARN_CACHE_FOLDER", dir.resolve(".yarn-cache").toString());
        Clients.node(
                        project,
                        yarnEnv,
                        Clients.yarnClassicScript(),
                        "install",
                        "--registry",
                        nodes.node(0).url() + "/",
                        "--non-interactive",
                        "--no-progress")
                .ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("yarn.lock")))
                .contains(nodes.url() + "/@nodes/lib/-/lib-2.1.0.tgz");
    }

    @Test
    void yarnBerryInstallsThroughTheBalancer(@TempDir Path dir) throws Exception {
        Path project =
                Clients.writePackage(
                        dir,
                        PROJECT,
                        Map.of(
                                ".yarnrc.yml",
                                "npmRegistryServer: \""
                                        + nodes.url()
                                        + "\"\n"
                                        + "unsafeHttpWhitelist:\n  - \"127.0.0.1\"\n"
                                        + "npmMinimalAgeGate: 0\n"
                                        + "nodeLinker: node-modules\n"
                                        + "enableGlobalCache: false\n"
                                        + "enableTelemetry: false\n"));
        Files.writeString(project.resolve("yarn.lock"), "");
        Map<String, String> berryEnv = new HashMap<>(env);
        berryEnv.put("YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
        Clients.node(project, berryEnv, Clients.yarnBerryScript(), "install").ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("yarn.lock"))).contains("@nodes/lib@npm:2.1.0");
    }

    /**
     * Every node has the packument in memory; a publish and a dist-tag change on one node are seen
     * by the others (their memory is told through PostgreSQL, not left to expire).
     */
    @Test
    void aChangeOnOneNodeIsSeenByTheOthers() throws Exception {
        Http publisher = nodes.node(0).http();
        assertThat(
                        publisher
                                .put("/seen-pkg", token, Tarballs.publishBody("seen-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        for (WardenNodes.Node n : nodes.nodes()) {
            assertThat(n.http().get("/seen-pkg").json().path("versions").has("1.0.0"))
                    .as("node " + n.index())
                    .isTrue();
        }
        Http.Result second =
                nodes.node(1)
                        .http()
                        .put("/seen-pkg", token, Tarballs.publishBody("seen-pkg", "1.1.0"));
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        Http.Result tag =
                nodes.node(2).http().put("/-/package/seen-pkg/dist-tags/stable", token, "1.0.0");
        assertThat(tag.status()).as(tag.body()).isIn(200, 201);
        for (WardenNodes.Node n : nodes.nodes()) {
            JsonNode doc =
                    awaitPackument(
                            n,
                            "seen-pkg",
                            d ->
                                    d.path("versions").has("1.1.0")
                                            && d.path("dist-tags")
                                                    .path("stable")
                                                    .asText()
                                                    .equals("1.0.0"));
            assertThat(doc.path("dist-tags").path("latest").asText())
                    .as("latest on node " + n.index())
                    .isEqualTo("1.1.0");
        }
    }

    /**
     * Two nodes take a publish of the same name@version (different contents) at the same moment:
     * exactly one publisher gets 200, the other the registry's refusal, and every node serves the
     * winner's tarball. The first round races on a name that does not exist yet.
     */
    @Test
    void twoNodesPublishingTheSameVersionAtOnceGiveItToOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String version = "1." + round + ".0";
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<Http.Result>> replies = new ArrayList<>();
                List<ObjectNode> bodies = new ArrayList<>();
                for (int side = 0; side < 2; side++) {
                    ObjectNode m = Tarballs.manifest("race-pkg", version);
                    byte[] tgz =
                            Tarballs.packageTgz(
                                    m,
                                    Tarballs.Entry.file(
                                            "package/side.txt",
                                            ("side " + side).getBytes(StandardCharsets.UTF_8)));
                    ObjectNode body = Tarballs.publishBody(m, tgz);
                    bodies.add(body);
                    Http http = nodes.node(side).http();
                    replies.add(
                            pool.submit(
                                    () -> {
                                        barrier.await();
                                        return http.put("/race-pkg", token, body);
                                    }));
                }
                Http.Result a = replies.get(0).get();
                Http.Result b = replies.get(1).get();
                String both = a.status() + " " + a.body() + " / " + b.status() + " " + b.body();
                assertThat(java.util.stream.Stream.of(a, b).filter(r -> r.status() == 200).count())
                        .as("publishers answered 200 in round " + round + ": " + both)
                        .isEqualTo(1);
                Http.Result loser = a.status() == 200 ? b : a;
                int winner = a.status() == 200 ? 0 : 1;
                assertThat(loser.status()).as(both).isIn(403, 409);
                assertThat(loser.body())
                        .as(both)
                        .contains("cannot publish over the previously published version");
                String integrity = integrityOf(bodies.get(winner));
                for (WardenNodes.Node n : nodes.nodes()) {
                    JsonNode doc =
                            awaitPackument(n, "race-pkg", d -> d.path("versions").has(version));
                    assertThat(
                                    doc.path("versions")
                                            .path(version)
                                            .path("dist")
                                            .path("integrity")
                                            .asText())
                            .as("node " + n.index() + " serves the winner's tarball")
                            .isEqualTo(integrity);
                    Http.Result tgz = n.http().get("/race-pkg/-/race-pkg-" + version + ".tgz");
                    assertThat(tgz.status()).isEqualTo(200);
                    assertThat(Digests.sri512(Digests.digest("SHA-512", tgz.bytes())))
                            .isEqualTo(integrity);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The integrity of the tarball in a publish body, as the registry computes it. */
    static String integrityOf(ObjectNode body) {
        String data = body.path("_attachments").elements().next().path("data").asText();
        return Digests.sri512(
                Digests.digest("SHA-512", java.util.Base64.getDecoder().decode(data)));
    }

    /**
     * The packument of {@code name} on node {@code n} once it satisfies {@code ready}; a node is
     * told of another's change after that change commits, so this waits a little for it.
     */
    static JsonNode awaitPackument(
            WardenNodes.Node n, String name, java.util.function.Predicate<JsonNode> ready)
            throws Exception {
        Http http = n.http();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Http.Result r = http.get("/" + name);
            if (r.status() == 200 && ready.test(r.json())) {
                return r.json();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "node " + n.index() + " still serves " + r.status() + " " + r.body());
            }
            Thread.sleep(50);
        }
    }
}
