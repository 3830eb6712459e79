package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestOidcIssuer;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /-/package/:pkg/trust} and the OIDC token exchange, with every refusal the issue names.
 */
class TrustedPublishingApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String AUDIENCE = "npm:127.0.0.1";

    MovableClock clock;
    TestOidcIssuer issuer;
    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        issuer = TestOidcIssuer.start(clock);
        server =
                TestServer.start(Map.of("oidc.extra_issuers", issuer.extraIssuersSetting()), clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        issuer.close();
    }

    Http.Result send(String method, String path, String token, Object body, String otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp != null) {
            headers.put("npm-otp", otp);
        }
        byte[] bytes =
                body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        return http.send(method, path, token, bytes, headers);
    }

    Http.Result publish(String token, String name, String version, String otp) throws Exception {
        return send("PUT", Tarballs.path(name), token, Tarballs.publishBody(name, version), otp);
    }

    static Map<String, Object> github(String repo, String file, String env) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("repository", repo);
        claims.put("workflow_ref", Map.of("file", file));
        if (env != null) {
            claims.put("environment", env);
        }
        return claims;
    }

    static List<Object> trust(String type, Map<String, Object> claims, String... permissions) {
        return List.of(Map.of("type", type, "claims", claims, "permissions", List.of(permissions)));
    }

    Http.Result exchange(String pkg, String idToken) throws Exception {
        return http.send(
                "POST",
                "/-/npm/v1/oidc/token/exchange/package/" + pkg.replace("/", "%2f"),
                idToken,
                null,
                Map.of());
    }

    /** A maintainer with 2FA (auth-only) who has published {@code pkg}. */
    Map.Entry<String, Authenticator> owner(String user, String pkg) throws Exception {
        String token = server.token(user);
        assertThat(publish(token, pkg, "1.0.0", null).status()).isEqualTo(200);
        return Map.entry(token, server.enableTwoFactor(user, token, "auth-only", clock));
    }

    @Test
    void aCiJobThatIsNotItsTrustedPublisherLearnsNothingOfARestrictedPackage() throws Exception {
        String token = server.token("rita");
        com.fasterxml.jackson.databind.node.ObjectNode body =
                Tarballs.publishBody("@rita/private", "1.0.0");
        body.put("access", "restricted");
        assertThat(send("PUT", Tarballs.path("@rita/private"), token, body, null).status())
                .isEqualTo(200);
        Authenticator app = server.enableTwoFactor("rita", token, "auth-only", clock);
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/@rita%2fprivate/trust",
                                        token,
                                        trust(
                                                "github",
                                                github("rita/private", "release.yml", null),
                                                "createPackage"),
                                        app.next())
                                .status())
                .isEqualTo(201);
        // any job that can get an ID token for this registry's audience asks: a mismatch says what
        // a missing name says
        String someoneElse =
                issuer.token(
                        "github",
                        AUDIENCE,
                        TestOidcIssuer.github("mallory/probe", "probe.yml", null));
        Http.Result missing = exchange("@rita/nothing", someoneElse);
        Http.Result restricted =
                exchange(
                        "@rita/private",
                        issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("mallory/probe", "probe.yml", null)));
        assertThat(restricted.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(restricted.body().replace("private", "nothing")).isEqualTo(missing.body());
        assertThat(restricted.body()).doesNotContain("release.yml").doesNotContain("repository");
        // its own workflow still gets its token
        assertThat(
                        exchange(
                                        "@rita/private",
                                        issuer.token(
                                                "github",
                                                AUDIENCE,
                                                TestOidcIssuer.github(
                                                        "rita/private", "release.yml", null)))
                                .status())
                .isEqualTo(201);
    }

    @Test
    void maintainersManageTheTrustedPublisherWithASecondFactorAndBadInputChangesNothing()
            throws Exception {
        String plain = server.token("tia");
        assertThat(publish(plain, "tp-pkg", "1.0.0", null).status()).isEqualTo(200);
        Object config =
                trust("github", github("octo/tp-pkg", "publish.yml", null), "createPackage");

        Http.Result no2fa = send("POST", "/-/package/tp-pkg/trust", plain, config, null);
        assertThat(no2fa.status()).isEqualTo(403);
        assertThat(no2fa.error()).contains("two-factor");
        Authenticator app = server.enableTwoFactor("tia", plain, "auth-only", clock);

        Http.Result noOtp = send("POST", "/-/package/tp-pkg/trust", plain, config, null);
        assertThat(noOtp.status()).isEqualTo(401);
        assertThat(noOtp.header("WWW-Authenticate")).isEqualToIgnoringCase("OTP");
        assertThat(send("POST", "/-/package/tp-pkg/trust", plain, config, "000000").status())
                .isEqualTo(401);
        assertThat(send("POST", "/-/package/tp-pkg/trust", null, config, app.next()).status())
                .isEqualTo(401);

        // malformed, forged and oversized configurations: 400 (413), before any second factor is
        // spent
        List<Object> bad =
                List.of(
                        "not json".getBytes(StandardCharsets.UTF_8),
                        List.of(),
                        List.of(
                                Map.of(
                                        "type",
                                        "github",
                                        "claims",
                                        github("octo/a", "p.yml", null),
                                        "permissions",
                                        List.of("createPackage")),
                                Map.of(
                                        "type",
                                        "github",
                                        "claims",
                                        github("octo/b", "p.yml", null),
                                        "permissions",
                                        List.of("createPackage"))),
                        trust(
                                "jenkins",
                                github("octo/tp-pkg", "publish.yml", null),
                                "createPackage"),
                        List.of(
                                Map.of(
                                        "type",
                                        "github",
                                        "claims",
                                        github("octo/tp-pkg", "publish.yml", null))),
                        trust("github", github("octo/tp-pkg", "publish.yml", null)),
                        trust("github", github("octo/tp-pkg", "publish.yml", null), "admin"),
                        trust("github", github("octo", "publish.yml", null), "createPackage"),
                        trust(
                                "github",
                                github("octo/tp-pkg/extra", "publish.yml", null),
                                "createPackage"),
                        trust(
                                "github",
                                github("octo/tp-pkg", ".github/workflows/publish.yml", null),
                                "createPackage"),
                        trust("github", github("octo/tp-pkg", "publish.sh", null), "createPackage"),
                        trust(
                                "github",
                                Map.of(
                                        "repository",
                                        "octo/tp-pkg",
                                        "workflow_ref",
                                        Map.of("file", "p.yml"),
                                        "sub",
                                        "x"),
                                "createPackage"),
                        trust(
                                "github",
                                github("octo/tp-pkg", "publish.yml", "bad\nenv"),
                                "createPackage"),
                        trust(
                                "gitlab",
                                Map.of(
                                        "project_path",
                                        "solo",
                                        "ci_config_ref_uri",
                                        Map.of("file", ".gitlab-ci.yml")),
                                "createPackage"),
                        trust(
                                "circleci",
                                Map.of(
                                        "oidc.circleci.com/org-id",
                                        "not-a-uuid",
                                        "oidc.circleci.com/project-id",
                                        "x",
                                        "oidc.circleci.com/pipeline-definition-id",
                                        "x",
                                        "oidc.circleci.com/vcs-origin",
                                        "github.com/o/r"),
                                "createPackage"),
                        Map.of(
                                "type",
                                "github",
                                "claims",
                                github("octo/tp-pkg", "publish.yml", null),
                                "permissions",
                                List.of("createPackage"),
                                "id",
                                "oidc:forged"));
        for (Object body : bad) {
            Http.Result r = send("POST", "/-/package/tp-pkg/trust", plain, body, "000000");
            assertThat(r.status()).as(r.body()).isEqualTo(400);
        }
        byte[] huge =
                ("[{\"type\":\"github\",\"claims\":{\"repository\":\""
                                + "a".repeat(20_000)
                                + "\"}}]")
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(send("POST", "/-/package/tp-pkg/trust", plain, huge, "000000").status())
                .isEqualTo(413);
        assertThat(send("GET", "/-/package/tp-pkg/trust", plain, null, null).json()).isEmpty();

        Http.Result added = send("POST", "/-/package/tp-pkg/trust", plain, config, app.next());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode created = added.json().get(0);
        assertThat(created.path("id").asText()).startsWith("oidc:");
        assertThat(created.path("type").asText()).isEqualTo("github");
        assertThat(created.path("claims").path("workflow_ref").path("file").asText())
                .isEqualTo("publish.yml");
        assertThat(added.header("Warden-Log-Index")).isNotBlank();
        String id = created.path("id").asText();

        Http.Result second =
                send(
                        "POST",
                        "/-/package/tp-pkg/trust",
                        plain,
                        trust(
                                "gitlab",
                                Map.of(
                                        "project_path",
                                        "g/p",
                                        "ci_config_ref_uri",
                                        Map.of("file", ".gitlab-ci.yml")),
                                "createPackage"),
                        app.next());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.error()).contains("revoke it first");
        assertThat(send("POST", "/-/package/no-such-pkg/trust", plain, config, app.next()).status())
                .isEqualTo(404);

        String max = server.token("max");
        Authenticator maxApp = server.enableTwoFactor("max", max, "auth-only", clock);
        assertThat(send("POST", "/-/package/tp-pkg/trust", max, config, maxApp.next()).status())
                .isEqualTo(403);
        assertThat(send("GET", "/-/package/tp-pkg/trust", max, null, null).status()).isEqualTo(403);
        assertThat(
                        send("DELETE", "/-/package/tp-pkg/trust/" + id, max, null, maxApp.next())
                                .status())
                .isEqualTo(403);
        assertThat(send("GET", "/-/package/tp-pkg/trust", null, null, null).status())
                .isEqualTo(401);

        JsonNode listed = send("GET", "/-/package/tp-pkg/trust", plain, null, null).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asText()).isEqualTo(id);
        assertThat(listed.get(0).path("claims").path("repository").asText())
                .isEqualTo("octo/tp-pkg");
        assertThat(listed.get(0).path("permissions").get(0).asText()).isEqualTo("createPackage");

        assertThat(send("DELETE", "/-/package/tp-pkg/trust/" + id, plain, null, null).status())
                .isEqualTo(401);
        assertThat(
                        send(
                                        "DELETE",
                                        "/-/package/tp-pkg/trust/oidc:unknown",
                                        plain,
                                        null,
                                        app.next())
                                .status())
                .isEqualTo(404);
        assertThat(send("GET", "/-/package/tp-pkg/trust", plain, null, null).json()).hasSize(1);
        Http.Result revoked =
                send("DELETE", "/-/package/tp-pkg/trust/" + id, plain, null, app.next());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(send("GET", "/-/package/tp-pkg/trust", plain, null, null).json()).isEmpty();
    }

    @Test
    void aCiJobExchangesItsIdTokenOnceAndPublishesOnlyWhatItsTrustedPublisherAllows()
            throws Exception {
        Map.Entry<String, Authenticator> tia = owner("tia", "ci-pkg");
        String token = tia.getKey();
        Authenticator app = tia.getValue();
        assertThat(publish(token, "other-pkg", "1.0.0", null).status()).isEqualTo(200);
        assertThat(publish(token, "stage-pkg", "1.0.0", null).status()).isEqualTo(200);
        String trustId =
                send(
                                "POST",
                                "/-/package/ci-pkg/trust",
                                token,
                                trust(
                                        "github",
                                        github("octo/ci-pkg", "publish.yml", "release"),
                                        "createPackage"),
                                app.next())
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/other-pkg/trust",
                                        token,
                                        trust(
                                                "github",
                                                github("octo/other", "publish.yml", null),
                                                "createPackage"),
                                        app.next())
                                .status())
                .isEqualTo(201);
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/stage-pkg/trust",
                                        token,
                                        trust(
                                                "github",
                                                github("octo/stage", "publish.yml", null),
                                                "createStagedPackage"),
                                        app.next())
                                .status())
                .isEqualTo(201);

        Map<String, Object> job = TestOidcIssuer.github("octo/ci-pkg", "publish.yml", "release");
        String idToken = issuer.token("github", AUDIENCE, job);
        Http.Result exchanged = exchange("ci-pkg", idToken);
        assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(201);
        String ciToken = exchanged.json().path("token").asText();
        assertThat(Instant.parse(exchanged.json().path("expires").asText()))
                .isBeforeOrEqualTo(clock.instant().plus(Duration.ofMinutes(15)));

        Http.Result replay = exchange("ci-pkg", idToken);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json().path("message").asText()).contains("exchanged already");

        Http.Result published = publish(ciToken, "ci-pkg", "1.0.1", null);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        JsonNode npmUser =
                http.get("/ci-pkg").json().path("versions").path("1.0.1").path("_npmUser");
        assertThat(npmUser.path("name").asText()).isEqualTo("GitHub Actions");
        assertThat(npmUser.path("email").asText()).isEqualTo("npm-oidc-no-reply@github.com");
        assertThat(npmUser.path("trustedPublisher").path("id").asText()).isEqualTo("github");
        assertThat(npmUser.path("trustedPublisher").path("oidcConfigId").asText())
                .isEqualTo(trustId);
        assertThat(npmUser.path("trustedPublisher").path("repository").asText())
                .isEqualTo("octo/ci-pkg");
        assertThat(npmUser.path("trustedPublisher").path("workflow").asText())
                .isEqualTo("octo/ci-pkg/.github/workflows/publish.yml@refs/heads/main");
        assertThat(npmUser.path("trustedPublisher").path("runId").asText()).isEqualTo("9876543210");
        assertThat(npmUser.size()).isEqualTo(3);

        // the CI token publishes that package and nothing else
        assertThat(publish(ciToken, "other-pkg", "1.0.1", null).status()).isEqualTo(403);
        assertThat(send("PUT", "/-/package/ci-pkg/dist-tags/beta", ciToken, "1.0.1", null).status())
                .isEqualTo(403);
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/ci-pkg/trust",
                                        ciToken,
                                        trust(
                                                "github",
                                                github("evil/x", "p.yml", null),
                                                "createPackage"),
                                        null)
                                .status())
                .isEqualTo(403);
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/ci-pkg/trust-policy",
                                        ciToken,
                                        Map.of("require_trusted_publisher", false),
                                        null)
                                .status())
                .isEqualTo(403);

        // refusals, each with its reason
        Map<String, String> refusals = new java.util.LinkedHashMap<>();
        refusals.put("other-pkg " + issuer.token("github", AUDIENCE, job), "repository");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("octo/forked", "publish.yml", "release")),
                "repository");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("octo/ci-pkg", "test.yml", "release")),
                "workflow");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("octo/ci-pkg", "publish.yml", "staging")),
                "environment");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("octo/ci-pkg", "publish.yml", null)),
                "environment");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "github",
                                AUDIENCE,
                                job,
                                clock.instant().minus(Duration.ofMinutes(20)),
                                clock.instant().minus(Duration.ofMinutes(1))),
                "expired");
        refusals.put("ci-pkg " + issuer.token("github", "npm:registry.npmjs.org", job), "audience");
        refusals.put("ci-pkg " + issuer.strayToken("github", AUDIENCE, job), "signature");
        refusals.put(
                "ci-pkg "
                        + issuer.token(
                                "gitlab",
                                AUDIENCE,
                                TestOidcIssuer.gitlab("octo/ci-pkg", ".gitlab-ci.yml", "release")),
                "gitlab");
        try (TestOidcIssuer unknown = TestOidcIssuer.start(clock)) {
            refusals.put("ci-pkg " + unknown.token("github", AUDIENCE, job), "not accepted");
        }
        refusals.put("ci-pkg not-a-jwt", "not a signed JWT");
        refusals.put(
                "ci-pkg "
                        + tamper(
                                issuer.token(
                                        "github",
                                        AUDIENCE,
                                        TestOidcIssuer.github(
                                                "octo/forked", "publish.yml", "release"))),
                "signature");
        refusals.put("no-such-pkg " + issuer.token("github", AUDIENCE, job), "not found");
        for (Map.Entry<String, String> r : refusals.entrySet()) {
            String[] parts = r.getKey().split(" ", 2);
            Http.Result refused = exchange(parts[0], parts[1]);
            assertThat(refused.status())
                    .as(r.getValue() + ": " + refused.body())
                    .isIn(401, 403, 404);
            assertThat(refused.json().path("message").asText())
                    .as(refused.body())
                    .containsIgnoringCase(r.getValue());
            assertThat(refused.json().path("token").isMissingNode()).isTrue();
        }
        assertThat(exchange("ci-pkg", null).status()).isEqualTo(401);

        // a publisher that may only stage cannot publish directly
        Http.Result stageToken =
                exchange(
                        "stage-pkg",
                        issuer.token(
                                "github",
                                AUDIENCE,
                                TestOidcIssuer.github("octo/stage", "publish.yml", null)));
        assertThat(stageToken.status()).isEqualTo(201);
        Http.Result direct =
                publish(stageToken.json().path("token").asText(), "stage-pkg", "1.0.1", null);
        assertThat(direct.status()).isEqualTo(403);
        assertThat(direct.error()).contains("only stage");

        // requiring trusted publishing: token publishes are refused even with a second factor
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/ci-pkg/trust-policy",
                                        token,
                                        Map.of("require_trusted_publisher", "yes"),
                                        app.next())
                                .status())
                .isEqualTo(400);
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/ci-pkg/trust-policy",
                                        token,
                                        Map.of("require_trusted_publisher", true),
                                        null)
                                .status())
                .isEqualTo(401);
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/ci-pkg/trust-policy",
                                        token,
                                        Map.of("require_trusted_publisher", true),
                                        app.next())
                                .status())
                .isEqualTo(200);
        Http.Result withOtp = publish(token, "ci-pkg", "1.0.2", app.next());
        assertThat(withOtp.status()).isEqualTo(403);
        assertThat(withOtp.error()).contains("trusted publisher");
        String second =
                exchange("ci-pkg", issuer.token("github", AUDIENCE, job))
                        .json()
                        .path("token")
                        .asText();
        assertThat(publish(second, "ci-pkg", "1.0.2", null).status()).isEqualTo(200);
        assertThat(
                        send(
                                        "DELETE",
                                        "/-/package/ci-pkg/trust/" + trustId,
                                        token,
                                        null,
                                        app.next())
                                .status())
                .isEqualTo(409);

        // revoking the publisher ends the tokens issued to it; and they expire after 15 minutes
        // anyway
        String third =
                exchange("ci-pkg", issuer.token("github", AUDIENCE, job))
                        .json()
                        .path("token")
                        .asText();
        String fourth =
                exchange(
                                "other-pkg",
                                issuer.token(
                                        "github",
                                        AUDIENCE,
                                        TestOidcIssuer.github("octo/other", "publish.yml", null)))
                        .json()
                        .path("token")
                        .asText();
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/ci-pkg/trust-policy",
                                        token,
                                        Map.of("require_trusted_publisher", false),
                                        app.next())
                                .status())
                .isEqualTo(200);
        assertThat(
                        send(
                                        "DELETE",
                                        "/-/package/ci-pkg/trust/" + trustId,
                                        token,
                                        null,
                                        app.next())
                                .status())
                .isEqualTo(200);
        Http.Result afterRevoke = publish(third, "ci-pkg", "1.0.3", null);
        assertThat(afterRevoke.status()).isEqualTo(403);
        assertThat(afterRevoke.error()).contains("removed");
        clock.advance(Duration.ofMinutes(16));
        assertThat(publish(fourth, "other-pkg", "1.0.1", null).status()).isEqualTo(401);
        assertThat(http.get("/ci-pkg").json().path("versions").has("1.0.3")).isFalse();
        assertThat(http.get("/other-pkg").json().path("versions").has("1.0.1")).isFalse();
    }

    @Test
    void gitlabJobsAreMatchedOnProjectAndCiConfiguration() throws Exception {
        Map.Entry<String, Authenticator> tia = owner("tia", "gl-pkg");
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/gl-pkg/trust",
                                        tia.getKey(),
                                        trust(
                                                "gitlab",
                                                Map.of(
                                                        "project_path",
                                                        "group/sub/gl-pkg",
                                                        "ci_config_ref_uri",
                                                        Map.of("file", ".gitlab-ci.yml")),
                                                "createPackage"),
                                        tia.getValue().next())
                                .status())
                .isEqualTo(201);
        Http.Result wrongProject =
                exchange(
                        "gl-pkg",
                        issuer.token(
                                "gitlab",
                                AUDIENCE,
                                TestOidcIssuer.gitlab("group/other", ".gitlab-ci.yml", null)));
        assertThat(wrongProject.status()).isEqualTo(403);
        assertThat(wrongProject.json().path("message").asText()).contains("project");
        Http.Result wrongFile =
                exchange(
                        "gl-pkg",
                        issuer.token(
                                "gitlab",
                                AUDIENCE,
                                TestOidcIssuer.gitlab("group/sub/gl-pkg", "release.yml", null)));
        assertThat(wrongFile.status()).isEqualTo(403);
        assertThat(wrongFile.json().path("message").asText()).contains("release.yml");
        Http.Result ok =
                exchange(
                        "gl-pkg",
                        issuer.token(
                                "gitlab",
                                AUDIENCE,
                                TestOidcIssuer.gitlab("group/sub/gl-pkg", ".gitlab-ci.yml", null)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(publish(ok.json().path("token").asText(), "gl-pkg", "2.0.0", null).status())
                .isEqualTo(200);
        JsonNode npmUser =
                http.get("/gl-pkg").json().path("versions").path("2.0.0").path("_npmUser");
        assertThat(npmUser.path("name").asText()).isEqualTo("GitLab CI/CD");
        assertThat(npmUser.path("trustedPublisher").path("project").asText())
                .isEqualTo("group/sub/gl-pkg");
        assertThat(npmUser.path("trustedPublisher").path("pipelineId").asText())
                .isEqualTo("1234567");
    }

    @Test
    void trustChangesRefuseEveryBadCredentialAndChangeNothing() throws Exception {
        Map.Entry<String, Authenticator> tia = owner("tia", "guarded");
        String id =
                send(
                                "POST",
                                "/-/package/guarded/trust",
                                tia.getKey(),
                                trust(
                                        "github",
                                        github("octo/guarded", "publish.yml", null),
                                        "createPackage"),
                                tia.getValue().next())
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        var accounts = server.server().accounts();
        String stranger = server.token("stranger");
        Authenticator strangerApp =
                server.enableTwoFactor("stranger", stranger, "auth-only", clock);
        Map<String, Object[]> credentials = new java.util.LinkedHashMap<>();
        credentials.put("none", new Object[] {null, 401});
        credentials.put("forged", new Object[] {"wdn_" + "A".repeat(36), 401});
        credentials.put(
                "expired",
                new Object[] {
                    accounts.issue("tia", false, clock.instant().minusSeconds(5), List.of())
                            .secret(),
                    401
                });
        credentials.put(
                "read-only",
                new Object[] {accounts.issue("tia", true, null, List.of()).secret(), 403});
        credentials.put(
                "other package",
                new Object[] {
                    accounts.createToken(
                                    new dev.warden.accounts.Principal("tia", false, null),
                                    new dev.warden.accounts.Accounts.TokenRequest(
                                            "l",
                                            null,
                                            false,
                                            null,
                                            List.of(),
                                            new dev.warden.accounts.Principal.TokenLimits(
                                                    List.of("elsewhere"), List.of()),
                                            true),
                                    null)
                            .secret(),
                    403
                });
        credentials.put("other user", new Object[] {stranger, 403});
        credentials.put(
                "CI token of this package",
                new Object[] {
                    exchange(
                                    "guarded",
                                    issuer.token(
                                            "github",
                                            AUDIENCE,
                                            TestOidcIssuer.github(
                                                    "octo/guarded", "publish.yml", null)))
                            .json()
                            .path("token")
                            .asText(),
                    403
                });
        Map<String, Object[]> writes = new java.util.LinkedHashMap<>();
        writes.put(
                "trust add",
                new Object[] {
                    "POST",
                    "/-/package/guarded/trust",
                    trust(
                            "gitlab",
                            Map.of(
                                    "project_path",
                                    "evil/guarded",
                                    "ci_config_ref_uri",
                                    Map.of("file", ".gitlab-ci.yml")),
                            "createPackage")
                });
        writes.put("trust revoke", new Object[] {"DELETE", "/-/package/guarded/trust/" + id, null});
        writes.put(
                "trust policy",
                new Object[] {
                    "PUT",
                    "/-/package/guarded/trust-policy",
                    Map.of("require_trusted_publisher", true)
                });
        String before = send("GET", "/-/package/guarded/trust", tia.getKey(), null, null).body();
        for (Map.Entry<String, Object[]> w : writes.entrySet()) {
            for (Map.Entry<String, Object[]> c : credentials.entrySet()) {
                String otp =
                        c.getKey().equals("other user")
                                ? strangerApp.next()
                                : tia.getValue().next();
                Object[] req = w.getValue();
                Http.Result r =
                        send(
                                (String) req[0],
                                (String) req[1],
                                (String) c.getValue()[0],
                                req[2],
                                otp);
                assertThat(r.status())
                        .as(w.getKey() + " with " + c.getKey() + ": " + r.body())
                        .isEqualTo(c.getValue()[1]);
                assertThat(r.error()).isNotBlank();
                assertThat(send("GET", "/-/package/guarded/trust", tia.getKey(), null, null).body())
                        .isEqualTo(before);
            }
        }
        assertThat(
                        server.server()
                                .registry()
                                .mfaPolicy("guarded")
                                .map(p -> p.requireTrustedPublisher())
                                .orElse(false))
                .isFalse();
    }

    /** The token with its claims swapped for another's, keeping the original signature. */
    static String tamper(String forged) {
        String[] parts = forged.split("\\.");
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("octo/forked", "octo/ci-pkg");
        return parts[0]
                + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "."
                + parts[2];
    }
}
