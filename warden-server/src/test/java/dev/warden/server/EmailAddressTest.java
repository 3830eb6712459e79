package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.LogCapture;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An email address goes into mail headers and pages: everywhere one is taken, anything but a bare
 * address is refused and nothing is stored; one stored before that check is never mailed to.
 */
class EmailAddressTest {

    static TestServer server;
    static Http http;

    /** Each address refused, with the reason the client is given. */
    static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        REFUSED.put("<script>@x", "invalid email address: < is not allowed in an address");
        REFUSED.put(
                "\"><img src=x onerror=alert(1)>@example.com",
                "invalid email address: \" is not allowed in an address");
        REFUSED.put("o'hara@example.com", "invalid email address: ' is not allowed in an address");
        REFUSED.put(
                "eve@example.com\r\nBcc: all@example.com",
                "invalid email address: it contains a control character");
        REFUSED.put("eve @example.com", "invalid email address: it contains a space");
        REFUSED.put(
                "eve@example.com,boss@example.com",
                "invalid email address: , is not allowed in an address");
        REFUSED.put(
                "eve@-example.com",
                "invalid email address: the part after the @ must be a host name such as"
                        + " example.com");
        REFUSED.put("eve@@example.com", "invalid email address: it must contain exactly one @");
        REFUSED.put(
                "eve(boss)@example.com", "invalid email address: ( is not allowed in an address");
        REFUSED.put(
                "eve@example.com;boss@example.com",
                "invalid email address: ; is not allowed in an address");
        REFUSED.put(
                "eve..x@example.com",
                "invalid email address: the part before the @ contains dot-dot");
        REFUSED.put(
                "ev\u00e9@example.com",
                "invalid email address: it contains a character other than ASCII letters, digits"
                        + " and punctuation");
        REFUSED.put(
                "e".repeat(64)
                        + "@"
                        + "d".repeat(63)
                        + "."
                        + "d".repeat(63)
                        + "."
                        + "d".repeat(63)
                        + ".com",
                "invalid email address: it is longer than 254 characters");
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static List<String> mailTo(String to) throws Exception {
        return Outbox.mailTo(server.data(), to);
    }

