package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Typosquatting at name creation, as the installed npm CLI shows it to the publisher. */
class LookalikeNameTest {

    static TestServer server;
    static Path home;
    static Map<String, String> env;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        server = TestServer.start();
        home = Files.createDirectories(dir.resolve("home"));
        env = Clients.env(home, server.url());
        Clients.login(home, server.url(), server.token("tester"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Path pkg(Path dir, String name) throws Exception {
        return Clients.writePackage(
                dir,
                "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"license\":\"MIT\"}",
                Map.of("index.js", "module.exports = 1;\n"));
    }

    @Test
    void npmPublishOfALookalikeNamePrintsThePopularPackageItResembles(@TempDir Path dir)
            throws Exception {
        Clients.Run refused = Clients.npm(pkg(dir.resolve("a"), "crossenv"), env, "publish");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err())
                .contains("403")
                .contains(
                        "the name crossenv is one separator away from the popular package"
                                + " cross-env");
        Clients.Run view = Clients.npm(home, env, "view", "crossenv");
        assertThat(view.exit()).isNotZero();
        assertThat(view.err()).contains("404");

        Clients.Run staged = Clients.npm(pkg(dir.resolve("b"), "lodahs"), env, "stage", "publish");
        assertThat(staged.exit()).isNotZero();
        assertThat(staged.err())
                .contains(
                        "the name lodahs swaps two adjacent characters of the popular package"
                                + " lodash");

        assertThat(Clients.npm(pkg(dir.resolve("c"), "tester-widgets"), env, "publish").ok().all())
                .contains("+ tester-widgets@1.0.0");
    }
}
