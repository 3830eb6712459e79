package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /-/warden/v1/posture[/<pkg>]} and the {@code npm-notice} nudges on logins, publishes
 * and token creations, against a real server.
 */
class PostureApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MovableClock clock;
    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    static List<String> ids(JsonNode posture) {
        return posture.path("steps").findValuesAsText("id");
    }

    Http.Result posture(String token) throws Exception {
        return http.get("/-/warden/v1/posture", token, Map.of());
    }

    Http.Result postJson(String path, String token, Object body) throws Exception {
        return http.send(
                "POST",
                path,
                token,
                JSON.writeValueAsBytes(body),
                Map.of("Content-Type", "application/json"));
    }

    @Test
    void theCallersOwnPostureNamesItsStepsAndPackages() throws Exception {
        assertThat(posture(null).status()).isEqualTo(401);
        assertThat(posture(null).error()).contains("you must be logged in");

        String ann = server.token("ann");
        JsonNode p = posture(ann).json();
        assertThat(p.path("user").asText()).isEqualTo("ann");
        assertThat(p.path("secondFactor").asText()).isEqualTo("none");
        JsonNode first = p.path("steps").get(0);
        assertThat(first.path("id").asText()).isEqualTo("enable-2fa");
        assertThat(first.path("importance").asText()).isEqualTo("important");
        assertThat(first.path("url").asText()).isEqualTo(server.url() + "/-/web/account#posture");
        assertThat(first.path("fix").asText()).isEqualTo("npm profile enable-2fa auth-and-writes");
        // npm login's token never expires and writes without a one-time password
        assertThat(ids(p)).contains("replace-unexpiring-token");
        assertThat(p.path("score").asInt()).isBetween(0, 99);
        assertThat(p.path("packages")).isEmpty();

        assertThat(http.put("/ann-pkg", ann, Tarballs.publishBody("ann-pkg", "1.0.0")).status())
                .isEqualTo(200);
        JsonNode after = posture(ann).json();
        assertThat(after.path("packages").get(0).path("name").asText()).isEqualTo("ann-pkg");
        assertThat(ids(after))
                .contains(
                        "maintainers-add-passkeys",
                        "configure-trusted-publishing",
                        "publish-with-provenance",
                        "name-successors");
        JsonNode provenance =
                after.path("steps").findParents("id").stream()
                        .filter(s -> s.path("id").asText().equals("publish-with-provenance"))
                        .findFirst()
                        .orElseThrow();
        assertThat(provenance.path("reason").asText()).startsWith("ann-pkg 1.0.0 carries no");
    }

    @Test
    void aPackagesPostureIsForItsMaintainers() throws Exception {
        String olga = server.token("olga");
        String ben = server.token("ben");
        assertThat(http.put("/olga-pkg", olga, Tarballs.publishBody("olga-pkg", "1.0.0")).status())
                .isEqualTo(200);
        ObjectNode secret = Tarballs.publishBody("@olga/secret", "1.0.0");
        secret.put("access", "restricted");
        assertThat(http.put("/@olga%2fsecret", olga, secret).status()).isEqualTo(200);

        Http.Result own = http.get("/-/warden/v1/posture/olga-pkg", olga, Map.of());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().path("package").asText()).isEqualTo("olga-pkg");
        assertThat(own.json().path("maintainers").get(0).path("name").asText()).isEqualTo("olga");
        assertThat(own.json().path("maintainers").get(0).path("secondFactor").asText())
                .isEqualTo("none");
        assertThat(ids(own.json())).contains("maintainers-add-passkeys");
        assertThat(
                        http.get("/-/warden/v1/posture/@olga%2fsecret", olga, Map.of())
                                .json()
                                .path("package")
                                .asText())
                .isEqualTo("@olga/secret");

        Http.Result reader = http.get("/-/warden/v1/posture/olga-pkg", ben, Map.of());
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.error()).contains("only the maintainers of olga-pkg");
        // a restricted package ben may not read is not found, like every read of it
        Http.Result hidden = http.get("/-/warden/v1/posture/@olga%2fsecret", ben, Map.of());
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.error()).isEqualTo("package @olga/secret not found");
        assertThat(http.get("/-/warden/v1/posture/no-such-pkg", olga, Map.of()).status())
                .isEqualTo(404);
        assertThat(http.get("/-/warden/v1/posture/olga-pkg", null, Map.of()).status())
                .isEqualTo(401);
    }

    @Test
    void revokingATokenChangesThePosture() throws Exception {
        String cy = server.token("cy");
        Http.Result made =
                postJson(
                        "/-/npm/v1/tokens",
                        cy,
                        Map.of(
                                "password",
                                TestServer.password("cy"),
                                "name",
                                "everything",
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                30));
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String key = made.json().path("key").asText();
        JsonNode before = posture(cy).json();
        JsonNode limit =
                before.path("steps").findParents("id").stream()
                        .filter(s -> s.path("id").asText().equals("limit-token-packages"))
                        .findFirst()
                        .orElseThrow();
        assertThat(limit.path("reason").asText())
                .isEqualTo(
                        "token \"everything\" " + key + " may change every package you maintain");

        assertThat(http.delete("/-/npm/v1/tokens/token/" + key, cy).status()).isEqualTo(200);

        JsonNode after = posture(cy).json();
        assertThat(ids(after)).doesNotContain("limit-token-packages");
        assertThat(after.path("score").asInt()).isGreaterThan(before.path("score").asInt());
    }

    @Test
    void loginPublishAndTokenAnswersCarryTheMostImportantStepAndReadsNone() throws Exception {
        Http.Result login =
                http.put(
                        "/-/user/org.couchdb.user:dee",
                        null,
                        Map.of(
                                "name",
                                "dee",
                                "password",
                                TestServer.password("dee"),
                                "email",
                                "dee@example.com"));
        assertThat(login.status()).isEqualTo(201);
        String expected =
                "warden: next security step (important): Turn on two-factor authentication:"
                        + " account dee signs in and publishes with a password alone (npm profile"
                        + " enable-2fa auth-and-writes; "
                        + server.url()
                        + "/-/web/account#posture)";
        assertThat(login.header("npm-notice")).isEqualTo(expected);
        String dee = login.json().path("token").asText();

        Http.Result published = http.put("/dee-pkg", dee, Tarballs.publishBody("dee-pkg", "1.0.0"));
        assertThat(published.status()).isEqualTo(200);
        assertThat(published.header("npm-notice")).isEqualTo(expected);

        Http.Result token =
                postJson(
                        "/-/npm/v1/tokens",
                        dee,
                        Map.of("password", TestServer.password("dee"), "name", "reader"));
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.header("npm-notice")).isEqualTo(expected);

        // reads, and commands that failed, carry none
        assertThat(http.get("/dee-pkg", dee, Map.of()).header("npm-notice")).isNull();
        assertThat(http.get("/dee-pkg/-/dee-pkg-1.0.0.tgz", dee, Map.of()).header("npm-notice"))
                .isNull();
        assertThat(http.get("/-/whoami", dee, Map.of()).header("npm-notice")).isNull();
        assertThat(posture(dee).header("npm-notice")).isNull();
        Http.Result again = http.put("/dee-pkg", dee, Tarballs.publishBody("dee-pkg", "1.0.0"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("npm-notice")).isNull();
        Http.Result wrongPassword =
                postJson("/-/npm/v1/tokens", dee, Map.of("password", "not it", "name", "x"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(wrongPassword.header("npm-notice")).isNull();
    }

    @Test
    void aStagedReleasesNoticeComesFirstAndTheNudgeFollowsInTheSameHeader() throws Exception {
        Maintainers people = new Maintainers(server, clock);
        people.govern("gov-pkg", Map.of("framework", "two-person"), "eve", "fox");
        Http.Result staged =
                people.send(
                        "PUT", "/gov-pkg", "eve", Tarballs.publishBody("gov-pkg", "1.1.0"), false);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        assertThat(staged.json().path("staged").asBoolean()).isTrue();
        String notice = staged.header("npm-notice");
        String stagedNotice = staged.json().path("notice").asText();
        // eve has one-time codes and maintains a governed package: a passkey is her next step
        assertThat(notice)
                .startsWith(
                        stagedNotice + " / warden: next security step (important): Add a passkey:");
        assertThat(staged.response().headers().allValues("npm-notice")).hasSize(1);
    }
}
