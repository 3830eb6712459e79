package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A private advisory from draft to the clients' audits: a maintainer drafts it with {@code warden
 * advisory}, invites a reporter who comments, publishes it with a one-time password; then {@code
 * npm audit}, {@code pnpm audit} and {@code yarn npm audit} (berry) in a project depending on an
 * affected version list it with its severity and range, and after {@code warden advisory withdraw}
 * none of them does.
 */
class AdvisoryAuditTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Clients.installOthers();
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Clients.Run warden(Path dir, String token, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--registry=" + server.url();
        all[args.length + 1] = "--token=" + token;
        return TransparencyLogTest.java(dir, all);
    }

    @Test
    void npmPnpmAndYarnAuditListAPublishedAdvisoryUntilItIsWithdrawn(@TempDir Path dir)
            throws Exception {
        Path home = Files.createDirectories(dir.resolve("alice"));
        String alice = server.token("adv-alice");
        Authenticator app = server.enableTwoFactor("adv-alice", alice, "auth-only");
        Clients.login(home, server.url(), alice);
        Map<String, String> env = new HashMap<>(Clients.env(home, server.url()));
        // npm caches advisories by id, and every test server numbers its records from 1
        env.put("npm_config_cache", dir.resolve(".npm-cache").toString());
        for (String v : new String[] {"1.0.0", "1.1.0"}) {
            Path p =
                    Clients.writePackage(
                            dir.resolve("lib-" + v),
                            "{\"name\":\"vuln-lib\",\"version\":\"" + v + "\"}",
                            Map.of("index.js", "module.exports = '" + v + "';\n"));
            Clients.npm(p, env, "publish").ok();
        }
        String bob = server.token("adv-bob");

        Clients.Run drafted =
                warden(
                        dir,
                        alice,
                        "advisory",
                        "draft",
                        "vuln-lib",
                        "--affected",
                        "<1.1.0",
                        "--severity",
                        "high",
                        "--summary",
                        "Command injection in vuln-lib",
                        "--patched",
                        "1.1.0");
        assertThat(drafted.exit()).as(drafted.all()).isZero();
        String id = drafted.out().trim();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(warden(dir, bob, "advisory", "show", id).err())
                .contains("404 there is no advisory draft " + id);
        assertThat(warden(dir, alice, "advisory", "invite", id, "adv-bob").ok().out())
                .contains("Invited adv-bob");
        warden(dir, bob, "advisory", "comment", id, "Reproduced on 1.0.0.").ok();
        assertThat(warden(dir, alice, "advisory", "show", id).ok().out())
                .contains("severity: high")
                .contains("affected: <1.1.0")
                .contains("invited: adv-bob (by adv-alice)")
                .contains("adv-bob: Reproduced on 1.0.0.");
        Clients.Run published =
                warden(dir, alice, "advisory", "publish", id, "--otp=" + app.next()).ok();
        String osvId = published.out().trim();
        assertThat(osvId).matches("x_WARDEN-\\d{4}-1");

        // npm
        Path project =
                Clients.writePackage(
                        dir.resolve("p"),
                        "{\"name\":\"p\",\"version\":\"1.0.0\",\"private\":true,"
                                + "\"dependencies\":{\"vuln-lib\":\"1.0.0\"}}",
                        Map.of());
        Clients.npm(project, env, "install").ok();
        Clients.Run audit = Clients.npm(project, env, "audit", "--audit=true");
        assertThat(audit.exit()).as(audit.all()).isNotZero();
        assertThat(audit.out())
                // npm names the affected versions it found published: here only 1.0.0
                .contains("vuln-lib  1.0.0")
                .contains("Severity: high")
                .contains("Command injection in vuln-lib")
                .contains(server.url() + "/-/osv/" + osvId)
                .contains("1 high severity vulnerability");
        JsonNode report =
                JSON.readTree(Clients.npm(project, env, "audit", "--audit=true", "--json").out());
        assertThat(report.path("vulnerabilities").path("vuln-lib").path("severity").asText())
                .isEqualTo("high");
        JsonNode via = report.path("vulnerabilities").path("vuln-lib").path("via").get(0);
        assertThat(via.path("range").asText()).isEqualTo("<1.1.0");
        assertThat(via.path("title").asText()).isEqualTo("Command injection in vuln-lib");
        assertThat(via.path("url").asText()).isEqualTo(server.url() + "/-/osv/" + osvId);

        // pnpm: npm 6's quick audit
        Path pnpmProject = Files.createDirectories(dir.resolve("pnpm"));
        Files.copy(project.resolve("package.json"), pnpmProject.resolve("package.json"));
        Map<String, String> pnpmEnv = new HashMap<>(env);
        pnpmEnv.put("npm_config_store_dir", dir.resolve(".pnpm-store").toString());
        String registry = server.url() + "/";
        Clients.node(pnpmProject, pnpmEnv, Clients.pnpmScript(), "install", "--registry", registry)
                .ok();
        Clients.Run pnpm =
                Clients.node(
                        pnpmProject,
                        pnpmEnv,
                        Clients.pnpmScript(),
                        "audit",
                        "--registry",
                        registry);
        assertThat(pnpm.exit()).as(pnpm.all()).isNotZero();
        assertThat(pnpm.out())
                .contains("high")
                .contains("Command injection in vuln-lib")
                .contains("vuln-lib")
                .contains("<1.1.0")
                .contains(">=1.1.0")
                .contains("1 vulnerabilities found");

        // yarn berry
        Path berry =
                Clients.writePackage(
                        dir.resolve("berry"),
                        "{\"name\":\"b\",\"version\":\"1.0.0\",\"private\":true,"
                                + "\"dependencies\":{\"vuln-lib\":\"1.0.0\"}}",
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
        Files.writeString(berry.resolve("yarn.lock"), "");
        Map<String, String> berryEnv = new HashMap<>(env);
        berryEnv.put("YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
        Clients.node(berry, berryEnv, Clients.yarnBerryScript(), "install").ok();
        Clients.Run yarn = Clients.node(berry, berryEnv, Clients.yarnBerryScript(), "npm", "audit");
        assertThat(yarn.exit()).as(yarn.all()).isNotZero();
        assertThat(yarn.out())
                .contains("vuln-lib")
                .contains(osvId)
                .contains("Command injection in vuln-lib")
                .contains("high")
                .contains("<1.1.0");

        assertThat(warden(dir, alice, "advisory", "withdraw", id, "--otp=" + app.next()).ok().out())
                .contains("Withdrew " + osvId);
        assertThat(Clients.npm(project, env, "audit", "--audit=true").ok().out())
                .contains("found 0 vulnerabilities");
        assertThat(
                        Clients.node(
                                        pnpmProject,
                                        pnpmEnv,
                                        Clients.pnpmScript(),
                                        "audit",
                                        "--registry",
                                        registry)
                                .ok()
                                .out())
                .contains("No known vulnerabilities found");
        assertThat(
                        Clients.node(berry, berryEnv, Clients.yarnBerryScript(), "npm", "audit")
                                .ok()
                                .out())
                .contains("No audit suggestions");
    }
}
