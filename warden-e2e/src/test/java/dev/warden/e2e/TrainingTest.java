package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training with real clients: the npm CLI's {@code npm stage approve} refused by a policy's
 * training with the message, then allowed once the exercise is done; the guide and exercise pages
 * in chromium (screenshots under target/screenshots/).
 */
class TrainingTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    record Maintainer(String name, String token, Map<String, String> env, Authenticator app) {}

    static Maintainer maintainer(Path dir, String name) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        String token = server.token(name);
        Clients.login(home, server.url(), token);
        return new Maintainer(
                name,
                token,
                Clients.env(home, server.url()),
                server.enableTwoFactor(name, token, "auth-only"));
    }

    static Path pkg(Path dir, String version) throws Exception {
        return Clients.writePackage(
                dir.resolve("trained-lib-" + version),
                "{\"name\":\"trained-lib\",\"version\":\"" + version + "\"}",
                Map.of("index.js", "module.exports = '" + version + "';\n"));
    }

    @Test
    void npmStageApproveIsRefusedUntilTheApproverDidTheExercise(@TempDir Path dir)
            throws Exception {
        Maintainer ann = maintainer(dir, "tr-ann");
        Maintainer bob = maintainer(dir, "tr-bob");
        Clients.npm(pkg(dir, "1.0.0"), ann.env(), "publish").ok();
        Clients.npm(dir, ann.env(), "owner", "add", bob.name(), "trained-lib").ok();
        Http.Result adopted =
                server.http()
                        .send(
                                "PUT",
                                "/-/package/trained-lib/governance",
                                ann.token(),
                                "{\"framework\":\"two-person\",\"training\":[\"phishing-basics\"]}"
                                        .getBytes(),
                                Map.of(
                                        "Content-Type",
                                        "application/json",
                                        "npm-otp",
                                        ann.app().next()));
        assertThat(adopted.status()).as(adopted.body()).isEqualTo(200);

        Clients.Run staged =
                Clients.npm(pkg(dir, "1.1.0"), ann.env(), "publish", "--loglevel=notice").ok();
        Matcher id = Pattern.compile("staged as ([0-9a-f-]{36})").matcher(staged.all());
        assertThat(id.find()).as(staged.all()).isTrue();
        String stage = id.group(1);

        Clients.Run refused =
                Clients.npm(dir, bob.env(), "stage", "approve", stage, "--otp=" + bob.app().next());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.all())
                .contains("403")
                .contains(
                        "asks approvers to complete these security exercises first:"
                                + " phishing-basics")
                .contains(server.url() + "/-/web/exercises");
        assertThat(
                        Clients.npm(dir, bob.env(), "view", "trained-lib", "versions", "--json")
                                .ok()
                                .out())
                .doesNotContain("1.1.0");

        Http.Result done =
                server.http()
                        .send(
                                "POST",
                                "/-/warden/v1/exercises/phishing-basics",
                                bob.token(),
                                "{\"answer\":\"c\"}".getBytes(),
                                Map.of("Content-Type", "application/json"));
        assertThat(done.json().path("status").asText()).as(done.body()).isEqualTo("completed");

        Clients.npm(dir, bob.env(), "stage", "approve", stage, "--otp=" + bob.app().next()).ok();
        assertThat(
                        Clients.npm(dir, bob.env(), "view", "trained-lib", "versions", "--json")
                                .ok()
                                .out())
                .contains("1.1.0");
    }

    @Test
    void theGuideAndExercisePagesInABrowser() throws Exception {
        String token = server.token("tr-web");
        Authenticator app = server.enableTwoFactor("tr-web", token, "auth-only");
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
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
                                                                "--no-first-run")))) {
            Page page = browser.newContext().newPage();
            page.navigate(server.url() + "/-/web/guides");
            assertThat(page.textContent("#guides"))
                    .contains("Security best practices for maintainers")
                    .contains("Recognising phishing")
                    .contains("What to do when a token or account leaks");
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(shots.resolve("guides.png"))
                            .setFullPage(true));

            page.click("text=Recognising phishing");
            page.waitForURL(server.url() + "/-/web/guides/phishing");
            assertThat(page.textContent("article.guide"))
                    .contains("npmjs.help")
                    .contains("Shai-Hulud")
                    .contains("eslint-scope");
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(shots.resolve("guide-phishing.png"))
                            .setFullPage(true));

            page.navigate(server.url() + "/-/web/signin");
            page.fill("#username", "tr-web");
            page.fill("#password", TestServer.password("tr-web"));
            page.fill("#otp", app.next());
            page.click("button[type=submit]");
            page.waitForURL(server.url() + "/-/web/account");
            assertThat(page.textContent("#training")).contains("Guides").contains("exercises");

            page.click("#training >> text=exercises");
            page.waitForURL(server.url() + "/-/web/exercises");
            page.check("#exercise-phishing-basics input[value=a]");
            page.click("#exercise-phishing-basics button");
            assertThat(page.textContent("#notice")).contains("not the right answer");
            assertThat(page.textContent("#exercise-phishing-basics .status")).contains("Open");

            page.check("#exercise-phishing-basics input[value=c]");
            page.click("#exercise-phishing-basics button");
            assertThat(page.textContent("#notice")).contains("npmjs.help is not a domain");
            assertThat(page.textContent("#exercise-phishing-basics .status")).contains("Completed");

            page.click("#exercise-add-passkey button");
            assertThat(page.textContent("#notice")).contains("Your account has no passkey yet.");
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(shots.resolve("exercises.png"))
                            .setFullPage(true));
        }
        assertThat(shots.resolve("exercises.png")).exists();
    }
}
