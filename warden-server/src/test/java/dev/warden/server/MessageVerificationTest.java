package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phishing defence on the wire: the mails a server writes carry codes that its verify-message page
 * vouches for, and footers that point to its official page; unknown, malformed and oversized codes
 * get a clear answer, and lookups are paced per address.
 */
class MessageVerificationTest {

    private static final Pattern CODE =
            Pattern.compile("Verification code: ([A-Z0-9]{4}-[A-Z0-9]{4})");
    private static final Map<String, String> JSON = Map.of("Accept", "application/json");

    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        server =
                TestServer.start(
                        Map.of(
                                "awareness.official_hosts",
                                "[\"registry.example.invalid\",\"npm.example.invalid\"]",
                                "awareness.verify_lookups_per_hour",
                                "8",
                                "server.trusted_proxies",
                                "[\"127.0.0.1\"]"));
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    static String codeOf(String mail) {
        Matcher m = CODE.matcher(mail);
        assertThat(m.find()).as("a verification code in:\n" + mail).isTrue();
        return m.group(1);
    }

    @Test
    void aMailedCodeVerifiesAsSentToTheMaskedRecipient() throws Exception {
        server.token("vera");
        List<String> mail = Outbox.mailTo(server.data(), "vera@example.com");
        assertThat(mail).hasSize(1);
        String code = codeOf(mail.get(0));
        assertThat(mail.get(0))
                .contains(
                        "Warden never mails you a link that asks for your password or code; sign"
                                + " in by typing the address yourself: "
                                + server.url()
                                + "/-/web/official");

        Http.Result json = http.get("/-/web/verify-message?code=" + code, null, JSON);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().path("sent").asBoolean()).isTrue();
        assertThat(json.json().path("recipient").asText()).isEqualTo("v***@e***.com");
        assertThat(json.json().path("subject").asText())
                .isEqualTo("Warden: verify your email address");

        Http.Result page = http.get("/-/web/verify-message?code=" + code.toLowerCase());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(page.body())
                .contains("This registry sent a message with code <code>" + code)
                .contains("v***@e***.com")
                .doesNotContain("vera@example.com");
    }

    @Test
    void anUnknownCodeIsNotSentByThisRegistryWithAdvice() throws Exception {
        Http.Result json = http.get("/-/web/verify-message?code=ZZZZ-ZZZZ", null, JSON);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().path("sent").asBoolean()).isFalse();
        assertThat(json.json().path("advice").asText()).contains("treat the message as phishing");
        Http.Result page = http.get("/-/web/verify-message?code=ZZZZ-ZZZZ");
        assertThat(page.body())
                .contains("No message with code <code>ZZZZ-ZZZZ</code> was sent by this registry");
    }

    @Test
    void malformedAndOversizedCodesAreAClear400() throws Exception {
        Http.Result bad =
                http.get(
                        "/-/web/verify-message?code="
                                + URLEncoder.encode("<script>x</script>", StandardCharsets.UTF_8),
                        null,
                        JSON);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).contains("that is not a verification code");
        Http.Result huge = http.get("/-/web/verify-message?code=" + "A".repeat(4000));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body()).contains("That is not a verification code").doesNotContain("AAAA");
        Http.Result none = http.get("/-/web/verify-message", null, JSON);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.error()).contains("give the message's verification code");
        assertThat(http.get("/-/web/verify-message").body()).contains("<form method=\"get\"");
    }

    @Test
    void lookupsArePacedPerAddress() throws Exception {
        Http guesser = http.from("203.0.113.5");
        for (int i = 0; i < 8; i++) {
            assertThat(
                            guesser.get("/-/web/verify-message?code=ZZZZ-ZZZ" + (i + 2), null, JSON)
                                    .status())
                    .isEqualTo(200);
        }
        Http.Result refused = guesser.get("/-/web/verify-message?code=ZZZZ-ZZZZ", null, JSON);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).contains("too many message checks from your address");
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(
                        http.from("198.51.100.9")
                                .get("/-/web/verify-message?code=ZZZZ-ZZZZ", null, JSON)
                                .status())
                .isEqualTo(200);
    }

    @Test
    void theOfficialPageListsTheConfiguredHostsAndWhatWardenNeverAsks() throws Exception {
        Http.Result page = http.get("/-/web/official");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("<code>registry.example.invalid</code>")
                .contains("<code>npm.example.invalid</code>")
                .contains("Mail you a link to a page that asks for your password")
                .contains("href=\"/-/web/verify-message\"");
    }

    @Test
    void withoutConfiguredHostsThePublicUrlsHostIsOfficial() throws Exception {
        try (TestServer plain = TestServer.start()) {
            assertThat(plain.http().get("/-/web/official").body())
                    .contains("<code>127.0.0.1</code>");
        }
    }
}
