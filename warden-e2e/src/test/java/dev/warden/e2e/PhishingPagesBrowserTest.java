package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;

import dev.warden.server.testing.Outbox;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phishing-defence pages in chromium: a code from a real mail checks out on the verify page, an
 * unknown and a malformed one are answered plainly, and the official page lists the configured
 * hosts. Screenshots go to {@code target/screenshots/} for a person to look at.
 */
class PhishingPagesBrowserTest {

    private static final Pattern CODE =
            Pattern.compile("Verification code: ([A-Z0-9]{4}-[A-Z0-9]{4})");

    @Test
    void theVerifyAndOfficialPagesInABrowser() throws Exception {
        Path shots = Files.createDirectories(Paths.get("target", "screenshots"));
        try (TestServer server =
                TestServer.start(
                        Map.of(
                                "awareness.official_hosts",
                                "[\"registry.example.invalid\",\"npm.example.invalid\"]"))) {
            server.token("pp-vera");
            String mail = Outbox.mailTo(server.data(), "pp-vera@example.com").get(0);
            Matcher m = CODE.matcher(mail);
            assertThat(m.find()).isTrue();
            String code = m.group(1);

            try (Playwright pw =
                            Playwright.create(
                                    new Playwright.CreateOptions()
                                            .setEnv(
                                                    Map.of(
                                                            "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD",
                                                            "1")));
                    Browser browser =
                            pw.chromium()
                                    .launch(
                                            new BrowserType.LaunchOptions()
                                                    .setExecutablePath(
                                                            Paths.get("/usr/bin/chromium"))
                                                    .setHeadless(true)
                                                    .setArgs(
                                                            List.of(
                                                                    "--no-sandbox",
                                                                    "--disable-gpu",
                                                                    "--no-first-run")))) {
                Page page = browser.newContext().newPage();

                page.navigate(server.url() + "/-/web/official");
                assertThat(page.textContent("#official-hosts"))
                        .contains("registry.example.invalid")
                        .contains("npm.example.invalid");
                assertThat(page.textContent("#never"))
                        .contains("Mail you a link to a page that asks for your password");
                page.screenshot(
                        new Page.ScreenshotOptions()
                                .setPath(shots.resolve("phishing-official.png"))
                                .setFullPage(true));

                page.click("a[href='/-/web/verify-message']");
                page.fill("#code", code.toLowerCase());
                page.click("button[type=submit]");
                assertThat(page.textContent("#verdict"))
                        .contains("This registry sent a message with code " + code)
                        .contains("p***@e***.com")
                        .contains("Warden: verify your email address");
                page.screenshot(
                        new Page.ScreenshotOptions()
                                .setPath(shots.resolve("phishing-verify-sent.png"))
                                .setFullPage(true));

                page.fill("#code", "ZZZZ-ZZZZ");
                page.click("button[type=submit]");
                assertThat(page.textContent("#verdict"))
                        .contains("No message with code ZZZZ-ZZZZ was sent by this registry")
                        .contains("Treat it as phishing");
                page.screenshot(
                        new Page.ScreenshotOptions()
                                .setPath(shots.resolve("phishing-verify-unknown.png"))
                                .setFullPage(true));

                Response bad =
                        page.navigate(server.url() + "/-/web/verify-message?code=%3Cscript%3E");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(page.textContent("#verdict"))
                        .contains("That is not a verification code");
                page.screenshot(
                        new Page.ScreenshotOptions()
                                .setPath(shots.resolve("phishing-verify-malformed.png"))
                                .setFullPage(true));
            }
        }
        assertThat(shots.resolve("phishing-verify-sent.png")).isNotEmptyFile();
    }
}
