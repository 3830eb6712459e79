package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * A person's account in Debian's chromium, without any script of the pages' own: signs in, makes a
 * read-only token for one package, sees it listed and revokes it; turns on TOTP by reading the
 * secret off the page; reads the history. Each page passes {@link PageShots}' checks and is
 * photographed at desktop and phone widths.
 */
class AccountPagesBrowserTest {

    static TestServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://localhost:" + port;
        server =
                TestServer.start(
                        Map.of("server.port", Integer.toString(port), "server.public_url", base));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void aPersonMakesAndRevokesATokenTurnsOnTotpAndReadsTheHistory() throws Exception {
        String login = server.token("ivy");
        assertThat(
                        server.http()
                                .put("/ivy-pkg", login, Tarballs.publishBody("ivy-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);

        try (Playwright pw =
                        Playwright.create(
                                new Playwright.CreateOptions()
                                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                Browser browser =
                        pw.chromium()
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
                                                                "--no-first-run")))) {
            Page page = browser.newContext().newPage();
            PageShots shots = PageShots.watch(page);
            page.navigate(base + "/-/web/signin");
            page.fill("#username", "ivy");
            page.fill("#password", TestServer.password("ivy"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.textContent("#user")).isEqualTo("ivy");
            assertThat(page.textContent("#twofactor-state")).contains("off");
            shots.check("account-overview");

            // a read-only token for one package, from the keyboard-reachable form
            page.click("nav.account-nav >> text=Tokens");
            page.waitForURL(base + "/-/web/account/tokens");
            page.fill("#token-name", "ci-read");
            page.check("#permission-read");
            page.fill("#token-packages", "ivy-pkg");
            page.fill("#token-password", TestServer.password("ivy"));
            page.press("#token-password", "Enter");
            page.waitForSelector("#new-token");
            String secret = page.textContent("#new-token");
            assertThat(page.locator(".new-token button.copy").count()).isEqualTo(1);
            assertThat(secret).startsWith("wdn_");
            assertThat(page.textContent("#new-token-facts .limits")).isEqualTo("packages ivy-pkg");
            shots.check("account-token-created");
            assertThat(
                            server.http()
                                    .get("/-/whoami", secret, Map.of())
                                    .json()
                                    .path("username")
                                    .asText())
                    .isEqualTo("ivy");
            assertThat(
                            server.http()
                                    .put(
                                            "/ivy-pkg",
                                            secret,
                                            Tarballs.publishBody("ivy-pkg", "1.0.1"))
                                    .status())
                    .isEqualTo(403);

            page.navigate(base + "/-/web/account/tokens");
            var row = page.locator("#tokens > li", new Page.LocatorOptions().setHasText("ci-read"));
            assertThat(row.locator(".permission").textContent()).isEqualTo("read-only");
            assertThat(row.locator(".limits").textContent()).isEqualTo("packages ivy-pkg");
            assertThat(page.content()).doesNotContain(secret);
            shots.check("account-tokens");
            row.locator("button.revoke").click();
            page.waitForURL(base + "/-/web/account/tokens");
            assertThat(
                            page.locator(
                                            "#tokens > li",
                                            new Page.LocatorOptions().setHasText("ci-read"))
                                    .count())
                    .isZero();
            assertThat(server.http().get("/-/whoami", secret, Map.of()).status()).isEqualTo(401);

            // TOTP: the secret read off the page, the code computed here
            page.navigate(base + "/-/web/account/2fa");
            shots.check("account-2fa-off");
            page.check("#enable-auth-and-writes");
            page.fill("#enable-password", TestServer.password("ivy"));
            page.click("#enable-2fa button[type=submit]");
            page.waitForSelector("#totp-secret");
            assertThat(page.locator("#totp-qr rect").count()).isGreaterThan(20);
            String totp = page.textContent("#totp-secret");
            shots.check("account-2fa-setup");
            page.fill("#confirm-code", Authenticator.ofSecret(totp).next());
            page.click("#confirm-2fa button[type=submit]");
            page.waitForSelector("#recovery-codes");
            assertThat(page.locator("#recovery-codes li").count()).isEqualTo(8);
            shots.check("account-recovery-codes");
            page.navigate(base + "/-/web/account/2fa");
            assertThat(page.textContent("#tfa-state"))
                    .contains("on for signing in and every write");
            shots.check("account-2fa-on");

            page.navigate(base + "/-/web/account");
            page.click("#history-link");
            page.waitForURL(base + "/-/web/account/history");
            String history = page.textContent("#history");
            assertThat(history)
                    .contains("2fa.enabled")
                    .contains("token.revoked")
                    .contains("token.created");
            assertThat(history.indexOf("2fa.enabled")).isLessThan(history.indexOf("token.created"));
            shots.check("account-history");
        }
    }
}
