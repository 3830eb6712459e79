package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * A maintainer's approvals in Debian's chromium: another maintainer's staged release is in the
 * queue; its page shows the file tree and a highlighted diff of a changed file; an approval with a
 * one-time password makes it live. Its stager cannot approve it through the page. Screenshots of
 * the queue and the stage page at desktop and phone widths go to {@code target/screenshots/}.
 */
class ApprovalPagesBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    static final String UTIL_1 =
            "// helpers\n"
                    + "const limit = 10;\n"
                    + "function clamp(n) {\n"
                    + "  return Math.min(n, limit);\n"
                    + "}\n"
                    + "module.exports = { clamp };\n";
    static final String UTIL_2 =
            "// helpers, bounded below too\n"
                    + "const limit = 20;\n"
                    + "function clamp(n) {\n"
                    + "  if (n < 0) return 0;\n"
                    + "  return Math.min(n, limit);\n"
                    + "}\n"
                    + "module.exports = { clamp, name: \"util\" };\n";

    static MovableClock clock;
    static TestServer server;
    static Http http;
    static Maintainers m;

    @BeforeAll
    static void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        m = new Maintainers(server, clock);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static ObjectNode publishBody(String version, Tarballs.Entry... files) {
        ObjectNode manifest = Tarballs.manifest("diff-lib", version);
        return Tarballs.publishBody(manifest, Tarballs.packageTgz(manifest, files));
    }

    /** diff-lib 1.0.0 by ava, maintained with bo, under two-person governance; 1.1.0 staged. */
    static String staged() throws Exception {
        m.join("ava");
        m.join("bo");
        Http.Result first =
                m.send(
                        "PUT",
                        "/diff-lib",
                        "ava",
                        publishBody(
                                "1.0.0",
                                Tarballs.Entry.file("package/lib/util.js", UTIL_1),
                                Tarballs.Entry.file("package/OLD.md", "# old notes\n")),
                        false);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        JsonNode doc = http.get("/diff-lib?write=true").json();
        var list = JSON.createArrayNode();
        for (String name : new String[] {"ava", "bo"}) {
            list.addObject().put("name", name).put("email", name + "@example.com");
        }
        ((ObjectNode) doc).set("maintainers", list);
        assertThat(
                        m.send(
                                        "PUT",
                                        "/diff-lib/-rev/" + doc.path("_rev").asText(),
                                        "ava",
                                        doc,
                                        false)
                                .status())
                .isEqualTo(200);
        Http.Result policy =
                m.send(
                        "PUT",
                        "/-/package/diff-lib/governance",
                        "ava",
                        Map.of("framework", "two-person"),
                        true);
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);
        Http.Result stage =
                m.send(
                        "PUT",
                        "/diff-lib",
                        "ava",
                        publishBody(
                                "1.1.0",
                                Tarballs.Entry.file("package/lib/util.js", UTIL_2),
                                Tarballs.Entry.file("package/lib/<i>new.js", "let x = 1;\n"),
                                Tarballs.Entry.file(
                                        "package/logo.png",
                                        new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3})),
                        false);
        assertThat(stage.status()).as(stage.body()).isEqualTo(200);
        return stage.json().path("stageId").asText();
    }

    static void signIn(Page page, String user) throws Exception {
        page.navigate(server.url() + "/-/web/signin");
        page.fill("#username", user);
        page.fill("#password", TestServer.password(user));
        page.fill("#otp", m.otp(user));
        page.click("button[type=submit]");
        page.waitForURL(server.url() + "/-/web/account");
    }

    static void shots(Page page, String name) {
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            page.setViewportSize(size[0], size[1]);
            page.screenshot(
                    new Page.ScreenshotOptions()
                            .setPath(
                                    SHOTS.resolve(
                                            name
                                                    + (size[0] > 1000 ? "-desktop" : "-phone")
                                                    + ".png"))
                            .setFullPage(true));
        }
        page.setViewportSize(1280, 800);
    }

    static boolean live(String version) throws Exception {
        return http.get("/diff-lib").json().path("versions").has(version);
    }

    @Test
    void aMaintainerReadsTheDiffAndApprovesAnotherMaintainersRelease() throws Exception {
        String id = staged();
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
            // the stager cannot approve their own release through the page
            BrowserContext avas = browser.newContext();
            Page ava = avas.newPage();
            signIn(ava, "ava");
            ava.navigate(server.url() + "/-/web/approvals/stage/" + id);
            ava.fill("#decide-otp", m.otp("ava"));
            ava.click("#approve");
            assertThat(ava.textContent("p.error"))
                    .contains("you staged diff-lib@1.1.0: its policy needs approval from 1 other");
            assertThat(live("1.1.0")).isFalse();
            avas.close();

            BrowserContext bos = browser.newContext();
            Page page = bos.newPage();
            signIn(page, "bo");
            page.navigate(server.url() + "/-/web/approvals");
            assertThat(page.textContent("h1")).isEqualTo("Approvals");
            assertThat(page.textContent(".queue-stage"))
                    .contains("diff-lib@1.1.0")
                    .contains("staged by ava")
                    .contains("0 of 1 approvals");
            shots(page, "approvals-queue");

            page.click(".queue-stage a");
            page.waitForURL(server.url() + "/-/web/approvals/stage/" + id);
            assertThat(page.textContent("h1")).isEqualTo("diff-lib@1.1.0");
            assertThat(page.textContent("#diff")).contains("Diff against 1.0.0");
            assertThat(page.textContent("#diff-counts"))
                    .contains("2 added")
                    .contains("1 removed")
                    .contains("2 changed");
            String tree = page.textContent("#file-tree");
            assertThat(tree)
                    .contains("lib/util.js")
                    .contains("lib/<i>new.js")
                    .contains("OLD.md")
                    .contains("logo.png");
            // the file name is text, not markup
            assertThat(page.locator("#file-tree i").count()).isZero();
            page.click("#file-tree a:has-text('lib/util.js')");
            String anchor = page.url().substring(page.url().indexOf('#') + 1);
            var file = page.locator("section#" + anchor);
            assertThat(file.locator("h3").textContent()).contains("lib/util.js");
            assertThat(file.locator("tr.add td.sign").first().textContent()).isEqualTo("+");
            assertThat(file.locator("tr.del td.sign").first().textContent()).isEqualTo("-");
            assertThat(file.locator("tr.add").allTextContents())
                    .anySatisfy(t -> assertThat(t).contains("const limit = 20;"));
            assertThat(file.locator("tr.del").allTextContents())
                    .anySatisfy(t -> assertThat(t).contains("const limit = 10;"));
            assertThat(file.locator("tr.add .tok-kw").count()).isPositive();
            assertThat(file.locator(".tok-com").count()).isPositive();
            assertThat(page.textContent("#file-tree")).contains("logo.png");
            assertThat(page.locator("section.diff-file:has-text('logo.png') table").count())
                    .isZero();
            shots(page, "approvals-stage");

            page.fill("#decide-otp", m.otp("bo"));
            page.click("#approve");
            page.waitForURL(server.url() + "/-/web/approvals/stage/" + id + "?done=approve");
            assertThat(page.textContent("#decided"))
                    .contains("Your approval is recorded")
                    .contains("published");
            assertThat(live("1.1.0")).isTrue();

            page.navigate(server.url() + "/-/web/approvals");
            assertThat(page.textContent("#queue-empty"))
                    .contains("Nothing waits for your approval");
        }
    }
}
