package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * pnpm, yarn classic and yarn berry install from Warden what npm published: a scoped library and an
 * unscoped package that depends on it, then require() it.
 */
class OtherClientsTest {

    static TestServer server;
    static Path home;
    static Map<String, String> env;
    static final String PROJECT =
            "{\"name\":\"consumer\",\"version\":\"1.0.0\",\"private\":true,"
                    + "\"dependencies\":{\"multi-app\":\"^2.0.0\"}}";
    static final List<String> REQUIRE =
            List.of("node", "-e", "console.log(require('multi-app')())");

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Clients.installOthers();
        server = TestServer.start();
        home = Files.createDirectories(dir.resolve("home"));
        env = Clients.env(home, server.url());
        Clients.login(home, server.url(), server.token("multi"));
        Clients.writePackage(
                dir.resolve("lib"),
                "{\"name\":\"@multi/lib\",\"version\":\"2.1.0\",\"main\":\"index.js\"}",
                Map.of("index.js", "module.exports = (s) => 'lib:' + s;\n"));
        Clients.writePackage(
                dir.resolve("app"),
                "{\"name\":\"multi-app\",\"version\":\"2.0.0\",\"main\":\"index.js\","
                        + "\"dependencies\":{\"@multi/lib\":\"^2.0.0\"}}",
                Map.of("index.js", "module.exports = () => require('@multi/lib')('app');\n"));
        Clients.npm(dir.resolve("lib"), env, "publish").ok();
        Clients.npm(dir.resolve("app"), env, "publish").ok();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void pnpmInstalls(@TempDir Path dir) throws Exception {
        Path project = Clients.writePackage(dir, PROJECT, Map.of());
        Map<String, String> pnpmEnv = new java.util.HashMap<>(env);
        pnpmEnv.put("npm_config_store_dir", dir.resolve(".pnpm-store").toString());
        Clients.node(
                        project,
                        pnpmEnv,
                        Clients.pnpmScript(),
                        "install",
                        "--registry",
                        server.url() + "/")
                .ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("pnpm-lock.yaml")))
                .contains("'@multi/lib@2.1.0'");
    }

    @Test
    void yarnClassicInstalls(@TempDir Path dir) throws Exception {
        Path project = Clients.writePackage(dir, PROJECT, Map.of());
        Map<String, String> yarnEnv = new java.util.HashMap<>(env);
        yarnEnv.put("YARN_CACHE_FOLDER", dir.resolve(".yarn-cache").toString());
        Clients.node(
                        project,
                        yarnEnv,
                        Clients.yarnClassicScript(),
                        "install",
                        "--registry",
                        server.url() + "/",
                        "--non-interactive",
                        "--no-progress")
                .ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("yarn.lock")))
                .contains(server.url() + "/@multi/lib/-/lib-2.1.0.tgz");
    }

    @Test
    void yarnBerryInstalls(@TempDir Path dir) throws Exception {
        Path project =
                Clients.writePackage(
                        dir,
                        PROJECT,
                        Map.of(
                                ".yarnrc.yml",
                                "npmRegistryServer: \""
                                        + server.url()
                                        + "\"\n"
                                        + "unsafeHttpWhitelist:\n  - \"127.0.0.1\"\n"
                                        + "npmMinimalAgeGate: 0\n"
                                        + "nodeLinker: node-modules\n"
                                        + "enableGlobalCache: false\n"
                                        + "enableTelemetry: false\n"));
        Files.writeString(project.resolve("yarn.lock"), "");
        Map<String, String> berryEnv = new java.util.HashMap<>(env);
        berryEnv.put("YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
        Clients.node(project, berryEnv, Clients.yarnBerryScript(), "install").ok();
        assertThat(Clients.exec(project, env, REQUIRE, 60).ok().out().trim()).isEqualTo("lib:app");
        assertThat(Files.readString(project.resolve("yarn.lock"))).contains("@multi/lib@npm:2.1.0");
    }
}
