package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * The posture on the account and package pages in Debian's chromium: the score and the steps with
 * their links; adding a passkey (a CDP virtual authenticator) closes the passkey steps, on the page
 * and in the API. Screenshots go to {@code target/screenshots/} for a person to look at.
 */
class PosturePagesTest {

    static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();

    static TestServer server;
    static String base;

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
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static JsonNode posture(String token) throws Exception {
        return server.http().get("/-/warden/v1/posture", token, Map.of()).json();
    }

    @Test
    void theAccountAndPackagePagesShowThePostureAndAPasskeyChangesIt() throws Exception {
        String token = server.token("pam");
        server.token("quin");
        assertThat(
                        server.http()
                                .put("/pam-pkg", token, Tarballs.publishBody("pam-pkg", "1.0.0"))
                                .status())
                .isEqualTo(200);
        JsonNode before = posture(token);
        assertThat(before.path("steps").findValuesAsText("id"))
                .contains("add-passkey", "maintainers-add-passkeys");

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
            BrowserContext ctx = browser.newContext();
            Page page = ctx.newPage();
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

            page.navigate(base + "/-/web/signin");
            page.fill("#username", "pam");
            page.fill("#password", TestServer.password("pam"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            assertThat(page.textContent("#posture-score")).isEqualTo(before.path("score").asText());
            assertThat(page.textContent("#posture-factor")).isEqualTo("none");
            assertThat(page.locator("#posture-steps li").first().getAttribute("data-step"))
                    .isEqualTo("enable-2fa");
            assertThat(page.locator("li[data-step=add-passkey] a").getAttribute("href"))
                    .isEqualTo(base + "/-/web/account#posture");
            assertThat(page.textContent("#posture-packages")).contains("pam-pkg");
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(SHOTS.resolve("posture-account-before-passkey.png"))
                            .setFullPage(true));

            page.click("#add-passkey");
            page.waitForSelector("#passkeys li");
            page.navigate(base + "/-/web/account");
            assertThat(page.textContent("#posture-factor")).isEqualTo("passkey");
            assertThat(page.locator("li[data-step=add-passkey]").count()).isZero();
            int after = Integer.parseInt(page.textContent("#posture-score"));
            assertThat(after).isGreaterThan(before.path("score").asInt());
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(SHOTS.resolve("posture-account-after-passkey.png"))
                            .setFullPage(true));

            page.navigate(base + "/-/web/package/pam-pkg");
            assertThat(page.textContent("#posture-maintainers")).contains("pam: passkey");
            assertThat(page.locator("li[data-step=name-successors] a").getAttribute("href"))
                    .isEqualTo(base + "/-/web/package/pam-pkg");
            assertThat(page.locator("li[data-step=maintainers-add-passkeys]").count()).isZero();
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(SHOTS.resolve("posture-package.png"))
                            .setFullPage(true));

            // someone who does not maintain the package sees its page without its posture
            ctx.clearCookies();
            page.navigate(base + "/-/web/signin");
            page.fill("#username", "quin");
            page.fill("#password", TestServer.password("quin"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            page.navigate(base + "/-/web/package/pam-pkg");
            assertThat(page.locator("#maintainers").textContent()).contains("pam");
            assertThat(page.locator("#posture").count()).isZero();
        }
        JsonNode afterApi = posture(token);
        assertThat(afterApi.path("secondFactor").asText()).isEqualTo("passkey");
        assertThat(afterApi.path("steps").findValuesAsText("id"))
                .doesNotContain("add-passkey", "maintainers-add-passkeys");
    }
}
