package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * kill -9 during a stream of publishes: after a restart every acknowledged version is there, and
 * every version that is there is whole (its tarball is stored and matches its integrity). The
 * transparency log too: every acknowledged publish is in it at the index its answer gave, and the
 * independent verifier finds the final log consistent with every checkpoint served before a crash.
 */
class CrashDurabilityTest {

    static final Path JAR =
            Path.of("..", "warden-cli", "target", "warden.jar").toAbsolutePath().normalize();

    private static Process start(Path data, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb =
                new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-jar",
                        JAR.toString(),
                        "serve",
                        "--port",
                        Integer.toString(port),
                        "--data",
                        data.toString(),
                        "--set",
                        "log.access=none");
        pb.redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile());
        Process p = pb.start();
        Http http = new Http("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.get("/-/ping").status() == 200) {
                    return p;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("server did not start; see " + data + ".log");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void acknowledgedPublishesSurviveKillMinus9(@TempDir Path dir) throws Exception {
        assertThat(JAR).exists();
        Path data = dir.resolve("data");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, Long> logIndexes = new ConcurrentHashMap<>();
        List<String> checkpoints = java.util.Collections.synchronizedList(new ArrayList<>());
        Random random = new Random(42);
        String token = null;
        for (int round = 0; round < 3; round++) {
            int port = freePort();
            Process server = start(data, port);
            Http http = new Http("http://127.0.0.1:" + port);
            if (token == null) {
                token = TestLogin.token(http, "crasher");
            }
            verify(http, acknowledged);
            String t = token;
            int r = round;
            ExecutorService pool = Executors.newFixedThreadPool(5);
            for (int w = 0; w < 4; w++) {
                int worker = w;
                pool.submit(
                        () -> {
                            for (int i = 0; i < 1000; i++) {
                                String name = "crash-pkg-" + worker;
                                String version = r + "." + i + ".0";
                                ObjectNode m = Tarballs.manifest(name, version);
                                byte[] noise = new byte[64 * 1024];
                                new Random(worker * 100_000L + r * 1000L + i).nextBytes(noise);
                                ObjectNode body =
                                        Tarballs.publishBody(
                                                m,
                                                Tarballs.packageTgz(
                                                        m,
                                                        Tarballs.Entry.file(
                                                                "package/noise.bin", noise)));
                                try {
                                    Http.Result reply = http.put("/" + name, t, body);
                                    if (reply.status() == 200) {
                                        acknowledged.add(name + "@" + version);
                                        logIndexes.put(
                                                name + "@" + version,
                                                reply.json().path("logIndex").asLong(-1));
                                    }
                                } catch (Exception e) {
                                    return null; // the server died under us
                                }
                            }
                            return null;
                        });
            }
            pool.submit(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                Http.Result cp = http.get("/-/log/checkpoint");
                                if (cp.status() == 200
                                        && (checkpoints.isEmpty()
                                                || !checkpoints
                                                        .get(checkpoints.size() - 1)
                                                        .equals(cp.body()))) {
                                    checkpoints.add(cp.body());
                                }
                                Thread.sleep(20);
                            } catch (Exception e) {
                                return null;
                            }
                        }
                        return null;
                    });
            Thread.sleep(300 + random.nextInt(700));
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        int port = freePort();
        Process server = start(data, port);
        try {
            Http http = new Http("http://127.0.0.1:" + port);
            int present = verify(http, acknowledged);
            assertThat(acknowledged).isNotEmpty();
            assertThat(present).isGreaterThanOrEqualTo(acknowledged.size());
            verifyLog(http, dir, logIndexes, checkpoints);
        } finally {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Checks the invariants and returns how many versions are present. */
    private static int verify(Http http, Set<String> acknowledged) throws Exception {
        int present = 0;
        List<String> seen = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String name = "crash-pkg-" + w;
            Http.Result doc = http.get("/" + name);
            if (doc.status() == 404) {
                continue;
            }
            assertThat(doc.status()).isEqualTo(200);
            JsonNode versions = doc.json().path("versions");
            for (Iterator<String> it = versions.fieldNames(); it.hasNext(); ) {
                String v = it.next();
                seen.add(name + "@" + v);
                present++;
                Http.Result tgz = http.get("/" + name + "/-/" + name + "-" + v + ".tgz");
                assertThat(tgz.status()).as(name + "@" + v).isEqualTo(200);
                assertThat(Digests.sri512(Digests.digest("SHA-512", tgz.bytes())))
                        .isEqualTo(versions.path(v).path("dist").path("integrity").asText());
            }
            String latest = doc.json().path("dist-tags").path("latest").asText();
            assertThat(versions.has(latest)).as("latest of " + name).isTrue();
        }
        assertThat(seen).containsAll(acknowledged);
        return present;
    }

    /**
     * Every acknowledged publish is where its answer said; the verifier finds every served
     * checkpoint consistent.
     */
    private static void verifyLog(
            Http http, Path dir, Map<String, Long> logIndexes, List<String> checkpoints)
            throws Exception {
        for (Map.Entry<String, Long> e : logIndexes.entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('@'));
            String version = e.getKey().substring(name.length() + 1);
            assertThat(e.getValue()).as("log index of " + e.getKey()).isNotNegative();
            assertThat(
                            http.get("/" + name)
                                    .json()
                                    .path("versions")
                                    .path(version)
                                    .path("_log")
                                    .path("index")
                                    .asLong())
                    .as("packument entry of " + e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(checkpoints).hasSizeGreaterThan(3);
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--url",
                                http.base() + "/-/log/",
                                "--key",
                                http.get("/-/log").json().path("key").asText(),
                                "--sample",
                                "16"));
        int step = Math.max(1, checkpoints.size() / 20);
        for (int i = 0; i < checkpoints.size(); i += step) {
            Path f = dir.resolve("checkpoint-" + i);
            java.nio.file.Files.writeString(f, checkpoints.get(i));
            args.add("--old");
            args.add(f.toString());
        }
        Path last = dir.resolve("checkpoint-last");
        java.nio.file.Files.writeString(last, checkpoints.get(checkpoints.size() - 1));
        args.add("--old");
        args.add(last.toString());
        logIndexes.values().stream()
                .limit(20)
                .forEach(
                        i -> {
                            args.add("--entry");
                            args.add(Long.toString(i));
                        });
        Clients.Run run =
                Clients.node(
                        dir, Map.of(), TransparencyLogTest.VERIFIER, args.toArray(String[]::new));
        assertThat(run.exit()).as(run.all()).isZero();
    }

    /** Logs in through the CouchDB flow. */
    static final class TestLogin {
        static String token(Http http, String user) throws Exception {
            Http.Result r =
                    http.put(
                            "/-/user/org.couchdb.user:" + user,
                            null,
                            Map.of(
                                    "name",
                                    user,
                                    "password",
                                    "s3cret-crash-horse",
                                    "email",
                                    user + "@example.com"));
            assertThat(r.status()).isEqualTo(201);
            return r.json().path("token").asText();
        }
    }
}
