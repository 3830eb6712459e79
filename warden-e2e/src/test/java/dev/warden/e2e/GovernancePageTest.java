package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * A package's governance page in a real browser: impact, policy, and a maintainer approving a
 * staged release with an OTP.
 */
class GovernancePageTest {

    @Test
    void aMaintainerReviewsAndApprovesAStagedReleaseOnTheWeb() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            String wa = server.token("web-a");
            String wb = server.token("web-b");
            server.enableTwoFactor("web-a", wa, "auth-only");
            Authenticator app = server.enableTwoFactor("web-b", wb, "auth-only");
            assertThat(
                            http.put(
                                            Tarballs.path("web-lib"),
                                            wa,
                                            Tarballs.publishBody("web-lib", "1.0.0"))
                                    .status())
                    .isEqualTo(200);
            var doc =
                    (com.fasterxml.jackson.databind.node.ObjectNode)
                            http.get("/web-lib?write=true").json();
            doc.putArray("maintainers").add("web-a").add("web-b");
            assertThat(http.put("/web-lib/-rev/" + doc.path("_rev").asText(), wa, doc).status())
                    .isEqualTo(200);
            assertThat(
                            http.send(
                                            "PUT",
                                            "/-/package/web-lib/governance",
                                            wb,
                                            "{\"framework\":\"two-person\"}".getBytes(),
                                            Map.of(
                                                    "Content-Type",
                                                    "application/json",
                                                    "npm-otp",
                                                    app.next()))
                                    .status())
                    .isEqualTo(200);
            var manifest = Tarballs.manifest("web-lib", "1.1.0");
            manifest.putObject("scripts").put("postinstall", "node x.js");
            assertThat(
                            http.put(
                                            Tarballs.path("web-lib"),
                                            wa,
                                            Tarballs.publishBody(
                                                    manifest, Tarballs.packageTgz(manifest)))
                                    .json()
                                    .path("staged")
                                    .asBoolean())
                    .isTrue();

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
                // anyone sees the public part
                page.navigate(server.url() + "/-/web/package/web-lib");
                assertThat(page.textContent("#impact"))
                        .contains("downloads in the last 7 days")
                        .contains("not high-impact");
                assertThat(page.textContent("#policy"))
                        .contains("two-person")
                        .contains("1 approval(s)");
                assertThat(page.textContent("#maintainers")).contains("web-a").contains("web-b");
                assertThat(page.locator("#stages").count()).isZero();

                page.navigate(server.url() + "/-/web/signin");
                page.fill("#username", "web-b");
                page.fill("#password", TestServer.password("web-b"));
                page.fill("#otp", app.next());
                page.click("button[type=submit]");
                page.waitForURL(server.url() + "/-/web/account");

                page.navigate(server.url() + "/-/web/package/web-lib");
                String stage = page.textContent("#stages .stage");
                assertThat(stage)
                        .contains("web-lib@1.1.0")
                        .contains("staged by web-a")
                        .contains("0 of 1 approvals")
                        .contains("scripts.postinstall: (none) -> \"node x.js\"");
                page.fill("#stages .otp", "000000");
                page.click("#stages .approve");
                assertThat(page.textContent("body")).contains("not right");
                assertThat(http.get("/web-lib").json().path("versions").has("1.1.0")).isFalse();

                page.navigate(server.url() + "/-/web/package/web-lib");
                page.fill("#stages .otp", app.next());
                page.click("#stages .approve");
                page.waitForURL(server.url() + "/-/web/package/web-lib");
                assertThat(page.locator("#stages .stage").count()).isZero();
                assertThat(http.get("/web-lib").json().path("versions").has("1.1.0")).isTrue();
            }
        }
    }
}
