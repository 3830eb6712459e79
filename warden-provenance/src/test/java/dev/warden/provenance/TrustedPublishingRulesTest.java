package dev.warden.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Problem;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How configurations are checked and ID tokens matched against them, for each CI kind. */
class TrustedPublishingRulesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORG = "0b3a6f2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String PROJECT = "1c4d4e5f-8a9b-4c1d-9e3f-4a5b0b3a6f2e";
    static final String PIPELINE = "2e3f4a5b-0b3a-4f2e-8c4d-4e5f8a9b0c1d";
    static final String CONTEXT = "3f4a5b0b-3a6f-4e1c-9d4e-5f8a9b0c1d2e";

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static IdTokens.Verified token(String type, Map<String, Object> claims) {
        return new IdTokens.Verified(
                type, "https://issuer.example", claims, "k", Instant.now().plusSeconds(60));
    }

    static TrustedPublishing.Config circle(String contexts) throws Exception {
        return TrustedPublishing.checkConfig(
                json(
                        """
                        {"type":"circleci","claims":{"oidc.circleci.com/org-id":"%s","oidc.circleci.com/project-id":"%s",
                         "oidc.circleci.com/pipeline-definition-id":"%s","oidc.circleci.com/vcs-origin":"github.com/octo/lib"%s},
                         "permissions":["createPackage","createStagedPackage"]}\
                        """
                                .formatted(ORG, PROJECT, PIPELINE, contexts)));
    }

    static Map<String, Object> circleClaims(List<String> contexts) {
        Map<String, Object> c = new HashMap<>();
        c.put("oidc.circleci.com/org-id", ORG);
        c.put("oidc.circleci.com/project-id", PROJECT);
        c.put("oidc.circleci.com/pipeline-definition-id", PIPELINE);
        c.put("oidc.circleci.com/vcs-origin", "github.com/octo/lib");
        c.put("oidc.circleci.com/context-ids", contexts);
        return c;
    }

    @Test
    void circleciJobsMatchOnEveryIdTheirOriginAndTheRequiredContexts() throws Exception {
        TrustedPublishing.Config config =
                circle(",\"oidc.circleci.com/context-ids\":[\"" + CONTEXT.toUpperCase() + "\"]");
        assertThat(config.permissions())
                .containsExactly(TrustedPublishing.PUBLISH, TrustedPublishing.STAGE);
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci",
                                config.claims(),
                                token("circleci", circleClaims(List.of(CONTEXT, PIPELINE)))))
                .isNull();
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci",
                                config.claims(),
                                token("circleci", circleClaims(List.of()))))
                .contains("context " + CONTEXT);
        Map<String, Object> otherProject = circleClaims(List.of(CONTEXT));
        otherProject.put("oidc.circleci.com/project-id", PIPELINE);
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci", config.claims(), token("circleci", otherProject)))
                .contains("project-id");
        Map<String, Object> otherOrigin = circleClaims(List.of(CONTEXT));
        otherOrigin.put("oidc.circleci.com/vcs-origin", "github.com/octo/fork");
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci", config.claims(), token("circleci", otherOrigin)))
                .contains("vcs-origin");
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci",
                                config.claims(),
                                token("github", circleClaims(List.of(CONTEXT)))))
                .contains("github");
        assertThat(
                        TrustedPublishing.mismatch(
                                "circleci",
                                circle("").claims(),
                                token("circleci", circleClaims(List.of()))))
                .isNull();
    }

    @Test
    void workflowFilesComeFromTheTokensOwnRepositoryOnly() {
        assertThat(
                        TrustedPublishing.githubWorkflowFile(
                                "octo/lib/.github/workflows/publish.yml@refs/tags/v1", "octo/lib"))
                .isEqualTo("publish.yml");
        // a reusable workflow of another repository is not the caller's workflow file
        assertThat(
                        TrustedPublishing.githubWorkflowFile(
                                "evil/x/.github/workflows/publish.yml@refs/heads/main", "octo/lib"))
                .isNull();
        assertThat(
                        TrustedPublishing.githubWorkflowFile(
                                "octo/lib/.github/workflows/sub/publish.yml@main", "octo/lib"))
                .isNull();
        assertThat(
                        TrustedPublishing.githubWorkflowFile(
                                "octo/lib/.github/workflows/publish.yml", "octo/lib"))
                .isNull();
        assertThat(TrustedPublishing.githubWorkflowFile(null, "octo/lib")).isNull();
        assertThat(
                        TrustedPublishing.gitlabConfigFile(
                                "gitlab.com/g/sub/p//.gitlab-ci.yml@refs/heads/main"))
                .isEqualTo(".gitlab-ci.yml");
        assertThat(
                        TrustedPublishing.gitlabConfigFile(
                                "gitlab.com/g/p//ci/release.yml@refs/heads/main"))
                .isNull();
        assertThat(TrustedPublishing.gitlabConfigFile("gitlab.com/g/p/.gitlab-ci.yml@main"))
                .isNull();
    }

    @Test
    void githubRepositoriesCompareWithoutCaseAndEnvironmentsOnlyWhenNamed() throws Exception {
        JsonNode claims =
                TrustedPublishing.checkConfig(
                                json(
                                        """
                                        {"type":"github","claims":{"repository":"Octo/Lib","workflow_ref":{"file":"publish.yml"}},"permissions":["createPackage"]}\
                                        """))
                        .claims();
        Map<String, Object> t = new HashMap<>();
        t.put("repository", "octo/lib");
        t.put("workflow_ref", "octo/lib/.github/workflows/publish.yml@refs/heads/main");
        t.put("environment", "anything");
        assertThat(TrustedPublishing.mismatch("github", claims, token("github", t))).isNull();
        t.put("workflow_ref", "octo/lib/.github/workflows/Publish.yml@refs/heads/main");
        assertThat(TrustedPublishing.mismatch("github", claims, token("github", t)))
                .contains("workflow");
        t.remove("repository");
        assertThat(TrustedPublishing.mismatch("github", claims, token("github", t)))
                .contains("(none)");
    }

    @Test
    void wildcardIssuersTakeOneSafeSegment() {
        IdTokens.Issuer circle =
                new IdTokens.Issuer(
                        "circleci",
                        "https://oidc.circleci.com/org/*",
                        "{issuer}/.well-known/jwks-pub.json");
        assertThat(circle.matches("https://oidc.circleci.com/org/" + ORG)).isTrue();
        assertThat(circle.matches("https://oidc.circleci.com/org/")).isFalse();
        assertThat(circle.matches("https://oidc.circleci.com/org/a/b")).isFalse();
        assertThat(circle.matches("https://oidc.circleci.com/org/..")).isFalse();
        assertThat(circle.matches("https://oidc.circleci.com.evil.example/org/x")).isFalse();
        IdTokens.Issuer github =
                new IdTokens.Issuer(
                        "github",
                        "https://token.actions.githubusercontent.com",
                        "https://token.actions.githubusercontent.com/.well-known/jwks");
        assertThat(github.matches("https://token.actions.githubusercontent.com/")).isFalse();
        assertThatThrownBy(() -> new IdTokens.Issuer("jenkins", "https://x", "https://x/jwks"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdTokens.Issuer("github", "file:///etc", "https://x/jwks"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensThatAreNotJwtsOrTooLongAreRefusedBeforeAnyKeyIsFetched() {
        IdTokens tokens = new IdTokens(List.of(), java.time.Clock.systemUTC());
        for (String bad : List.of("", "abc", "a.b.c", "x".repeat(IdTokens.MAX_LENGTH + 1))) {
            assertThatThrownBy(() -> tokens.verify(bad, "npm:localhost"))
                    .isInstanceOf(Problem.class)
                    .extracting(e -> ((Problem) e).kind())
                    .isEqualTo(Problem.Kind.UNAUTHORIZED);
        }
        assertThatThrownBy(() -> tokens.verify(null, "npm:localhost"))
                .hasMessageContaining("no ID token");
    }
}
