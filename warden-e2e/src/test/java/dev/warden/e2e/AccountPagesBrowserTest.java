package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A person's account in Debian's chromium, without any script of the pages' own: signs in, makes a
 * read-only token for one package, sees it listed and revokes it; turns on TOTP by reading the
 * secret off the page; reads the history. Each page is checked for labels, one h1 and console
 * errors (CSP violations among them), and photographed at desktop and phone widths into {@code
 * target/screenshots/}.
 */
class AccountPagesBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();

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
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** What every account page must be: labelled inputs, one h1; then its two screenshots. */
    private static void check(Page page, String name, List<String> consoleErrors) {
        Object unlabelled =
                page.evaluate(
                        "[...document.querySelectorAll('input:not([type=hidden]),select,textarea')]"
                                + ".filter(e => e.labels.length === 0 &&"
                                + " !e.getAttribute('aria-label')).map(e => e.id || e.name)");
        assertThat((List<?>) unlabelled).as(name + ": inputs without a label").isEmpty();
        assertThat(page.locator("h1").count()).as(name + ": h1").isEqualTo(1);
        assertThat(page.evaluate("document.documentElement.lang")).isEqualTo("en");
        assertThat(consoleErrors).as(name + ": console errors").isEmpty();
        page.setViewportSize(1280, 800);
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(SHOTS.resolve("account-" + name + "-desktop.png"))
                        .setFullPage(true));
        page.setViewportSize(390, 844);
        page.screenshot(
                new Page.ScreenshotOptions()
                        .setPath(SHOTS.resolve("account-" + name + "-phone.png"))
                        .setFullPage(true));
        Object wide =
                page.evaluate(
                        "[...document.body.querySelectorAll('*')].filter(e =>"
                                + " e.getBoundingClientRect().right > window.innerWidth + 1"
                                + " && !e.closest('pre')).map(e => e.tagName + '#' + e.id + '.'"
                                + " + e.className)");
        assertThat((List<?>) wide).as(name + ": wider than a phone").isEmpty();
        page.setViewportSize(1280, 800);
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
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(
                    (ConsoleMessage m) -> {
                        // a failed load is reported with its address below
                        if (m.type().equals("error")
                                && !m.text().startsWith("Failed to load resource")) {
                            errors.add(m.text());
                        }
                    });
            page.onResponse(
                    r -> {
                        // chromium asks for a favicon the registry does not have
                        if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
                            errors.add(r.status() + " " + r.url());
                        }
                    });
            page.navigate(base + "/-/web/signin");
            page.fill("#username", "ivy");
            page.fill("#password", TestServer.password("ivy"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.textContent("#user")).isEqualTo("ivy");
            assertThat(page.textContent("#twofactor-state")).contains("off");
            check(page, "overview", errors);

            // a read-only token for one package, from the keyboard-reachable form
            page.click("nav.account-nav >> text=Tokens");
            page.waitForURL(base + "/-/web/account/tokens");
            page.fill("#token-name", "ci-read");
            page.check("#permission-read");
            page.fill("#token-packages", "ivy-pkg");
            page.fill("#token-password", TestServer.password("ivy"));
            page.press("#token-password", "Enter");
            page.waitForSelector("#new-token");
            String secret = page.inputValue("#new-token");
            assertThat(secret).startsWith("wdn_");
            assertThat(page.textContent("#new-token-facts .limits")).isEqualTo("packages ivy-pkg");
            check(page, "token-created", errors);
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
            check(page, "tokens", errors);
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
            check(page, "2fa-off", errors);
            page.check("#enable-auth-and-writes");
            page.fill("#enable-password", TestServer.password("ivy"));
            page.click("#enable-2fa button[type=submit]");
            page.waitForSelector("#totp-secret");
            assertThat(page.locator("#totp-qr rect").count()).isGreaterThan(20);
            String totp = page.textContent("#totp-secret");
            check(page, "2fa-setup", errors);
            page.fill("#confirm-code", Authenticator.ofSecret(totp).next());
            page.click("#confirm-2fa button[type=submit]");
            page.waitForSelector("#recovery-codes");
            assertThat(page.locator("#recovery-codes li").count()).isEqualTo(8);
            check(page, "recovery-codes", errors);
            page.navigate(base + "/-/web/account/2fa");
            assertThat(page.textContent("#tfa-state"))
                    .contains("on for signing in and every write");
            check(page, "2fa-on", errors);

            page.navigate(base + "/-/web/account");
            page.click("#history-link");
            page.waitForURL(base + "/-/web/account/history");
            String history = page.textContent("#history");
            assertThat(history)
                    .contains("2fa.enabled")
                    .contains("token.revoked")
                    .contains("token.created");
            assertThat(history.indexOf("2fa.enabled")).isLessThan(history.indexOf("token.created"));
            check(page, "history", errors);
        }
    }
}
