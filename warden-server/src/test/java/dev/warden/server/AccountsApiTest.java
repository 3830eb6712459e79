package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

/** The CouchDB login flow, whoami and logout, with the inputs npm and attackers send. */
class AccountsApiTest {

    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Map<String, Object> doc(String name, String password) {
        return Map.of(
                "_id",
                "org.couchdb.user:" + name,
                "name",
                name,
                "password",
                password,
                "email",
                name + "@example.com",
                "type",
                "user",
                "roles",
                new Object[0]);
    }

    @Test
    void registerLoginWhoamiLogout() throws Exception {
        Http.Result created =
                http.put("/-/user/org.couchdb.user:dave", null, doc("dave", "staple-pass-1"));
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().path("token").asText();
        assertThat(token).startsWith("wdn_");
        assertThat(http.get("/-/whoami", token, Map.of()).json().path("username").asText())
                .isEqualTo("dave");

        // logging in again with the right password gives a second, independent token
        Http.Result again =
                http.put("/-/user/org.couchdb.user:dave", token, doc("dave", "staple-pass-1"));
        assertThat(again.status()).isEqualTo(201);
        String second = again.json().path("token").asText();
        assertThat(second).isNotEqualTo(token);

        assertThat(http.delete("/-/user/token/" + token, token).status()).isEqualTo(200);
        Http.Result gone = http.get("/-/whoami", token, Map.of());
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(http.get("/-/whoami", second, Map.of()).json().path("username").asText())
                .isEqualTo("dave");
    }

    @Test
    void wrongPasswordIsRefusedAndIssuesNothing() throws Exception {
        assertThat(
                        http.put(
                                        "/-/user/org.couchdb.user:erin",
                                        null,
                                        doc("erin", "staple-pass-2"))
                                .status())
                .isEqualTo(201);
        Http.Result r =
                http.put("/-/user/org.couchdb.user:erin", null, doc("erin", "not-the-password"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("incorrect");
        assertThat(r.json().has("token")).isFalse();
    }

    @Test
    void malformedRegistrationsAreRefused() throws Exception {
        assertThat(
                        http.put(
                                        "/-/user/org.couchdb.user:Bad%20Name",
                                        null, doc("Bad Name", "long-enough-pw"))
                                .status())
                .isEqualTo(400);
        Http.Result shortPw =
                http.put("/-/user/org.couchdb.user:frank", null, doc("frank", "short"));
        assertThat(shortPw.status()).isEqualTo(400);
        assertThat(shortPw.error()).contains("at least 10");
        Http.Result mismatch =
                http.put("/-/user/org.couchdb.user:frank", null, doc("grace", "long-enough-pw"));
        assertThat(mismatch.status()).isEqualTo(400);
        Http.Result noEmail =
                http.put(
                        "/-/user/org.couchdb.user:frank",
                        null,
                        Map.of("name", "frank", "password", "long-enough-pw"));
        assertThat(noEmail.status()).isEqualTo(400);
        assertThat(noEmail.error()).contains("email");
        Http.Result notJson =
                http.putRaw("/-/user/org.couchdb.user:frank", null, "name=frank".getBytes());
        assertThat(notJson.status()).isEqualTo(400);
        // none of these created the user
        assertThat(http.get("/-/user/org.couchdb.user:frank").status()).isEqualTo(404);
    }

    @Test
    void closedRegistrationRefusesNewUsers() throws Exception {
        try (TestServer closed = TestServer.start(Map.of("accounts.registration", "closed"))) {
            Http.Result r =
                    closed.http()
                            .put(
                                    "/-/user/org.couchdb.user:heidi",
                                    null,
                                    doc("heidi", "staple-pass-3"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error()).contains("registration is closed");
        }
    }

    @Test
    void forgedAndMalformedCredentials() throws Exception {
        assertThat(http.get("/-/whoami").status()).isEqualTo(401);
        assertThat(http.get("/-/whoami", null, Map.of("Authorization", "Bearer")).status())
                .isEqualTo(401);
        assertThat(http.get("/-/whoami", null, Map.of("Authorization", "Basic !!!")).status())
                .isEqualTo(401);
        // right shape, wrong checksum
        assertThat(
                        http.get("/-/whoami", "wdn_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa000000", Map.of())
                                .status())
                .isEqualTo(401);
        String basic = java.util.Base64.getEncoder().encodeToString("nobody:nothing".getBytes());
        assertThat(http.get("/-/whoami", null, Map.of("Authorization", "Basic " + basic)).status())
                .isEqualTo(401);
    }

    @Test
    void aTokenCannotRevokeAnother() throws Exception {
        String ivan = server.token("ivan");
        String judy = server.token("judy");
        Http.Result r = http.delete("/-/user/token/" + judy, ivan);
        assertThat(r.status()).isEqualTo(403);
        assertThat(http.get("/-/whoami", judy, Map.of()).status()).isEqualTo(200);
    }
}