    @Test
    void aSignUpWithAnythingButAnAddressIsRefusedAndCreatesNothing() throws Exception {
        int n = 0;
        for (Map.Entry<String, String> bad : REFUSED.entrySet()) {
            String name = "signup" + n++;
            Http.Result r =
                    http.put(
                            "/-/user/org.couchdb.user:" + name,
                            null,
                            Map.of(
                                    "name",
                                    name,
                                    "password",
                                    TestServer.password(name),
                                    "email",
                                    bad.getKey()));
            assertThat(r.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(r.error()).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(http.get("/-/user/org.couchdb.user:" + name).status())
                    .as(bad.getKey())
                    .isEqualTo(404);
        }
        assertThat(mailTo("<script>@x")).isEmpty();
        // a real address still works, stored as one
        Http.Result ok =
                http.put(
                        "/-/user/org.couchdb.user:ann",
                        null,
                        Map.of(
                                "name",
                                "ann",
                                "password",
                                TestServer.password("ann"),
                                "email",
                                "Ann.Lee+npm@Example.COM"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(
                        http.get("/-/npm/v1/user", ok.json().path("token").asText(), Map.of())
                                .json()
                                .path("email")
                                .asText())
                .isEqualTo("ann.lee+npm@example.com");
    }

    @Test
    void theWebSignUpRefusesMarkupAndCreatesNothing() throws Exception {
        Http.Result page = http.get("/-/web/signup");
        String cookie = page.header("Set-Cookie").split(";")[0];
        String csrf =
                Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(page.body())
                        .results()
                        .findFirst()
                        .orElseThrow()
                        .group(1);
        String form =
                "csrf="
                        + csrf
                        + "&action=create&username=webby&password="
                        + URLEncoder.encode(TestServer.password("webby"), StandardCharsets.UTF_8)
                        + "&email="
                        + URLEncoder.encode("<script>@x", StandardCharsets.UTF_8);
        Http.Result r =
                http.send(
                        "POST",
                        "/-/web/signup",
                        null,
                        form.getBytes(StandardCharsets.UTF_8),
                        Map.of(
                                "Content-Type",
                                "application/x-www-form-urlencoded",
                                "Cookie",
                                cookie));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body())
                .contains("invalid email address: &lt; is not allowed in an address")
                .doesNotContain("<script>");
        assertThat(http.get("/-/user/org.couchdb.user:webby").status()).isEqualTo(404);
    }

    @Test
    void npmProfileSetEmailRefusesAnythingButAnAddress() throws Exception {
        String token = server.token("pia");
        int mails = mailTo("pia@example.com").size();
        for (Map.Entry<String, String> bad : REFUSED.entrySet()) {
            Http.Result r =
                    http.send(
                            "POST",
                            "/-/npm/v1/user",
                            token,
                            new com.fasterxml.jackson.databind.ObjectMapper()
                                    .writeValueAsBytes(Map.of("email", bad.getKey())),
                            Map.of("Content-Type", "application/json"));
            assertThat(r.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(r.error()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        assertThat(http.get("/-/npm/v1/user", token, Map.of()).json().path("email").asText())
                .isEqualTo("pia@example.com");
        assertThat(mailTo("pia@example.com")).hasSize(mails);
        assertThat(
                        http.get("/-/warden/v1/security-events", token, Map.of())
                                .json()
                                .path("events")
                                .findValuesAsText("kind"))
                .doesNotContain("email.changed");
    }

    @Test
    void anAddressStoredBeforeTheCheckIsNeverPutInAMailHeader(@TempDir Path data) throws Exception {
        TestServer.storeUserUnchecked(data, "legacy", "<script>@x");
        String password = TestServer.password("legacy");
        String newPassword = "an0ther-l0ng-passphrase";
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        try (LogCapture log = LogCapture.of(dev.warden.accounts.Mailer.class);
                TestServer s = TestServer.start(data, Map.of())) {
            // npm profile set password: a change the owner is mailed about
            String token = s.token("legacy");
            Http.Result changed =
                    s.http()
                            .send(
                                    "POST",
                                    "/-/npm/v1/user",
                                    token,
                                    json.writeValueAsBytes(
                                            Map.of(
                                                    "password",
                                                    Map.of("old", password, "new", newPassword))),
                                    Map.of("Content-Type", "application/json"));
            assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            assertThat(s.http().get("/-/whoami", token, Map.of()).status()).isEqualTo(200);
            List<String> refused =
                    log.events().stream().filter(e -> e.startsWith("WARN ")).toList();
            assertThat(refused)
                    .hasSize(1)
                    .allSatisfy(
                            e ->
                                    assertThat(e)
                                            .isEqualTo(
                                                    "WARN no mail sent to account legacy: its"
                                                            + " stored email address is refused"
                                                            + " (invalid email address: < is not"
                                                            + " allowed in an address)"));
            assertThat(String.join("\n", log.events())).doesNotContain("<script>");

            // the owner sets a real address: the notice to the old one is refused too, the new one
            // gets its mail
            Http.Result fixed =
                    s.http()
                            .send(
                                    "POST",
                                    "/-/npm/v1/user",
                                    token,
                                    json.writeValueAsBytes(Map.of("email", "legacy@example.org")),
                                    Map.of("Content-Type", "application/json"));
            assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
            assertThat(Outbox.mailTo(data, "legacy@example.org"))
                    .anySatisfy(m -> assertThat(m).startsWith("Warden: verify your email address"));
            assertThat(log.events().stream().filter(e -> e.startsWith("WARN ")))
                    .hasSize(refused.size() + 1);
            try (java.util.stream.Stream<Path> files =
                    java.nio.file.Files.list(data.resolve("outbox"))) {
                for (Path f : files.toList()) {
                    assertThat(java.nio.file.Files.readString(f, StandardCharsets.US_ASCII))
                            .doesNotContain("<script>")
                            .doesNotContain("To: <");
                }
            }
        }
    }
}
