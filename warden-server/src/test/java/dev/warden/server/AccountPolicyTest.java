package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Password rules, email verification through the outbox, invite-only registration, the pause after
 * an email change, leaked tokens.
 */
class AccountPolicyTest {

    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Map<String, Object> doc(String name, String password, String email) {
        return Map.of("name", name, "password", password, "email", email);
    }

    /** The decoded mail sent to {@code to}, oldest first. */
    private List<String> mailTo(String to) throws Exception {
        return dev.warden.server.testing.Outbox.mailTo(server.data(), to);
    }

    @Test
    void weakPasswordsAreRefused() throws Exception {
        Http.Result common =
                http.put(
                        "/-/user/org.couchdb.user:pat",
                        null,
                        doc("pat", "password123", "pat@example.com"));
        assertThat(common.status()).isEqualTo(400);
        assertThat(common.error()).contains("most common");
        Http.Result named =
                http.put(
                        "/-/user/org.couchdb.user:patricia",
                        null,
                        doc("patricia", "patricia-is-great", "p@example.com"));
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.error()).contains("user name");
        assertThat(http.get("/-/user/org.couchdb.user:pat").status()).isEqualTo(404);
    }

    @Test
    void registrationSendsAVerificationLinkThatWorksOnce() throws Exception {
        String token = server.token("vera");
        assertThat(
                        http.get("/-/npm/v1/user", token, Map.of())
                                .json()
                                .path("email_verified")
                                .asBoolean())
                .isFalse();
        List<String> mail = mailTo("vera@example.com");
        assertThat(mail).hasSize(1);
        Matcher m =
                Pattern.compile("/-/warden/v1/verify-email\\?token=(wdn_[0-9A-Za-z]+)")
                        .matcher(mail.get(0));
        assertThat(m.find()).isTrue();
        Http.Result verified = http.get("/-/warden/v1/verify-email?token=" + m.group(1));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.header("Content-Security-Policy")).isEqualTo("default-src 'none'");
        assertThat(
                        http.get("/-/npm/v1/user", token, Map.of())
                                .json()
                                .path("email_verified")
                                .asBoolean())
                .isTrue();
        assertThat(http.get("/-/warden/v1/verify-email?token=" + m.group(1)).status())
                .isEqualTo(400);
        assertThat(http.get("/-/warden/v1/verify-email?token=wdn_forged").status()).isEqualTo(400);
        assertThat(http.get("/-/warden/v1/verify-email").status()).isEqualTo(400);
    }

    @Test
    void inviteOnlyRegistration() throws Exception {
        try (TestServer invite = TestServer.start(Map.of("accounts.registration", "invite"))) {
            Http h = invite.http();
            Http.Result uninvited =
                    h.put(
                            "/-/user/org.couchdb.user:ivy",
                            null,
                            doc("ivy", "staple-pass-9", "ivy@example.com"));
            assertThat(uninvited.status()).isEqualTo(403);
            assertThat(uninvited.error()).contains("invite-only");
            invite.server().accounts().invite("ivy", "ivy@example.com");
            assertThat(
                            h.put(
                                            "/-/user/org.couchdb.user:ivy",
                                            null,
                                            doc("ivy", "staple-pass-9", "other@example.com"))
                                    .status())
                    .isEqualTo(403);
            assertThat(
                            h.put(
                                            "/-/user/org.couchdb.user:ivy",
                                            null,
                                            doc("ivy", "staple-pass-9", "ivy@example.com"))
                                    .status())
                    .isEqualTo(201);
        }
    }

    @Test
    void anEmailChangePausesPublishingAndTellsBothAddresses() throws Exception {
        String token = server.token("walt");
        assertThat(http.put("/walt-pkg", token, Tarballs.publishBody("walt-pkg", "1.0.0")).status())
                .isEqualTo(200);
        Map<String, Object> change = Map.of("email", "thief@example.com", "fullname", "");
        Http.Result changed =
                http.send(
                        "POST",
                        "/-/npm/v1/user",
                        token,
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(change),
                        Map.of("Content-Type", "application/json"));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().path("email").asText()).isEqualTo("thief@example.com");
        Http.Result paused =
                http.put("/walt-pkg", token, Tarballs.publishBody("walt-pkg", "1.0.1"));
        assertThat(paused.status()).isEqualTo(403);
        assertThat(paused.error()).contains("paused until");
        assertThat(mailTo("walt@example.com")).anyMatch(b -> b.contains("email.changed"));
        assertThat(mailTo("thief@example.com")).anyMatch(b -> b.contains("paused for 72 hours"));
        Http.Result badEmail =
                http.send(
                        "POST",
                        "/-/npm/v1/user",
                        token,
                        "{\"email\":\"not an email\"}".getBytes(),
                        Map.of("Content-Type", "application/json"));
        assertThat(badEmail.status()).isEqualTo(400);
        Http.Result fullname =
                http.send(
                        "POST",
                        "/-/npm/v1/user",
                        token,
                        "{\"fullname\":\"Walt\"}".getBytes(),
                        Map.of("Content-Type", "application/json"));
        assertThat(fullname.status()).isEqualTo(400);
    }

    @Test
    void reportedLeaksAreRevokedAndTheOwnerIsTold() throws Exception {
        String token = server.token("lea");
        Http.Result report =
                http.post(
                        "/-/warden/v1/tokens/leaked",
                        null,
                        ("{\"tokens\":[\"" + token + "\",\"wdn_notreal\"],\"source\":\"scanner\"}")
                                .getBytes(),
                        Map.of("Content-Type", "application/json"));
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().path("revoked").asInt()).isEqualTo(1);
        assertThat(http.get("/-/whoami", token, Map.of()).status()).isEqualTo(401);
        assertThat(mailTo("lea@example.com")).anyMatch(b -> b.contains("token.leaked"));
        assertThat(
                        http.post(
                                        "/-/warden/v1/tokens/leaked",
                                        null,
                                        "{\"tokens\":[]}".getBytes(),
                                        Map.of())
                                .status())
                .isEqualTo(400);
        assertThat(
                        http.post(
                                        "/-/warden/v1/tokens/leaked",
                                        null,
                                        "{\"tokens\":\"x\"}".getBytes(),
                                        Map.of())
                                .status())
                .isEqualTo(400);
        String fresh = server.token("lea");
        var events =
                http.get("/-/warden/v1/security-events", fresh, Map.of()).json().path("events");
        assertThat(events.findValuesAsText("kind"))
                .contains("token.leaked", "account.created", "login");
    }
}
