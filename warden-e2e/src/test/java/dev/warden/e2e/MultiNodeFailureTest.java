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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nodes die with SIGKILL: a node killed in the middle of a stream of publishes loses no
 * acknowledged version (every publish answered 200 is in the packument of every surviving node,
 * where its log entry says, and installs), and when the node holding the log's sequencer dies
 * another takes it over, and the independent verifier finds the log consistent across the kill.
 */
class MultiNodeFailureTest {

    /** A publish answered 200: the version and the log index the answer gave. */
    record Acknowledged(String name, String version, String integrity, long logIndex) {}

    @Test
    void aNodeKilledDuringPublishesLosesNoAcknowledgedVersion(@TempDir Path dir) throws Exception {
        try (WardenNodes nodes = nodes(dir, 3).startAll()) {
            String token = CrashDurabilityTest.TestLogin.token(nodes.http(), "killer");
            List<Acknowledged> acked = java.util.Collections.synchronizedList(new ArrayList<>());
            ConcurrentMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            for (int w = 0; w < 6; w++) {
                int worker = w;
                pool.submit(
                        () -> {
                            // its own client, so its connections (and their nodes) are its own
                            Http http = nodes.http();
                            for (int i = 0; !stop.get(); i++) {
                                String name = "kill-pkg-" + worker;
                                String version = "0." + i + ".0";
                                ObjectNode body = body(name, version, worker * 100_000L + i);
                                try {
                                    Http.Result r = http.put("/" + name, token, body);
                                    statuses.computeIfAbsent(r.status(), s -> new AtomicInteger())
                                            .incrementAndGet();
                                    if (r.status() == 200) {
                                        acked.add(
                                                new Acknowledged(
                                                        name,
                                                        version,
                                                        MultiNodeClientsTest.integrityOf(body),
                                                        r.json().path("logIndex").asLong(-1)));
                                    }
                                } catch (java.io.IOException e) {
                                    // its node died under it; the next request finds a live one
                                    statuses.computeIfAbsent(-1, s -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                            }
                            return null;
                        });
            }
            awaitCount(acked, 40, "publishes before the kill");
            nodes.kill(1);
            int atKill = acked.size();
            awaitCount(acked, atKill + 40, "publishes after the kill (statuses " + statuses + ")");
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();

            assertThat(nodes.balancer().connections(1))
                    .as("the killed node took publishes before it died")
                    .isPositive();
            assertThat(acked.stream().map(Acknowledged::logIndex).distinct().count())
                    .as("log indexes of acknowledged publishes are all different")
                    .isEqualTo(acked.size());
            for (WardenNodes.Node n : nodes.alive()) {
                assertAllThere(n, acked);
            }
            installSome(dir, nodes, acked);

            // the killed node comes back with everything too
            nodes.start(1);
            assertAllThere(nodes.node(1), acked);
        }
    }

    @Test
    void theLogSequencerMovesWhenItsHolderIsKilled(@TempDir Path dir) throws Exception {
        try (WardenNodes nodes = nodes(dir, 3)) {
            // node 0 starts alone and appends first: it holds the sequencer's lease
            nodes.start(0);
            String token = CrashDurabilityTest.TestLogin.token(nodes.node(0).http(), "sequenced");
            List<Acknowledged> acked = new ArrayList<>();
            List<String> checkpoints = new ArrayList<>();
            acked.add(publish(nodes.node(0).http(), token, "seq-pkg", "1.0.0"));
            nodes.start(1);
            nodes.start(2);
            for (int i = 1; i <= 6; i++) {
                Http via = nodes.node(i % 2 + 1).http();
                acked.add(publish(via, token, "seq-pkg", "1." + i + ".0"));
                checkpoints.add(via.get("/-/log/checkpoint").body());
            }

            nodes.kill(0);
            long killed = System.nanoTime();
            // appends through the survivors until one is acknowledged (a new version each try: a
            // try that failed may still have been logged)
            Http survivor = nodes.node(1).http();
            int attempt = 0;
            Acknowledged first = null;
            List<String> failures = new ArrayList<>();
            while (first == null) {
                assertThat(System.nanoTime() - killed)
                        .as("an append acknowledged after the sequencer's holder died: " + failures)
                        .isLessThan(TimeUnit.SECONDS.toNanos(60));
                String version = "2." + attempt++ + ".0";
                try {
                    ObjectNode body = body("seq-pkg", version, attempt);
                    Http.Result r = survivor.put("/seq-pkg", token, body);
                    if (r.status() == 200) {
                        first = acknowledged(r, "seq-pkg", version, body);
                    } else {
                        failures.add(r.status() + " " + r.body());
                    }
                } catch (java.io.IOException e) {
                    failures.add(e.toString());
                }
            }
            long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("sequencer fail-over: " + failoverMs + " ms, " + attempt + " tries");
            acked.add(first);
            for (int i = 0; i < 6; i++) {
                Http via = nodes.node(i % 2 + 1).http();
                acked.add(publish(via, token, "seq-pkg", "3." + i + ".0"));
                checkpoints.add(via.get("/-/log/checkpoint").body());
            }

            assertThat(acked.stream().map(Acknowledged::logIndex).distinct().count())
                    .as("no log index used twice")
                    .isEqualTo(acked.size());
            for (WardenNodes.Node n : nodes.alive()) {
                assertAllThere(n, acked);
                verifyLog(dir.resolve("verify-" + n.index()), n, checkpoints, acked);
            }
        }
    }

    private static WardenNodes nodes(Path dir, int count) throws Exception {
        assertThat(WardenNodes.JAR).exists();
        return WardenNodes.postgres(
                dir.resolve("nodes"), count, PostgresCluster.shared(), S3Server.shared());
    }

    /** A publish body whose tarball carries 16 KiB of noise from {@code seed}. */
    static ObjectNode body(String name, String version, long seed) {
        ObjectNode m = Tarballs.manifest(name, version);
        byte[] noise = new byte[16 * 1024];
        new Random(seed).nextBytes(noise);
        return Tarballs.publishBody(
                m, Tarballs.packageTgz(m, Tarballs.Entry.file("package/noise.bin", noise)));
    }

    private static Acknowledged publish(Http http, String token, String name, String version)
            throws Exception {
        ObjectNode body = body(name, version, version.hashCode());
        Http.Result r = http.put("/" + name, token, body);
        assertThat(r.status()).as(name + "@" + version + ": " + r.body()).isEqualTo(200);
        return acknowledged(r, name, version, body);
    }

    /** The acknowledgement of publishing {@code body} (a tarball's bytes vary with the time). */
    private static Acknowledged acknowledged(
            Http.Result r, String name, String version, ObjectNode body) throws Exception {
        long index = r.json().path("logIndex").asLong(-1);
        assertThat(index).as("log index of " + name + "@" + version).isNotNegative();
        return new Acknowledged(name, version, MultiNodeClientsTest.integrityOf(body), index);
    }

    private static void awaitCount(List<?> list, int count, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (list.size() < count) {
            assertThat(System.nanoTime()).as(what + ": " + list.size()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * Every acknowledged version is in node {@code n}'s packument, with the log index its answer
     * gave, and its tarball is whole.
     */
    private static void assertAllThere(WardenNodes.Node n, List<Acknowledged> acked)
            throws Exception {
        Http http = n.http();
        Map<String, JsonNode> docs = new HashMap<>();
        for (Acknowledged a : acked) {
            if (!docs.containsKey(a.name())) {
                // a node hears of another's publish just after it commits
                List<String> versions =
                        acked.stream()
                                .filter(x -> x.name().equals(a.name()))
                                .map(Acknowledged::version)
                                .toList();
                docs.put(
                        a.name(),
                        MultiNodeClientsTest.awaitPackument(
                                n,
                                a.name(),
                                d -> versions.stream().allMatch(d.path("versions")::has)));
            }
            JsonNode doc = docs.get(a.name());
            String where = a.name() + "@" + a.version() + " on node " + n.index();
            JsonNode v = doc.path("versions").path(a.version());
            assertThat(v.isMissingNode()).as(where).isFalse();
            assertThat(v.path("dist").path("integrity").asText())
                    .as(where)
                    .isEqualTo(a.integrity());
            assertThat(v.path("_log").path("index").asLong(-1)).as(where).isEqualTo(a.logIndex());
            Http.Result tgz =
                    http.get("/" + a.name() + "/-/" + a.name() + "-" + a.version() + ".tgz");
            assertThat(tgz.status()).as(where).isEqualTo(200);
            assertThat(Digests.sri512(Digests.digest("SHA-512", tgz.bytes())))
                    .as(where)
                    .isEqualTo(a.integrity());
        }
    }

    /** npm installs the last acknowledged version of each package through a surviving node. */
    private static void installSome(Path dir, WardenNodes nodes, List<Acknowledged> acked)
            throws Exception {
        Map<String, String> last = new HashMap<>();
        acked.forEach(a -> last.put(a.name(), a.version()));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path project =
                Clients.writePackage(
                        dir.resolve("project"),
                        "{\"name\":\"p\",\"version\":\"1.0.0\",\"private\":true}",
                        Map.of());
        WardenNodes.Node survivor = nodes.alive().get(0);
        List<String> args = new ArrayList<>(List.of("install"));
        last.forEach((name, version) -> args.add(name + "@" + version));
        Clients.npm(project, Clients.env(home, survivor.url()), args.toArray(String[]::new)).ok();
        for (Map.Entry<String, String> e : last.entrySet()) {
            JsonNode installed =
                    dev.warden.server.testing.TestServer.parse(
                            Files.readString(
                                    project.resolve("node_modules")
                                            .resolve(e.getKey())
                                            .resolve("package.json")));
            assertThat(installed.path("version").asText()).isEqualTo(e.getValue());
        }
    }

    /**
     * The independent verifier, reading node {@code n}'s tiles: the log is consistent with every
     * checkpoint served before and after the kill, and holds every acknowledged entry.
     */
    private static void verifyLog(
            Path dir, WardenNodes.Node n, List<String> checkpoints, List<Acknowledged> acked)
            throws Exception {
        Files.createDirectories(dir);
        Http http = n.http();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--url",
                                n.url() + "/-/log/",
                                "--key",
                                http.get("/-/log").json().path("key").asText(),
                                "--sample",
                                "8"));
        for (int i = 0; i < checkpoints.size(); i++) {
            Path f = dir.resolve("checkpoint-" + i);
            Files.writeString(f, checkpoints.get(i));
            args.add("--old");
            args.add(f.toString());
        }
        for (Acknowledged a : acked) {
            args.add("--entry");
            args.add(Long.toString(a.logIndex()));
        }
        Clients.Run run =
                Clients.node(
                        dir, Map.of(), TransparencyLogTest.VERIFIER, args.toArray(String[]::new));
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("OK size=");
    }
}
