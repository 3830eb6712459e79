package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-ins from an address new to the account: the account's first address is trusted on first use;
 * later ones ask for a second factor, or, without one, a code mailed to the account; the account is
 * mailed when one succeeds.
 */
class NewAddressSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SIGN_IN_CODE = Pattern.compile("\n  ([0-9]{8})\n");

    MovableClock clock;
    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of("server.trusted_proxies", "[\"127.0.0.1\"]"), clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static Http.Result login(Http from, String user, String otp) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "npm/11.19.1 node/v22 linux x64");
        if (otp != null) {
            headers.put("npm-otp", otp);
        }
        byte[] body =
                JSON.writeValueAsBytes(
                        Map.of(
                                "name",
                                user,
                                "password",
                                TestServer.password(user),
                                "email",
                                user + "@example.com"));
        return from.send("PUT", "/-/user/org.couchdb.user:" + user, null, body, headers);
    }

    private List<String> mail(String user, String subject) throws Exception {
        return Outbox.mailTo(server.data(), user + "@example.com").stream()
                .filter(m -> m.startsWith(subject))
                .toList();
    }

    private static String codeIn(String mail) {
        Matcher m = SIGN_IN_CODE.matcher(mail);
        assertThat(m.find()).as("a sign-in code in:\n" + mail).isTrue();
        return m.group(1);
    }

    @Test
    void anAccountWithoutTwoFactorGetsAMailedCodeForANewAddress() throws Exception {
        server.token("nadia"); // signs up from 127.0.0.1: the first known address
        Http away = http.from("198.51.100.20");

        Http.Result first = login(away, "nadia", null);
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.header("WWW-Authenticate")).isEqualTo("OTP");
        assertThat(first.error())
                .contains("this sign-in is from an address new to your account (198.51.100.20)")
                .contains("a one-time code was mailed");
        List<String> codes = mail("nadia", "Warden: your sign-in code");
        assertThat(codes).hasSize(1);
        assertThat(codes.get(0))
                .contains("is signing in from 198.51.100.20 (npm/11.19.1 node/v22 linux x64)")
                .contains("Warden never asks for this code by mail")
                .contains("Verification code: ");

        // asking again while a code is pending mails no second one
        assertThat(login(away, "nadia", null).status()).isEqualTo(401);
        assertThat(mail("nadia", "Warden: your sign-in code")).hasSize(1);

        Http.Result granted = login(away, "nadia", codeIn(codes.get(0)));
        assertThat(granted.status()).isEqualTo(201);
        List<String> told = mail("nadia", "Warden: new sign-in from 198.51.100.20");
        assertThat(told).hasSize(1);
        assertThat(told.get(0)).contains("198.51.100.20, npm/11.19.1 node/v22 linux x64");
        Http.Result history =
                http.get(
                        "/-/warden/v1/security-events",
                        granted.json().path("token").asText(),
                        Map.of());
        assertThat(history.body()).contains("login.new-address");

        // now known: no code, no mail
        assertThat(login(away, "nadia", null).status()).isEqualTo(201);
        assertThat(mail("nadia", "Warden: new sign-in from")).hasSize(1);
        assertThat(mail("nadia", "Warden: your sign-in code")).hasSize(1);
    }

    @Test
    void aWrongCodeIsSpentAndTheNextAttemptMailsANewOne() throws Exception {
        server.token("omar");
        Http away = http.from("203.0.113.8");
        login(away, "omar", null);
        String code = codeIn(mail("omar", "Warden: your sign-in code").get(0));
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        Http.Result refused = login(away, "omar", wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).contains("that code is wrong or expired");
        assertThat(login(away, "omar", code).status())
                .as("the right code after a wrong one: spent")
                .isEqualTo(401);
        login(away, "omar", null);
        List<String> codes = mail("omar", "Warden: your sign-in code");
        assertThat(codes).hasSize(2);
        // the outbox's order within one millisecond is not the sending order: take the new code
        String second =
                codes.stream()
                        .map(m -> codeIn(m))
                        .filter(c -> !c.equals(code))
                        .findFirst()
                        .orElse(code);
        assertThat(login(away, "omar", second).status()).isEqualTo(201);
    }

    @Test
    void aMailedCodeExpires() throws Exception {
        server.token("pia");
        Http away = http.from("203.0.113.9");
        login(away, "pia", null);
        String code = codeIn(mail("pia", "Warden: your sign-in code").get(0));
        clock.advance(Duration.ofMinutes(16));
        assertThat(login(away, "pia", code).error()).contains("that code is wrong or expired");
    }

    @Test
    void anAccountWithTwoFactorGivesItAndIsToldOfTheNewAddress() throws Exception {
        String token = server.token("quinn");
        Authenticator auth = server.enableTwoFactor("quinn", token, "auth-only", clock);
        Http away = http.from("198.51.100.30");
        assertThat(login(away, "quinn", null).status()).isEqualTo(401);
        assertThat(mail("quinn", "Warden: your sign-in code")).isEmpty();
        assertThat(login(away, "quinn", auth.next()).status()).isEqualTo(201);
        assertThat(mail("quinn", "Warden: new sign-in from 198.51.100.30")).hasSize(1);
    }

    @Test
    void creatingATokenWithThePasswordFromANewAddressStepsUpToo() throws Exception {
        String token = server.token("rosa");
        Http.Result r =
                http.from("203.0.113.40")
                        .send(
                                "POST",
                                "/-/npm/v1/tokens",
                                token,
                                JSON.writeValueAsBytes(
                                        Map.of("password", TestServer.password("rosa"))),
                                Map.of("Content-Type", "application/json"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("this sign-in is from an address new to your account");
        assertThat(mail("rosa", "Warden: your sign-in code")).hasSize(1);
    }

    @Test
    void theSameNetworkOfIpv6IsOnePlace() throws Exception {
        Http home = http.from("2001:db8:5:6::1");
        // the account's first sign-in: trusted on first use
        assertThat(login(home, "sam", null).status()).isEqualTo(201);
        assertThat(login(http.from("2001:db8:5:6::abcd"), "sam", null).status()).isEqualTo(201);
        assertThat(login(http.from("2001:db8:5:7::1"), "sam", null).status()).isEqualTo(401);
    }
}
