package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The installed npm CLI against a real Warden: every command of the registry protocol it has. */
class NpmCliTest {

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

    private static Clients.Run npm(Path cwd, String... args) throws Exception {
        return Clients.npm(cwd, env, args);
    }

    private static Path pkg(Path dir, String name, String version, String deps, String index)
            throws Exception {
        String json =
                "{\"name\":\""
                        + name
                        + "\",\"version\":\""
                        + version
                        + "\",\"description\":\""
                        + name
                        + " for tests\",\"main\":\"index.js\",\"license\":\"MIT\",\"keywords\":[\"warden-e2e\"],\"dependencies\":{"
                        + deps
                        + "}}";
        return Clients.writePackage(
                dir, json, Map.of("index.js", index, "README.md", "# " + name + "\n"));
    }

    @Test
    void whoamiPrintsTheUser() throws Exception {
        assertThat(npm(home, "whoami").ok().out().trim()).isEqualTo("tester");
    }

    @Test
    void publishScopedAndUnscopedThenInstallAndRequire(@TempDir Path dir) throws Exception {
        pkg(
                dir.resolve("util"),
                "@tester/util",
                "1.0.0",
                "",
                "module.exports = (s) => 'util:' + s;\n");
        pkg(
                dir.resolve("app"),
                "tester-app",
                "1.0.0",
                "\"@tester/util\":\"^1.0.0\"",
                "const u = require('@tester/util'); module.exports = () => u('app');\n");
        assertThat(npm(dir.resolve("util"), "publish").ok().all()).contains("+ @tester/util@1.0.0");
        assertThat(npm(dir.resolve("app"), "publish").ok().all()).contains("+ tester-app@1.0.0");

        Path project =
                Clients.writePackage(
                        dir.resolve("project"),
                        "{\"name\":\"project\",\"version\":\"1.0.0\",\"private\":true}",
                        Map.of());
        npm(project, "install", "tester-app").ok();
        Clients.Run run =
                Clients.exec(
                                project,
                                env,
                                java.util.List.of(
                                        "node", "-e", "console.log(require('tester-app')())"),
                                60)
                        .ok();
        assertThat(run.out().trim()).isEqualTo("util:app");
        JsonNode lock = TestServer.parse(Files.readString(project.resolve("package-lock.json")));
        assertThat(
                        lock.path("packages")
                                .path("node_modules/@tester/util")
                                .path("resolved")
                                .asText())
                .isEqualTo(server.url() + "/@tester/util/-/util-1.0.0.tgz");

        // npm view reads the full document
        assertThat(npm(project, "view", "@tester/util", "version").ok().out().trim())
                .isEqualTo("1.0.0");
        // publishing the same version again shows the registry's reason
        Clients.Run again = npm(dir.resolve("util"), "publish", "--force");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err())
                .contains("409")
                .contains("cannot publish over the previously published version 1.0.0");
    }

    @Test
    void distTags(@TempDir Path dir) throws Exception {
        pkg(dir.resolve("a"), "tagged-lib", "1.0.0", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        pkg(dir.resolve("b"), "tagged-lib", "2.0.0-rc.1", "", "module.exports = 2;\n");
        npm(dir.resolve("b"), "publish", "--tag", "next").ok();
        assertThat(npm(home, "dist-tag", "ls", "tagged-lib").ok().out())
                .contains("latest: 1.0.0")
                .contains("next: 2.0.0-rc.1");
        npm(home, "dist-tag", "add", "tagged-lib@2.0.0-rc.1", "beta").ok();
        assertThat(npm(home, "dist-tag", "ls", "tagged-lib").ok().out())
                .contains("beta: 2.0.0-rc.1");
        npm(home, "dist-tag", "rm", "tagged-lib", "beta").ok();
        assertThat(npm(home, "dist-tag", "ls", "tagged-lib").ok().out()).doesNotContain("beta");
        Clients.Run missing = npm(home, "dist-tag", "add", "tagged-lib@9.9.9", "beta");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("version 9.9.9 of tagged-lib does not exist");
    }

    @Test
    void deprecateAndUndeprecate(@TempDir Path dir) throws Exception {
        pkg(dir.resolve("a"), "aging-lib", "1.0.0", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        npm(home, "deprecate", "aging-lib@1.0.0", "no longer maintained").ok();
        assertThat(npm(home, "view", "aging-lib", "deprecated").ok().out())
                .contains("no longer maintained");
        Path project =
                Clients.writePackage(
                        dir.resolve("p"),
                        "{\"name\":\"p\",\"version\":\"1.0.0\",\"private\":true}",
                        Map.of());
        assertThat(npm(project, "install", "aging-lib").ok().err())
                .contains("deprecated aging-lib@1.0.0: no longer maintained");
        npm(home, "undeprecate", "aging-lib@1.0.0").ok();
        assertThat(npm(home, "view", "aging-lib", "deprecated").ok().out().trim()).isEmpty();
    }

    @Test
    void owners(@TempDir Path dir) throws Exception {
        server.token("helper");
        pkg(dir.resolve("a"), "shared-lib", "1.0.0", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        npm(home, "owner", "add", "helper", "shared-lib").ok();
        assertThat(npm(home, "owner", "ls", "shared-lib").ok().out())
                .contains("tester <tester@example.com>")
                .contains("helper <helper@example.com>");
        npm(home, "owner", "rm", "helper", "shared-lib").ok();
        assertThat(npm(home, "owner", "ls", "shared-lib").ok().out()).doesNotContain("helper");
        Clients.Run unknown = npm(home, "owner", "add", "no-such-user", "shared-lib");
        assertThat(unknown.exit()).isNotZero();
    }

    @Test
    void unpublishVersionAndPackage(@TempDir Path dir) throws Exception {
        pkg(dir.resolve("a"), "brief-lib", "1.0.0", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        pkg(dir.resolve("b"), "brief-lib", "1.0.1", "", "module.exports = 2;\n");
        npm(dir.resolve("b"), "publish").ok();
        assertThat(npm(home, "unpublish", "brief-lib@1.0.1").ok().out())
                .contains("- brief-lib@1.0.1");
        JsonNode doc = server.http().get("/brief-lib").json();
        assertThat(doc.path("versions").has("1.0.1")).isFalse();
        assertThat(doc.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        Clients.Run reuse = npm(dir.resolve("b"), "publish");
        assertThat(reuse.exit()).isNotZero();
        assertThat(reuse.err()).contains("can never be published again");
        assertThat(npm(home, "unpublish", "brief-lib", "--force").ok().out())
                .contains("- brief-lib");
        assertThat(server.http().get("/brief-lib").status()).isEqualTo(404);
    }

    @Test
    void searchStarsAndAccess(@TempDir Path dir) throws Exception {
        pkg(dir.resolve("a"), "@tester/findable", "3.1.4", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        Clients.Run search = npm(home, "search", "findable");
        assertThat(search.ok().out())
                .contains("@tester/findable")
                .contains("3.1.4")
                .contains("tester");
        JsonNode json = TestServer.parse(npm(home, "search", "findable", "--json").ok().out());
        assertThat(json.get(0).path("name").asText()).isEqualTo("@tester/findable");

        npm(home, "star", "@tester/findable").ok();
        assertThat(npm(home, "stars").ok().out()).contains("@tester/findable");
        npm(home, "unstar", "@tester/findable").ok();

        assertThat(npm(home, "access", "get", "status", "@tester/findable").ok().out())
                .contains("public");
        npm(home, "access", "set", "status=private", "@tester/findable").ok();
        assertThat(npm(home, "access", "get", "status", "@tester/findable").ok().out())
                .contains("private");
        assertThat(server.http().get("/@tester%2ffindable").status()).isEqualTo(404);
        assertThat(npm(home, "access", "list", "packages", "@tester").ok().out())
                .contains("@tester/findable: read-write");
        assertThat(npm(home, "access", "list", "collaborators", "@tester/findable").ok().out())
                .contains("tester: read-write");
        npm(home, "access", "set", "status=public", "@tester/findable").ok();
        assertThat(server.http().get("/@tester%2ffindable").status()).isEqualTo(200);
    }

    @Test
    void auditReportsNothingToFix(@TempDir Path dir) throws Exception {
        pkg(dir.resolve("a"), "audited-lib", "1.0.0", "", "module.exports = 1;\n");
        npm(dir.resolve("a"), "publish").ok();
        Path project =
                Clients.writePackage(
                        dir.resolve("p"),
                        "{\"name\":\"p\",\"version\":\"1.0.0\",\"private\":true}",
                        Map.of());
        npm(project, "install", "audited-lib").ok();
        assertThat(npm(project, "audit", "--audit=true").ok().out())
                .contains("found 0 vulnerabilities");
    }

    @Test
    void pingAndLogout(@TempDir Path dir) throws Exception {
        assertThat(npm(home, "ping", "--loglevel=notice").ok().all()).contains("PONG");
        Path other = Files.createDirectories(dir.resolve("home2"));
        Map<String, String> env2 = Clients.env(other, server.url());
        String token = server.token("leaver");
        Clients.login(other, server.url(), token);
        assertThat(Clients.npm(other, env2, "whoami").ok().out().trim()).isEqualTo("leaver");
        Clients.npm(other, env2, "logout").ok();
        assertThat(Files.readString(other.resolve(".npmrc"))).doesNotContain("_authToken");
        Clients.Run after = Clients.npm(other, env2, "whoami");
        assertThat(after.exit()).isNotZero();
        assertThat(server.http().get("/-/whoami", token, Map.of()).status()).isEqualTo(401);
    }
}
