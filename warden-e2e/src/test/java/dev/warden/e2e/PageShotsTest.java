package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

/**
 * PageShots passes a page that is right and names each thing wrong with one that is not. The pages
 * are answered by the browser's own routing under a {@code .invalid} host: no server, no network.
 */
class PageShotsTest {

    private static final String CSP =
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'";

    private static final String SVG =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"></svg>";

    static Playwright pw;
    static Browser browser;

    @BeforeAll
    static void start() {
        pw = Chromium.playwright();
        browser = Chromium.launch(pw);
    }

    @AfterAll
    static void stop() {
        browser.close();
        pw.close();
    }

    private static Page serving(Map<String, String> files) {
        Page page = browser.newContext().newPage();
        page.route(
                "http://shots.invalid/**",
                route -> {
                    String path = route.request().url().substring("http://shots.invalid".length());
                    String body = files.get(path);
                    if (body == null) {
                        route.fulfill(new Route.FulfillOptions().setStatus(404).setBody(""));
                        return;
                    }
                    route.fulfill(
                            new Route.FulfillOptions()
                                    .setStatus(path.equals("/gone") ? 404 : 200)
                                    .setContentType(
                                            path.endsWith(".js")
                                                    ? "text/javascript"
                                                    : path.endsWith(".svg")
                                                            ? "image/svg+xml"
                                                            : "text/html; charset=utf-8")
                                    .setHeaders(Map.of("Content-Security-Policy", CSP))
                                    .setBody(body));
                });
        return page;
    }

    @Test
    void aRightPagePassesAndIsPhotographedAtBothWidths() throws Exception {
        String good =
                """
                <!doctype html><html lang="en"><head><title>t</title></head><body>
                <h1>Title</h1><h2>Part</h2><h3>Detail</h3>
                <form><label for="q">Search</label><input id="q" name="q">
                <label>Wrapped <input name="w"></label><input aria-label="Named" name="n">
                <input type="hidden" name="csrf" value="x"><button>Go</button></form>
                <div class="readme"><h1>An author's h1</h1><h4>An author's heading may skip levels</h4></div>
                <a href="/x">A link</a> <img src="/i.svg" alt="">
                </body></html>
                """;
        Page page = serving(Map.of("/good", good, "/gone", good, "/i.svg", SVG));
        PageShots shots = PageShots.watch(page);
        page.navigate("http://shots.invalid/good");
        shots.check("pageshots-good");
        // a 4xx page is checked like any other: its status is the test's business
        page.navigate("http://shots.invalid/gone");
        shots.check("pageshots-gone");
        assertThat(PageShots.DIR.resolve("pageshots-good-desktop.png")).exists();
        assertThat(Files.size(PageShots.DIR.resolve("pageshots-good-phone.png"))).isPositive();
        page.context().close();
    }

    @Test
    void aWrongPageFailsWithEveryProblemNamed() {
        String bad =
                """
                <!doctype html><html><head><title>t</title><script src="/boom.js"></script></head>
                <body><h1>One</h1><h1>Two</h1><h4>Skipped</h4>
                <script>window.inline = 1;</script>
                <form><input name="nameless"><select name="s"></select><button></button></form>
                <img src="/i.png"><a href="/x"></a>
                <pre>%s</pre>
                </body></html>
                """
                        .formatted("x".repeat(400));
        Page page =
                serving(Map.of("/bad", bad, "/boom.js", "throw new Error('boom from the page');"));
        PageShots shots = PageShots.watch(page);
        page.navigate("http://shots.invalid/bad");
        assertThatThrownBy(() -> shots.check("pageshots-bad"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the html element has no lang")
                .hasMessageContaining("the page has 2 h1 elements, not exactly one")
                .hasMessageContaining("heading h4 follows h1")
                .hasMessageContaining("form field without a label: <input name=\"nameless\"")
                .hasMessageContaining("form field without a label: <select name=\"s\">")
                .hasMessageContaining("image without alt: <img src=\"/i.png\">")
                .hasMessageContaining("link without text: <a href=\"/x\">")
                .hasMessageContaining("button without text: <button></button>")
                .hasMessageContaining("CSP violation: script-src-elem blocked inline")
                .hasMessageContaining("uncaught error: Error: boom from the page")
                .hasMessageContaining("scrolls sideways by")
                .hasMessageContaining("at 360 px wide");
        page.context().close();
    }
}
