package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Malformed, forged and out-of-order organization requests are refused and change nothing. */
class OrgApiTest {

    static TestServer server;
    static Http http;
    static String owner;
    static String admin;
    static String dev;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        owner = server.token("olga");
        admin = server.token("adam");
        dev = server.token("dina");
        assertThat(send("POST", "/-/warden/v1/orgs", owner, "{\"name\":\"widgets\"}"))
                .isEqualTo(201);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"adam\",\"role\":\"admin\"}"))
                .isEqualTo(200);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"dina\",\"role\":\"developer\"}"))
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static int send(String method, String path, String token, String body)
            throws Exception {
        return http.send(
                        method,
                        path,
                        token,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"))
                .status();
    }

    private static String roster() throws Exception {
        return http.get("/-/org/widgets/user", owner, Map.of()).body();
    }

    @Test
    void namesAndScopesAreNotTakenTwice() throws Exception {
        assertThat(send("POST", "/-/warden/v1/orgs", admin, "{\"name\":\"widgets\"}"))
                .isEqualTo(409);
        assertThat(send("POST", "/-/warden/v1/orgs", admin, "{\"name\":\"olga\"}")).isEqualTo(409);
        assertThat(send("POST", "/-/warden/v1/orgs", admin, "{\"name\":\"Bad Name\"}"))
                .isEqualTo(400);
        assertThat(send("POST", "/-/warden/v1/orgs", admin, "{}")).isEqualTo(400);
        assertThat(send("POST", "/-/warden/v1/orgs", null, "{\"name\":\"free\"}")).isEqualTo(401);
        Http.Result squat =
                http.put(
                        "/-/user/org.couchdb.user:widgets",
                        null,
                        Map.of(
                                "name",
                                "widgets",
                                "password",
                                "staple-pass-9",
                                "email",
                                "w@example.com"));
        assertThat(squat.status()).isEqualTo(409);
    }

    @Test
    void rolesLimitWhoManages() throws Exception {
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"dina\",\"role\":\"developer\"}"))
                .isEqualTo(200);
        String before = roster();
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                dev,
                                "{\"user\":\"adam\",\"role\":\"developer\"}"))
                .isEqualTo(403);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                admin,
                                "{\"user\":\"dina\",\"role\":\"owner\"}"))
                .isEqualTo(403);
        assertThat(send("DELETE", "/-/org/widgets/user", admin, "{\"user\":\"olga\"}"))
                .isEqualTo(403);
        assertThat(send("DELETE", "/-/org/widgets/user", owner, "{\"user\":\"olga\"}"))
                .isEqualTo(400);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"olga\",\"role\":\"developer\"}"))
                .isEqualTo(400);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"ghost\",\"role\":\"developer\"}"))
                .isEqualTo(404);
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"dina\",\"role\":\"emperor\"}"))
                .isEqualTo(400);
        assertThat(send("PUT", "/-/org/widgets/user", owner, "{\"role\":\"developer\"}"))
                .isEqualTo(400);
        assertThat(send("PUT", "/-/org/widgets/user", owner, "{\"user\":")).isEqualTo(400);
        assertThat(send("PUT", "/-/org/nowhere/user", owner, "{\"user\":\"dina\"}")).isEqualTo(404);
        assertThat(roster()).isEqualTo(before);
        String stranger = server.token("sam");
        assertThat(http.get("/-/org/widgets/user", stranger, Map.of()).status()).isEqualTo(404);
    }

    @Test
    void teamsAndGrantsInOrder() throws Exception {
        assertThat(
                        send(
                                "PUT",
                                "/-/org/widgets/user",
                                owner,
                                "{\"user\":\"dina\",\"role\":\"developer\"}"))
                .isEqualTo(200);
        assertThat(send("PUT", "/-/org/widgets/team", admin, "{\"name\":\"ops\"}")).isEqualTo(201);
        assertThat(send("PUT", "/-/org/widgets/team", admin, "{\"name\":\"ops\"}")).isEqualTo(409);
        assertThat(send("PUT", "/-/org/widgets/team", dev, "{\"name\":\"devs\"}")).isEqualTo(403);
        String stranger = server.token("sid");
        assertThat(send("PUT", "/-/team/widgets/ops/user", admin, "{\"user\":\"sid\"}"))
                .isEqualTo(400);
        assertThat(send("PUT", "/-/team/widgets/nope/user", admin, "{\"user\":\"dina\"}"))
                .isEqualTo(404);
        assertThat(send("PUT", "/-/team/widgets/ops/user", admin, "{\"user\":\"dina\"}"))
                .isEqualTo(201);
        assertThat(http.get("/-/team/widgets/ops/user", stranger, Map.of()).status())
                .isEqualTo(404);
        assertThat(
                        http.put(
                                        "/@widgets%2fgear",
                                        owner, Tarballs.publishBody("@widgets/gear", "1.0.0"))
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.put(
                                        "/outside-pkg",
                                        owner,
                                        Tarballs.publishBody("outside-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        assertThat(
                        send(
                                "PUT",
                                "/-/team/widgets/ops/package",
                                admin,
                                "{\"package\":\"outside-pkg\",\"permissions\":\"read-write\"}"))
                .isEqualTo(400);
        assertThat(
                        send(
                                "PUT",
                                "/-/team/widgets/ops/package",
                                admin,
                                "{\"package\":\"@widgets/none\",\"permissions\":\"read-write\"}"))
                .isEqualTo(404);
        assertThat(
                        send(
                                "PUT",
                                "/-/team/widgets/ops/package",
                                admin,
                                "{\"package\":\"@widgets/gear\",\"permissions\":\"all\"}"))
                .isEqualTo(400);
        assertThat(
                        send(
                                "PUT",
                                "/-/team/widgets/ops/package",
                                dev,
                                "{\"package\":\"@widgets/gear\",\"permissions\":\"read-write\"}"))
                .isEqualTo(403);
        assertThat(
                        http.put(
                                        "/@widgets%2fgear",
                                        dev, Tarballs.publishBody("@widgets/gear", "1.0.1"))
                                .status())
                .isEqualTo(403);
        assertThat(
                        send(
                                "PUT",
                                "/-/team/widgets/ops/package",
                                admin,
                                "{\"package\":\"@widgets/gear\",\"permissions\":\"read-write\"}"))
                .isEqualTo(200);
        assertThat(
                        http.put(
                                        "/@widgets%2fgear",
                                        dev, Tarballs.publishBody("@widgets/gear", "1.0.1"))
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.get("/-/team/widgets/ops/package", dev, Map.of())
                                .json()
                                .path("@widgets/gear")
                                .asText())
                .isEqualTo("write");
        // a removed member loses the team's grant at once
        assertThat(send("DELETE", "/-/org/widgets/user", admin, "{\"user\":\"dina\"}"))
                .isEqualTo(200);
        assertThat(
                        http.put(
                                        "/@widgets%2fgear",
                                        dev, Tarballs.publishBody("@widgets/gear", "1.0.2"))
                                .status())
                .isEqualTo(403);
    }
}
