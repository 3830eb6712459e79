package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trusted publishing with the real npm CLI: {@code npm trust} configures a package's publisher, and
 * {@code npm publish} in an emulated GitHub Actions or GitLab CI job gets its OIDC ID token from a
 * local issuer, exchanges it and publishes with no token in any npmrc.
 */
class TrustedPublishingTest {

    static TestOidcIssuer issuer;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestOidcIssuer.start(Clock.systemUTC());
        server = TestServer.start(Map.of("oidc.extra_issuers", issuer.extraIssuersSetting()));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        issuer.close();
    }

    static Path pkg(Path dir, String name, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve(name + "-" + version),
                "{\"name\":\""
                        + name
                        + "\",\"version\":\""
                        + version
                        + "\",\"repository\":{\"type\":\"git\",\"url\":\"git+https://github.com/octo/"
                        + name
                        + ".git\"}}",
                Map.of("index.js", "module.exports = 1;\n"));
    }

    /** A maintainer's home with a token and 2FA on, who has published {@code name} 1.0.0. */
    static Map.Entry<Map<String, String>, Authenticator> maintainer(
            Path dir, String user, String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(user));
        String token = server.token(user);
        Clients.login(home, server.url(), token);
        Map<String, String> env = Clients.env(home, server.url());
        Clients.npm(pkg(dir, name, "1.0.0"), env, "publish").ok();
        return Map.entry(env, server.enableTwoFactor(user, token, "auth-only"));
    }

    /** A CI job's environment: its own home whose npmrc names the registry and holds no token. */
    static Map<String, String> job(Path dir, String name, Map<String, String> ci) throws Exception {
        Path home = Files.createDirectories(dir.resolve("job-" + name));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        Map<String, String> env = new HashMap<>(Clients.env(home, server.url()));
        env.putAll(ci);
        return env;
    }

    /** What GitHub Actions sets in a job that has {@code permissions: id-token: write}. */
    static Map<String, String> githubActions(String repository) {
        return githubActions(issuer, repository);
    }

    /**
     * What GitHub Actions sets in a job of {@code repository} whose ID tokens come from {@code
     * issuer}.
     */
    static Map<String, String> githubActions(TestOidcIssuer issuer, String repository) {
        Map<String, String> env = new HashMap<>();
        env.put("GITHUB_ACTIONS", "true");
        env.put("ACTIONS_ID_TOKEN_REQUEST_URL", issuer.actionsTokenUrl());
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", TestOidcIssuer.REQUEST_TOKEN);
        env.put("GITHUB_REPOSITORY", repository);
        env.put(
                "GITHUB_WORKFLOW_REF",
                repository + "/.github/workflows/publish.yml@refs/heads/main");
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_SHA", "8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c");
        env.put("GITHUB_RUN_ID", "9876543210");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("GITHUB_SERVER_URL", "https://github.com");
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("RUNNER_ENVIRONMENT", "github-hosted");
        return env;
    }

    @Test
    void aGithubActionsJobPublishesWithItsOidcIdentityAndNoStoredToken(@TempDir Path dir)
            throws Exception {
        Map.Entry<Map<String, String>, Authenticator> tpm = maintainer(dir, "tpm", "ci-lib");
        Map<String, String> env = tpm.getKey();
        Authenticator app = tpm.getValue();

        Clients.Run noOtp =
                Clients.npm(
                        dir,
                        env,
                        "trust",
                        "github",
                        "ci-lib",
                        "--file",
                        "publish.yml",
                        "--repo",
                        "octo/ci-lib",
                        "--allow-publish",
                        "--yes");
        assertThat(noOtp.exit()).isNotZero();
        assertThat(noOtp.all()).contains("EOTP");
        Clients.Run added =
                Clients.npm(
                                dir,
                                env,
                                "trust",
                                "github",
                                "ci-lib",
                                "--file",
                                "publish.yml",
                                "--repo",
                                "octo/ci-lib",
                                "--allow-publish",
                                "--yes",
                                "--otp=" + app.next())
                        .ok();
        Matcher id = Pattern.compile("id: (oidc:[0-9a-f-]+)").matcher(added.out());
        assertThat(id.find()).as(added.all()).isTrue();
        String listed = Clients.npm(dir, env, "trust", "list", "ci-lib").ok().out();
        assertThat(listed)
                .contains(id.group(1))
                .contains("octo/ci-lib")
                .contains("publish.yml")
                .contains("permissions: publish");

        issuer.job(TestOidcIssuer.github("octo/ci-lib", "publish.yml", null));
        Map<String, String> ci = job(dir, "ci-lib", githubActions("octo/ci-lib"));
        int served = issuer.tokensServed();
        Clients.Run published =
                Clients.npm(pkg(dir, "ci-lib", "1.0.1"), ci, "publish", "--provenance=false");
        assertThat(published.exit()).as(published.all()).isZero();
        assertThat(published.out()).contains("+ ci-lib@1.0.1");
        assertThat(issuer.tokensServed()).isEqualTo(served + 1);
        assertThat(Files.readString(Path.of(ci.get("npm_config_userconfig"))))
                .doesNotContain("_authToken");
        assertThat(Clients.npm(dir, env, "view", "ci-lib@1.0.1", "_npmUser").ok().out().trim())
                .isEqualTo("GitHub Actions <npm-oidc-no-reply@github.com>");
        String trusted =
                Clients.npm(dir, env, "view", "ci-lib@1.0.1", "_npmUser.trustedPublisher", "--json")
                        .ok()
                        .out();
        assertThat(trusted)
                .contains("\"repository\": \"octo/ci-lib\"")
                .contains("\"runId\": \"9876543210\"");
        // (npm masks the id in its output as if it were a credential; the packument has it whole)
        assertThat(
                        server.http()
                                .get("/ci-lib")
                                .json()
                                .path("versions")
                                .path("1.0.1")
                                .path("_npmUser")
                                .path("trustedPublisher")
                                .path("oidcConfigId")
                                .asText())
                .isEqualTo(id.group(1));

        // a job of another repository gets no token, and npm has nothing to publish with
        issuer.job(TestOidcIssuer.github("octo/forked", "publish.yml", null));
        Clients.Run forked =
                Clients.npm(
                        pkg(dir, "ci-lib", "1.0.2"),
                        job(dir, "forked", githubActions("octo/forked")),
                        "publish",
                        "--provenance=false",
                        "--loglevel=verbose");
        assertThat(forked.exit()).isNotZero();
        assertThat(forked.all())
                .contains("ENEEDAUTH")
                .contains("the ID token is from repository octo/forked");

        Clients.npm(
                        dir,
                        env,
                        "trust",
                        "revoke",
                        "ci-lib",
                        "--id",
                        id.group(1),
                        "--otp=" + app.next())
                .ok();
        assertThat(Clients.npm(dir, env, "trust", "list", "ci-lib").ok().out())
                .contains("No trust configurations found");
        issuer.job(TestOidcIssuer.github("octo/ci-lib", "publish.yml", null));
        Clients.Run revoked =
                Clients.npm(
                        pkg(dir, "ci-lib", "1.0.3"),
                        ci,
                        "publish",
                        "--provenance=false",
                        "--loglevel=verbose");
        assertThat(revoked.exit()).isNotZero();
        assertThat(revoked.all()).contains("has no trusted publisher");
        assertThat(Clients.npm(dir, env, "view", "ci-lib", "versions", "--json").ok().out())
                .doesNotContain("1.0.2")
                .doesNotContain("1.0.3");
    }

    @Test
    void aGitlabJobPublishesWithNpmIdTokenAndAStageOnlyPublisherCannotPublishDirectly(
            @TempDir Path dir) throws Exception {
        Map.Entry<Map<String, String>, Authenticator> glm = maintainer(dir, "glm", "gl-lib");
        Map<String, String> env = glm.getKey();
        Authenticator app = glm.getValue();
        Clients.npm(
                        dir,
                        env,
                        "trust",
                        "gitlab",
                        "gl-lib",
                        "--file",
                        ".gitlab-ci.yml",
                        "--project",
                        "group/gl-lib",
                        "--allow-publish",
                        "--yes",
                        "--otp=" + app.next())
                .ok();

        Map<String, String> gitlab = new HashMap<>();
        gitlab.put("GITLAB_CI", "true");
        gitlab.put("CI_PROJECT_PATH", "group/gl-lib");
        gitlab.put(
                "NPM_ID_TOKEN",
                issuer.token(
                        "gitlab",
                        "npm:127.0.0.1",
                        TestOidcIssuer.gitlab("group/gl-lib", ".gitlab-ci.yml", null)));
        Clients.Run published =
                Clients.npm(
                        pkg(dir, "gl-lib", "1.0.1"),
                        job(dir, "gl-lib", gitlab),
                        "publish",
                        "--provenance=false");
        assertThat(published.exit()).as(published.all()).isZero();
        assertThat(Clients.npm(dir, env, "view", "gl-lib@1.0.1", "_npmUser").ok().out().trim())
                .isEqualTo("GitLab CI/CD <npm-oidc-no-reply@gitlab.com>");

        // the same ID token again: refused as a replay
        Clients.Run replay =
                Clients.npm(
                        pkg(dir, "gl-lib", "1.0.2"),
                        job(dir, "gl-replay", gitlab),
                        "publish",
                        "--provenance=false",
                        "--loglevel=verbose");
        assertThat(replay.exit()).isNotZero();
        assertThat(replay.all()).contains("exchanged already");

        Map.Entry<Map<String, String>, Authenticator> stm = maintainer(dir, "stm", "st-lib");
        Clients.npm(
                        dir,
                        stm.getKey(),
                        "trust",
                        "github",
                        "st-lib",
                        "--file",
                        "publish.yml",
                        "--repo",
                        "octo/st-lib",
                        "--allow-stage-publish",
                        "--yes",
                        "--otp=" + stm.getValue().next())
                .ok();
        issuer.job(TestOidcIssuer.github("octo/st-lib", "publish.yml", null));
        Clients.Run direct =
                Clients.npm(
                        pkg(dir, "st-lib", "1.0.1"),
                        job(dir, "st-lib", githubActions("octo/st-lib")),
                        "publish",
                        "--provenance=false");
        assertThat(direct.exit()).isNotZero();
        assertThat(direct.all()).contains("E403").contains("may only stage releases");
    }
}
