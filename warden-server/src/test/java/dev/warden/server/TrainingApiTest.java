package dev.warden.server;

import static dev.warden.server.testing.TestServer.password;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Training over HTTP: the exercises API (no answer key sent, the caller's own attempts only, bad
 * input refused with the reason), the guide pages, and a policy's training gating {@code npm stage
 * approve}.
 */
class TrainingApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MovableClock clock;
    TestServer server;
    Http http;
    Map<String, String> tokens = new HashMap<>();
    Map<String, Authenticator> apps = new HashMap<>();

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

    Http.Result send(String method, String path, String user, Object body, boolean otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp) {
            headers.put("npm-otp", apps.get(user).next());
        }
        byte[] bytes =
                body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        return http.send(method, path, user == null ? null : tokens.get(user), bytes, headers);
    }

    /**
     * (As in StageApiTest.) {@code pkg} with maintainers {@code users} (the first publishes), all
     * with 2FA, under {@code policy}.
     */
    void governed(String pkg, Object policy, String... users) throws Exception {
        for (String u : users) {
            tokens.put(u, server.token(u));
            apps.put(u, server.enableTwoFactor(u, tokens.get(u), "auth-only", clock));
        }
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path(pkg),
                                        users[0],
                                        Tarballs.publishBody(pkg, "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        for (int i = 1; i < users.length; i++) {
            JsonNode doc = http.get("/" + pkg + "?write=true").json();
            var maintainers = JSON.createArrayNode();
            for (int j = 0; j <= i; j++) {
                maintainers
                        .addObject()
                        .put("name", users[j])
                        .put("email", users[j] + "@example.com");
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).set("maintainers", maintainers);
            assertThat(
                            send(
                                            "PUT",
                                            "/" + pkg + "/-rev/" + doc.path("_rev").asText(),
                                            users[0],
                                            doc,
                                            false)
                                    .status())
                    .isEqualTo(200);
        }
        Http.Result set = send("PUT", "/-/package/" + pkg + "/governance", users[0], policy, true);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    String stage(String pkg, String version, String user) throws Exception {
        Http.Result r =
                send("PUT", Tarballs.path(pkg), user, Tarballs.publishBody(pkg, version), false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("npm-notice")).contains("staged as");
        return r.json().path("stageId").asText();
    }

    boolean live(String pkg, String version) throws Exception {
        return http.get("/" + pkg).json().path("versions").has(version);
    }

    Http.Result attempt(String id, String user, String body) throws Exception {
        return http.send(
                "POST",
                "/-/warden/v1/exercises/" + id,
                user == null ? null : tokens.get(user),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));
    }

    JsonNode exercise(String user, String id) throws Exception {
        for (JsonNode e :
                http.get("/-/warden/v1/exercises", tokens.get(user), Map.of())
                        .json()
                        .path("exercises")) {
            if (e.path("id").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no exercise " + id);
    }

    @Test
    void anApprovalIsRefusedUntilTheApproverCompletedThePolicysExercises() throws Exception {
        governed(
                "trained-pkg",
                Map.of("framework", "two-person", "training", java.util.List.of("phishing-basics")),
                "ta",
                "tb");
        String id = stage("trained-pkg", "1.1.0", "ta");
        String approve = "/-/stage/" + id + "/approve";

        Http.Result refused = send("POST", approve, "tb", null, true);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error())
                .isEqualTo(
                        "the policy of trained-pkg asks approvers to complete these security"
                                + " exercises first: phishing-basics. Do them at "
                                + server.url()
                                + "/-/web/exercises (or POST /-/warden/v1/exercises/<id>), then"
                                + " approve again");
        assertThat(live("trained-pkg", "1.1.0")).isFalse();

        Http.Result wrong = attempt("phishing-basics", "tb", "{\"answer\":\"a\"}");
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.json().path("correct").asBoolean()).isFalse();
        assertThat(send("POST", approve, "tb", null, true).status()).isEqualTo(403);

        Http.Result right = attempt("phishing-basics", "tb", "{\"answer\":\"c\"}");
        assertThat(right.status()).as(right.body()).isEqualTo(200);
        assertThat(right.json().path("status").asText()).isEqualTo("completed");

        Http.Result approved = send("POST", approve, "tb", null, true);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(live("trained-pkg", "1.1.0")).isTrue();
        assertThat(http.get("/-/warden/v1/security-events", tokens.get("tb"), Map.of()).body())
                .as("the completion is in tb's security history")
                .contains("exercise.completed");
    }

    @Test
    void theListCarriesNoAnswerKeyAndEachAttemptIsTheCallersOwn() throws Exception {
        tokens.put("ua", server.token("ua"));
        tokens.put("ub", server.token("ub"));

        String list = http.get("/-/warden/v1/exercises", tokens.get("ua"), Map.of()).body();
        assertThat(list).contains("\"choices\"").doesNotContain("\"answer\"");
        assertThat(list).doesNotContain("explanation").doesNotContain("npmjs.help is not a domain");
        JsonNode step = exercise("ua", "add-passkey");
        assertThat(step.path("kind").asText()).isEqualTo("step");
        assertThat(step.path("state").path("done").asBoolean()).isFalse();

        Http.Result forOther =
                attempt("leaked-token-response", "ua", "{\"answer\":\"b\",\"user\":\"ub\"}");
        assertThat(forOther.status()).isEqualTo(400);
        assertThat(forOther.error())
                .isEqualTo("unknown field user: the body is {\"answer\": \"<choice id>\"}");
        assertThat(attempt("leaked-token-response", "ua", "{\"answer\":\"b\"}").status())
                .isEqualTo(200);
        assertThat(exercise("ua", "leaked-token-response").path("status").asText())
                .isEqualTo("completed");
        assertThat(exercise("ub", "leaked-token-response").path("status").asText())
                .as("ua's answer completes nothing of ub's")
                .isEqualTo("open");

        Http.Result check = attempt("add-passkey", "ua", null);
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.json().path("correct").asBoolean()).isFalse();
        assertThat(check.json().path("message").asText())
                .isEqualTo("Your account has no passkey yet.");
    }

    @Test
    void badInputIsAClientErrorWithItsReasonAndChangesNothing() throws Exception {
        tokens.put("bad", server.token("bad"));

        Map<String, String> expected =
                Map.of(
                        "{\"answer\":\"z\"}", "answer must be one of the choices' ids: a, b, c, d",
                        "{\"answer\":3}",
                                "a question is answered with {\"answer\": \"<choice id>\"}",
                        "{}", "a question is answered with {\"answer\": \"<choice id>\"}",
                        "[1]", "request body must be a JSON object");
        for (var e : expected.entrySet()) {
            Http.Result r = attempt("phishing-basics", "bad", e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.error()).as(e.getKey()).isEqualTo(e.getValue());
        }
        Http.Result notJson = attempt("phishing-basics", "bad", "{answer");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).startsWith("request body is not valid JSON");

        Http.Result unknown = attempt("no-such-exercise", "bad", "{\"answer\":\"a\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("no exercise with id no-such-exercise");

        Http.Result big =
                attempt("phishing-basics", "bad", "{\"answer\":\"" + "a".repeat(8192) + "\"}");
        assertThat(big.status()).isEqualTo(413);

        Http.Result stepWithAnswer = attempt("add-passkey", "bad", "{\"answer\":\"a\"}");
        assertThat(stepWithAnswer.status()).isEqualTo(400);
        assertThat(stepWithAnswer.error())
                .isEqualTo("unknown field answer: the body is {} (or {\"check\": true})");

        assertThat(attempt("phishing-basics", null, "{\"answer\":\"c\"}").status()).isEqualTo(401);
        assertThat(http.get("/-/warden/v1/exercises").status()).isEqualTo(401);

        Http.Result reader =
                http.post(
                        "/-/npm/v1/tokens",
                        tokens.get("bad"),
                        JSON.writeValueAsBytes(Map.of("password", password("bad"), "name", "r")),
                        Map.of("Content-Type", "application/json"));
        assertThat(reader.status()).as(reader.body()).isEqualTo(200);
        tokens.put("bad-reader", reader.json().path("token").asText());
        Http.Result readOnly = attempt("phishing-basics", "bad-reader", "{\"answer\":\"c\"}");
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.error()).isEqualTo("this token is read-only");

        for (JsonNode e :
                http.get("/-/warden/v1/exercises", tokens.get("bad"), Map.of())
                        .json()
                        .path("exercises")) {
            assertThat(e.path("status").asText()).as(e.path("id").asText()).isEqualTo("open");
        }
    }

    @Test
    void theGuidesAreServedAsPagesWithTheStrictPolicy() throws Exception {
        Http.Result index = http.get("/-/web/guides");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(index.body())
                .contains("href=\"/-/web/guides/best-practices\"")
                .contains("href=\"/-/web/guides/phishing\"")
                .contains("href=\"/-/web/guides/leaked-credentials\"");

        Http.Result phishing = http.get("/-/web/guides/phishing");
        assertThat(phishing.status()).isEqualTo(200);
        assertThat(phishing.body())
                .contains("<title>Recognising phishing</title>")
                .contains("<code>support@npmjs.help</code>")
                .contains("href=\"/-/web/verify-message\"");

        Http.Result missing = http.get("/-/web/guides/%3Cscript%3E");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).doesNotContain("<script>");

        Http.Result exercises = http.get("/-/web/exercises");
        assertThat(exercises.status()).as("sign in first").isEqualTo(303);
        assertThat(exercises.header("Location")).isEqualTo("/-/web/signin");
    }
}
