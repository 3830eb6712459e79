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

/** npm org, npm team and npm access grant|revoke against Warden's organizations. */
class NpmOrgsTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Map<String, String> login(Path dir, String user) throws Exception {
        Path home = Files.createDirectories(dir.resolve(user));
        Clients.login(home, server.url(), server.token(user));
        return Clients.env(home, server.url());
    }

    private static Path pkg(Path dir, String name, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve(name.replace("/", "_") + "-" + version),
                "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}",
                Map.of("index.js", "module.exports = 1;\n"));
    }

    @Test
    void membersTeamsAndGrants(@TempDir Path dir) throws Exception {
        Map<String, String> owner = login(dir, "boss");
        Map<String, String> dev = login(dir, "coder");
        Map<String, String> stranger = login(dir, "outsider");
        String bossToken = server.token("boss");
        assertThat(
                        server.http()
                                .post(
                                        "/-/warden/v1/orgs",
                                        bossToken,
                                        "{\"name\":\"acme-corp\"}".getBytes(),
                                        Map.of())
                                .status())
                .isEqualTo(201);

        assertThat(
                        Clients.npm(dir, owner, "org", "set", "acme-corp", "coder", "developer")
                                .ok()
                                .out())
                .contains(
                        "Added coder as developer to acme-corp. You now have 2 members in this"
                                + " org.");
        assertThat(Clients.npm(dir, owner, "org", "ls", "acme-corp").ok().out())
                .contains("boss - owner")
                .contains("coder - developer");
        assertThat(Clients.npm(dir, stranger, "org", "ls", "acme-corp").exit()).isNotZero();
        assertThat(Clients.npm(dir, dev, "org", "set", "acme-corp", "outsider", "developer").exit())
                .isNotZero();

        assertThat(Clients.npm(dir, owner, "team", "create", "@acme-corp:core").ok().out())
                .contains("+@acme-corp:core");
        assertThat(Clients.npm(dir, owner, "team", "add", "@acme-corp:core", "coder").ok().out())
                .contains("coder added to @acme-corp:core");
        assertThat(Clients.npm(dir, owner, "team", "ls", "@acme-corp").ok().out())
                .contains("@acme-corp:core");
        assertThat(Clients.npm(dir, owner, "team", "ls", "@acme-corp:core").ok().out())
                .contains("coder");

        Clients.npm(pkg(dir, "@acme-corp/lib", "1.0.0"), owner, "publish").ok();
        Clients.Run denied = Clients.npm(pkg(dir, "@acme-corp/lib", "1.0.1"), dev, "publish");
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.err()).contains("403");
        Clients.Run outside =
                Clients.npm(pkg(dir, "@acme-corp/other", "1.0.0"), stranger, "publish");
        assertThat(outside.exit()).isNotZero();
        assertThat(outside.err()).contains("not a member of that organization");

        Clients.npm(
                        dir,
                        owner,
                        "access",
                        "grant",
                        "read-write",
                        "@acme-corp:core",
                        "@acme-corp/lib")
                .ok();
        assertThat(
                        Clients.npm(dir, owner, "access", "list", "packages", "@acme-corp:core")
                                .ok()
                                .out())
                .contains("@acme-corp/lib: read-write");
        Clients.npm(pkg(dir, "@acme-corp/lib", "1.0.1"), dev, "publish").ok();
        Clients.npm(dir, owner, "access", "revoke", "@acme-corp:core", "@acme-corp/lib").ok();
        assertThat(Clients.npm(pkg(dir, "@acme-corp/lib", "1.0.2"), dev, "publish").exit())
                .isNotZero();

        Clients.npm(dir, owner, "team", "rm", "@acme-corp:core", "coder").ok();
        assertThat(Clients.npm(dir, owner, "org", "rm", "acme-corp", "coder").ok().out())
                .contains("Successfully removed coder from acme-corp");
        assertThat(Clients.npm(dir, owner, "org", "rm", "acme-corp", "boss").exit()).isNotZero();
        Clients.npm(dir, owner, "team", "destroy", "@acme-corp:core").ok();
        assertThat(Clients.npm(dir, owner, "team", "ls", "@acme-corp").ok().out())
                .doesNotContain("core");
    }
}
