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
 * A governed package with three maintainers and the real npm CLI: a release needs two approvals
 * from the others ({@code npm stage approve --otp}) before it can be installed; a rejected one
 * never can; {@code npm owner add} waits for the same quorum ({@code warden governance approve}).
 */
class GovernedReleaseTest {

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

    static Path pkg(Path dir, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve("gov-lib-" + version),
                "{\"name\":\"gov-lib\",\"version\":\"" + version + "\"}",
                Map.of("index.js", "module.exports = '" + version + "';\n"));
    }

    /** A release that adds an install script and the file it runs: what an approver must notice. */
    static Path withInstallScript(Path dir, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve("gov-lib-" + version),
                "{\"name\":\"gov-lib\",\"version\":\""
                        + version
                        + "\",\"scripts\":{\"postinstall\":\"node setup.js\"}}",
                Map.of(
                        "index.js",
                        "module.exports = '" + version + "';\n",
                        "setup.js",
                        "console.log('set up');\n"));
    }

    @Test
    void aReleaseGoesLiveOnlyWithTwoOtherMaintainersApprovalAndARejectedOneNever(@TempDir Path dir)
            throws Exception {
        Maintainer ann = maintainer(dir, "gov-ann");
        Maintainer bob = maintainer(dir, "gov-bob");
        Maintainer cid = maintainer(dir, "gov-cid");
        Clients.npm(pkg(dir, "1.0.0"), ann.env(), "publish").ok();
        Clients.npm(dir, ann.env(), "owner", "add", bob.name(), "gov-lib").ok();
        Clients.npm(dir, ann.env(), "owner", "add", cid.name(), "gov-lib").ok();

        // M > N-1 cannot be met; two approvals of three maintainers can
        Http.Result impossible =
                server.http()
                        .send(
                                "PUT",
                                "/-/package/gov-lib/governance",
                                ann.token(),
                                "{\"approvals\":3}".getBytes(),
                                Map.of(
                                        "Content-Type",
                                        "application/json",
                                        "npm-otp",
                                        ann.app().next()));
        assertThat(impossible.status()).isEqualTo(400);
        assertThat(impossible.error()).contains("cannot be met");
        Http.Result adopted =
                server.http()
                        .send(
                                "PUT",
                                "/-/package/gov-lib/governance",
                                ann.token(),
                                "{\"approvals\":2}".getBytes(),
                                Map.of(
                                        "Content-Type",
                                        "application/json",
                                        "npm-otp",
                                        ann.app().next()));
        assertThat(adopted.status()).as(adopted.body()).isEqualTo(200);
        assertThat(
                        server.http()
                                .get("/-/package/gov-lib/governance")
                                .json()
                                .path("policy")
                                .path("approvals")
                                .asInt())
                .isEqualTo(2);

        // a plain npm publish is staged, and npm is told so
        Clients.Run staged =
                Clients.npm(
                                withInstallScript(dir, "1.1.0"),
                                ann.env(),
                                "publish",
                                "--loglevel=notice")
                        .ok();
        Matcher id = Pattern.compile("staged as ([0-9a-f-]{36})").matcher(staged.all());
        assertThat(id.find()).as(staged.all()).isTrue();
        String stage = id.group(1);
        assertThat(Clients.npm(dir, bob.env(), "view", "gov-lib", "versions", "--json").ok().out())
                .doesNotContain("1.1.0");

        assertThat(Clients.npm(dir, bob.env(), "stage", "list", "gov-lib").ok().out())
                .contains(stage)
                .contains("1.1.0");
        String view = Clients.npm(dir, cid.env(), "stage", "view", stage).ok().out();
        assertThat(view)
                .contains("gov-lib")
                .contains("1.1.0")
                .contains(ann.name())
                .contains("approvalsRequired");
        // the review material: what changed since 1.0.0
        assertThat(view)
                .contains("comparedWith: 1.0.0")
                .contains("filesAdded: setup.js (")
                .contains("filesChanged: index.js (")
                .contains("scripts.postinstall: (none) -> \"node setup.js\"");
        Clients.Run download = Clients.npm(dir, cid.env(), "stage", "download", stage);
        assertThat(download.exit()).as(download.all()).isZero();
        assertThat(dir.resolve("gov-lib-1.1.0-" + stage + ".tgz")).exists();

        Clients.Run own =
                Clients.npm(dir, ann.env(), "stage", "approve", stage, "--otp=" + ann.app().next());
        assertThat(own.exit()).isNotZero();
        assertThat(own.all()).contains("you staged gov-lib@1.1.0");
        Clients.Run noOtp = Clients.npm(dir, bob.env(), "stage", "approve", stage);
        assertThat(noOtp.exit()).isNotZero();
        assertThat(noOtp.all()).contains("EOTP");
        Clients.npm(dir, bob.env(), "stage", "approve", stage, "--otp=" + bob.app().next()).ok();
        Clients.Run twice =
                Clients.npm(dir, bob.env(), "stage", "approve", stage, "--otp=" + bob.app().next());
        assertThat(twice.exit()).isNotZero();
        assertThat(twice.all()).contains("already approved");
        assertThat(Clients.npm(dir, bob.env(), "view", "gov-lib", "versions", "--json").ok().out())
                .doesNotContain("1.1.0");
        Clients.npm(dir, cid.env(), "stage", "approve", stage, "--otp=" + cid.app().next()).ok();

        Path project =
                Clients.writePackage(
                        dir.resolve("app"),
                        "{\"name\":\"app\",\"version\":\"1.0.0\",\"private\":true}",
                        Map.of());
        Clients.npm(project, cid.env(), "install", "gov-lib@1.1.0").ok();
        assertThat(Files.readString(project.resolve("node_modules/gov-lib/index.js")))
                .contains("1.1.0");
        // it was published as its stager published it
        assertThat(Clients.npm(dir, cid.env(), "view", "gov-lib@1.1.0", "_npmUser").ok().out())
                .contains(ann.name());

        // npm owner add is a critical change: held until two other maintainers approve it with
        // warden governance
        Maintainer dave = maintainer(dir, "gov-dave");
        Clients.Run held =
                Clients.npm(
                                dir,
                                ann.env(),
                                "owner",
                                "add",
                                dave.name(),
                                "gov-lib",
                                "--loglevel=notice")
                        .ok();
        Matcher request = Pattern.compile("change request ([0-9a-f-]{36})").matcher(held.all());
        assertThat(request.find()).as(held.all()).isTrue();
        assertThat(Clients.npm(dir, ann.env(), "owner", "ls", "gov-lib").ok().out())
                .doesNotContain(dave.name());
        String registry = "--registry=" + server.url();
        Clients.Run listed =
                TransparencyLogTest.java(
                        dir, "governance", "list", registry, "--token=" + bob.token());
        assertThat(listed.exit()).as(listed.all()).isZero();
        assertThat(listed.out())
                .contains(request.group(1))
                .contains("owners")
                .contains(dave.name())
                .contains("approvals 0 of 2");
        Clients.Run ownRequest =
                TransparencyLogTest.java(
                        dir,
                        "governance",
                        "approve",
                        request.group(1),
                        registry,
                        "--token=" + ann.token(),
                        "--otp=" + ann.app().next());
        assertThat(ownRequest.exit()).isNotZero();
        assertThat(ownRequest.err()).contains("you requested this change");
        Clients.Run bobs =
                TransparencyLogTest.java(
                        dir,
                        "governance",
                        "approve",
                        request.group(1),
                        registry,
                        "--token=" + bob.token(),
                        "--otp=" + bob.app().next());
        assertThat(bobs.exit()).as(bobs.all()).isZero();
        assertThat(bobs.out()).contains("approvals 1 of 2");
        assertThat(Clients.npm(dir, ann.env(), "owner", "ls", "gov-lib").ok().out())
                .doesNotContain(dave.name());
        Clients.Run cids =
                TransparencyLogTest.java(
                        dir,
                        "governance",
                        "approve",
                        request.group(1),
                        registry,
                        "--token=" + cid.token(),
                        "--otp=" + cid.app().next());
        assertThat(cids.exit()).as(cids.all()).isZero();
        assertThat(cids.out()).contains("the change is applied");
        assertThat(Clients.npm(dir, ann.env(), "owner", "ls", "gov-lib").ok().out())
                .contains(dave.name());

        // npm stage publish, rejected by one maintainer: never installable, and no longer
        // approvable
        Clients.Run second = Clients.npm(pkg(dir, "1.2.0"), ann.env(), "stage", "publish").ok();
        Matcher rejectedId =
                Pattern.compile("staged with id ([0-9a-f-]{36})").matcher(second.all());
        assertThat(rejectedId.find()).as(second.all()).isTrue();
        Clients.npm(
                        dir,
                        bob.env(),
                        "stage",
                        "reject",
                        rejectedId.group(1),
                        "--otp=" + bob.app().next())
                .ok();
        Clients.Run late =
                Clients.npm(
                        dir,
                        cid.env(),
                        "stage",
                        "approve",
                        rejectedId.group(1),
                        "--otp=" + cid.app().next());
        assertThat(late.exit()).isNotZero();
        assertThat(late.all()).contains("rejected");
        Clients.Run missing = Clients.npm(project, cid.env(), "install", "gov-lib@1.2.0");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.all()).contains("ETARGET");
        assertThat(Clients.npm(dir, bob.env(), "stage", "list", "gov-lib").ok().out())
                .contains("No staged versions");

        // npm dist-tag add (moving latest down) and npm deprecate are held the same way, and npm
        // says so
        Clients.Run lower =
                Clients.npm(
                                dir,
                                ann.env(),
                                "dist-tag",
                                "add",
                                "gov-lib@1.0.0",
                                "latest",
                                "--loglevel=notice")
                        .ok();
        assertThat(lower.all())
                .contains("moving latest down from 1.1.0 to 1.0.0")
                .contains("change request");
        Clients.Run deprecate =
                Clients.npm(
                                dir,
                                ann.env(),
                                "deprecate",
                                "gov-lib@1.0.0",
                                "use 1.1",
                                "--loglevel=notice")
                        .ok();
        assertThat(deprecate.all()).contains("deprecating 1.0.0").contains("change request");
        assertThat(
                        Clients.npm(dir, bob.env(), "view", "gov-lib", "dist-tags.latest")
                                .ok()
                                .out()
                                .trim())
                .isEqualTo("1.1.0");
        assertThat(
                        Clients.npm(dir, bob.env(), "view", "gov-lib@1.0.0", "deprecated")
                                .ok()
                                .out()
                                .trim())
                .isEmpty();
    }
}
