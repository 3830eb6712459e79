package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * npm login with its default web auth type: the CLI prints the page URL and polls; a browser (here
 * an HTTP client that keeps the cookie and posts the form) signs in; the CLI gets a token.
 */
class WebLoginTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Map.Entry<Process, String> startLogin(Path home) throws Exception {
        return Clients.startWebLogin(home, server.url());
    }

    private static HttpResponse<String> signIn(
            String url, String user, String password, String otp, boolean sendCookie)
            throws Exception {
        return FormBrowser.submit(
                url,
                Map.of("username", user, "password", password, "otp", otp == null ? "" : otp),
                sendCookie);
    }

    @Test
    void npmLoginThroughTheBrowser(@TempDir Path dir) throws Exception {
        server.token("webby");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        var login = startLogin(home);
        // a forged post (no cookie) and a wrong password are refused; the login stays open
        assertThat(
                        signIn(login.getValue(), "webby", TestServer.password("webby"), null, false)
                                .statusCode())
                .isEqualTo(403);
        HttpResponse<String> wrong =
                signIn(login.getValue(), "webby", "wrong-password", null, true);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Incorrect user name");
        assertThat(
                        signIn(login.getValue(), "webby", TestServer.password("webby"), null, true)
                                .statusCode())
                .isEqualTo(200);
        assertThat(login.getKey().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(login.getKey().exitValue()).isZero();
        assertThat(Files.readString(home.resolve(".npmrc"))).contains(":_authToken=wdn_");
        assertThat(Clients.npm(home, Clients.env(home, server.url()), "whoami").ok().out().trim())
                .isEqualTo("webby");
        // the session token expires: about 2 hours from now
        var tokens = server.server().accounts().tokens("webby");
        assertThat(tokens.get(tokens.size() - 1).expires())
                .isBetween(
                        java.time.Instant.now().plusSeconds(7000),
                        java.time.Instant.now().plusSeconds(7300));
    }

    @Test
    void twoFactorAccountsEnterTheirCodeOnThePage(@TempDir Path dir) throws Exception {
        String token = server.token("secure");
        var http = server.http();
        var begin =
                http.send(
                        "POST",
                        "/-/npm/v1/user",
                        token,
                        ("{\"tfa\":{\"password\":\""
                                        + TestServer.password("secure")
                                        + "\",\"mode\":\"auth-only\"}}")
                                .getBytes(),
                        Map.of("Content-Type", "application/json"));
        Authenticator app = new Authenticator(begin.json().path("tfa").asText());
        http.send(
                "POST",
                "/-/npm/v1/user",
                token,
                ("{\"tfa\":[\"" + app.next() + "\"]}").getBytes(),
                Map.of("Content-Type", "application/json"));

        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        var login = startLogin(home);
        HttpResponse<String> noCode =
                signIn(login.getValue(), "secure", TestServer.password("secure"), null, true);
        assertThat(noCode.statusCode()).isEqualTo(401);
        assertThat(noCode.body()).contains("one-time password");
        assertThat(
                        signIn(
                                        login.getValue(),
                                        "secure",
                                        TestServer.password("secure"),
                                        app.next(),
                                        true)
                                .statusCode())
                .isEqualTo(200);
        assertThat(login.getKey().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Clients.npm(home, Clients.env(home, server.url()), "whoami").ok().out().trim())
                .isEqualTo("secure");
    }

    @Test
    void npmAdduserCreatesTheAccountOnThePage(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".npmrc"), "registry=" + server.url() + "/\n");
        var adduser = Clients.startWeb("adduser", home, server.url());
        HttpResponse<String> weak =
                FormBrowser.submit(
                        adduser.getValue(),
                        Map.of(
                                "action",
                                "create",
                                "username",
                                "newbie",
                                "email",
                                "newbie@example.com",
                                "password",
                                "password123"),
                        true);
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("most common");
        HttpResponse<String> made =
                FormBrowser.submit(
                        adduser.getValue(),
                        Map.of(
                                "action",
                                "create",
                                "username",
                                "newbie",
                                "email",
                                "newbie@example.com",
                                "password",
                                "staple-pass-42"),
                        true);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        assertThat(adduser.getKey().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(adduser.getKey().exitValue()).isZero();
        assertThat(Clients.npm(home, Clients.env(home, server.url()), "whoami").ok().out().trim())
                .isEqualTo("newbie");
    }

    @Test
    void webSignupNeverKeepsASessionTheClientChose() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var page =
                client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url() + "/-/web/signup"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String csrfCookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf =
                java.util.regex.Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(page.body())
                        .results()
                        .findFirst()
                        .orElseThrow()
                        .group(1);
        String fixed = "warden_session=wdn_attackerChosenValue0000000000000000";
        var post =
                client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url() + "/-/web/signup"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("Cookie", csrfCookie + "; " + fixed)
                                .POST(
                                        java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "csrf="
                                                        + csrf
                                                        + "&action=create&username=fresh&email=fresh%40example.com&password=staple-pass-43"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(303);
        String session = post.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(session).startsWith("warden_session=wdn_").isNotEqualTo(fixed);
        var account =
                client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url() + "/-/web/account"))
                                .header("Cookie", session)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(account.body()).contains("fresh").contains("account.created");
        var forged =
                client.send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url() + "/-/web/account"))
                                .header("Cookie", fixed)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(303);
        assertThat(forged.headers().firstValue("Location").orElse("")).isEqualTo("/-/web/signin");
    }

    @Test
    void unknownAndMalformedRequests() throws Exception {
        var http = server.http();
        assertThat(http.get("/-/web/login/nope").status()).isEqualTo(404);
        // an unknown poll is 200 without a token, which npm reports as a failed login (a 4xx would
        // make it
        // fall back to password prompts without a word)
        var unknown = http.get("/-/v1/login/done/nope");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().has("token")).isFalse();
        assertThat(
                        http.post(
                                        "/-/v1/login",
                                        null,
                                        "{\"create\":".getBytes(),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(400);
        var opened =
                http.post(
                                "/-/v1/login",
                                null,
                                "{}".getBytes(),
                                Map.of("Content-Type", "application/json"))
                        .json();
        String done = opened.path("doneUrl").asText();
        var pending = http.get(done.substring(server.url().length()));
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.header("Retry-After")).isEqualTo("1");
        assertThat(pending.json().isObject()).isTrue();
        // the poll secret is not derivable from the page URL
        assertThat(done.substring(done.lastIndexOf('/') + 1))
                .isNotEqualTo(
                        opened.path("loginUrl")
                                .asText()
                                .substring(opened.path("loginUrl").asText().lastIndexOf('/') + 1));
        var notForm =
                http.post(
                        opened.path("loginUrl").asText().substring(server.url().length()),
                        null,
                        "{}".getBytes(),
                        Map.of("Content-Type", "application/json"));
        assertThat(notForm.status()).isEqualTo(415);
    }
}
