package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Passkeys in a real browser: Debian's chromium, driven by Playwright, with a CDP virtual
 * authenticator (CTAP2, resident keys, user verification). A user registers a passkey, completes
 * the npm CLI's web login with it, and signs in to the web without a password.
 */
class PasskeyBrowserTest {

    static TestServer server;
    static String base;
    static String lastToken;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // WebAuthn needs a host name (not an IP address) as the relying party
        base = "http://localhost:" + port;
        server =
                TestServer.start(
                        Map.of("server.port", Integer.toString(port), "server.public_url", base));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Browser launch(Playwright pw) {
        return pw.chromium()
                .launch(
                        new BrowserType.LaunchOptions()
                                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                                .setHeadless(true)
                                .setArgs(
                                        List.of(
                                                "--no-sandbox",
                                                "--disable-gpu",
                                                "--disable-background-networking",
                                                "--disable-component-update",
                                                "--disable-sync",
                                                "--no-first-run")));
    }

    private static void virtualAuthenticator(BrowserContext ctx, Page page) {
        CDPSession cdp = ctx.newCDPSession(page);
        cdp.send("WebAuthn.enable");
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("transport", "internal");
        options.addProperty("hasResidentKey", true);
        options.addProperty("hasUserVerification", true);
        options.addProperty("isUserVerified", true);
        options.addProperty("automaticPresenceSimulation", true);
        JsonObject params = new JsonObject();
        params.add("options", options);
        cdp.send("WebAuthn.addVirtualAuthenticator", params);
    }

    @Test
    void registerAPasskeyThenSignInWithIt(@TempDir Path dir) throws Exception {
        server.token("pia");
        Map<String, String> env = Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(env));
                Browser browser = launch(pw)) {
            BrowserContext ctx = browser.newContext();
            Page page = ctx.newPage();
            virtualAuthenticator(ctx, page);

            page.navigate(base + "/-/web/signin");
            page.fill("#username", "pia");
            page.fill("#password", TestServer.password("pia"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.textContent("#user")).isEqualTo("pia");

            page.click("#add-passkey");
            page.waitForSelector("#passkeys li");
            assertThat(page.locator("#passkeys li").count()).isEqualTo(1);

            // the npm CLI's web login, completed with the passkey
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.writeString(home.resolve(".npmrc"), "registry=" + base + "/\n");
            var login = Clients.startWebLogin(home, base);
            Process npm = login.getKey();
            String loginUrl = login.getValue();
            page.navigate(loginUrl);
            page.click("#passkey-signin");
            page.waitForSelector("text=You are signed in");
            assertThat(npm.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(npm.exitValue()).isZero();
            assertThat(Clients.npm(home, Clients.env(home, base), "whoami").ok().out().trim())
                    .isEqualTo("pia");

            // and the web, without a password
            ctx.clearCookies();
            page.navigate(base + "/-/web/signin");
            page.click("#passkey-signin");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.textContent("#user")).isEqualTo("pia");

            // the passkey as the second factor of the web OTP flow
            String token = server.token("pia");
            lastToken = token;
            var http = server.http();
            var begin =
                    http.send(
                            "POST",
                            "/-/npm/v1/user",
                            token,
                            ("{\"tfa\":{\"password\":\""
                                            + TestServer.password("pia")
                                            + "\",\"mode\":\"auth-and-writes\"}}")
                                    .getBytes(),
                            Map.of("Content-Type", "application/json"));
            var app =
                    new dev.warden.server.testing.Authenticator(begin.json().path("tfa").asText());
            http.send(
                    "POST",
                    "/-/npm/v1/user",
                    token,
                    ("{\"tfa\":[\"" + app.next() + "\"]}").getBytes(),
                    Map.of("Content-Type", "application/json"));
            var challenge =
                    http.put(
                            "/pia-pkg",
                            token,
                            dev.warden.server.testing.Tarballs.publishBody("pia-pkg", "1.0.0"));
            assertThat(challenge.status()).isEqualTo(401);
            page.navigate(challenge.json().path("authUrl").asText());
            page.click("#passkey-signin");
            page.waitForSelector("text=Approved");
            String doneUrl = challenge.json().path("doneUrl").asText();
            String oneShot =
                    http.get(doneUrl.substring(base.length())).json().path("token").asText();
            var published =
                    http.send(
                            "PUT",
                            "/pia-pkg",
                            token,
                            new com.fasterxml.jackson.databind.ObjectMapper()
                                    .writeValueAsBytes(
                                            dev.warden.server.testing.Tarballs.publishBody(
                                                    "pia-pkg", "1.0.0")),
                            Map.of("Content-Type", "application/json", "npm-otp", oneShot));
            assertThat(published.status()).isEqualTo(200);

            // removing the passkey: it no longer signs in
            page.navigate(base + "/-/web/account");
            page.click(".remove-passkey");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.locator("#passkeys li").count()).isZero();
            ctx.clearCookies();
            page.navigate(base + "/-/web/signin");
            page.click("#passkey-signin");
            page.waitForSelector("text=Could not sign in with a passkey");
            assertThat(page.url()).isEqualTo(base + "/-/web/signin");
        }
        String token = lastToken;
        var kinds =
                server.http()
                        .get("/-/warden/v1/security-events?limit=100", token, Map.of())
                        .json()
                        .path("events")
                        .findValuesAsText("kind");
        assertThat(kinds).contains("passkey.registered", "passkey.removed");
        var via =
                server.http()
                        .get("/-/warden/v1/security-events?limit=100", token, Map.of())
                        .json()
                        .path("events")
                        .findValuesAsText("via");
        assertThat(via).contains("passkey");
    }
}
