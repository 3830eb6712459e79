package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * warden-web's XSS corpus of READMEs ({@code warden-web/src/test/resources/xss/*.md}), each
 * published as a package's README and opened on its package page in chromium: nothing of it may
 * run. A case fails on a dialog (the payloads call alert), the marker {@code window.__xss}, a
 * request to a host other than the registry (only an image the README itself names may be fetched
 * elsewhere, as the CSP's {@code img-src https:} allows README images), the page leaving its URL (a
 * meta refresh), or, in the README's container, an element that can run or load anything, an {@code
 * on*} attribute or a {@code javascript:}, {@code vbscript:} or {@code data:} URL. The corpus runs
 * twice: under the pages' CSP, and with the CSP bypassed, so the sanitiser alone is shown to stop
 * it. READMEs of hostile shape (megabytes of text, a 2,000-column table, 10,000-deep nesting)
 * render too, within a bounded page.
 */
class XssReadmeBrowserTest {

    private static final Path CORPUS =
            Path.of("..", "warden-web", "src", "test", "resources", "xss");

    /** What must not be in a README once sanitised: one problem per line. */
    private static final String README_PROBLEMS =
            """
            () => {
              const problems = [];
              // a README the sanitiser emptied is shown as none: its section is checked then
              const root = document.querySelector('#readme .markdown') || document.querySelector('#readme');
              if (!root) return ['no README section (#readme) on the page'];
              const banned = 'script, iframe, frame, frameset, object, embed, applet, base, meta, link,'
                + ' style, form, input, button, textarea, select, svg, math, template, portal';
              for (const el of root.querySelectorAll(banned)) {
                problems.push('element <' + el.tagName.toLowerCase() + '> in the README');
              }
              const url = /^[\\u0000-\\u0020]*(javascript|vbscript|data):/i;
              for (const el of [root, ...root.querySelectorAll('*')]) {
                for (const a of el.attributes) {
                  const name = a.name.toLowerCase();
                  if (name.startsWith('on')) {
                    problems.push('attribute ' + name + ' on <' + el.tagName.toLowerCase() + '>');
                  }
                  const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '');
                  if (url.test(value) || (name === 'srcset' && /(javascript|vbscript|data):/i.test(value))) {
                    problems.push('URL ' + a.value.slice(0, 60) + ' in ' + name + ' of <'
                      + el.tagName.toLowerCase() + '>');
                  }
                }
              }
              if (window.__xss !== undefined) problems.push('window.__xss was set');
              return problems;
            }
            """;

    static TestServer server;
    static String base;
    static Http http;
    static String token;

    /** Package name by case name. */
    static final Map<String, String> CASES = new TreeMap<>();

    @BeforeAll
    static void publishTheCorpus() throws Exception {
        server = TestServer.start();
        base = server.url();
        http = server.http();
        token = server.token("xavier");
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".md", "");
                CASES.put(name, publish("xss-" + name, Files.readString(f)));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Publishes {@code name} 1.0.0 with {@code readme} as the tarball's README.md. */
    static String publish(String name, String readme) throws Exception {
        ObjectNode m = Tarballs.manifest(name, "1.0.0");
        byte[] tgz =
                Tarballs.packageTgz(
                        m,
                        Tarballs.Entry.file(
                                "package/README.md", readme.getBytes(StandardCharsets.UTF_8)));
        Http.Result r = http.put("/" + name, token, Tarballs.publishBody(m, tgz));
        assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(200);
        return name;
    }

    @Test
    void theCorpusRunsNothingUnderTheCsp() throws Exception {
        assertThat(CASES).as("the corpus is there").hasSizeGreaterThan(50);
        assertThat(run(false)).isEmpty();
    }

    @Test
    void theSanitiserAloneStopsTheCorpus() throws Exception {
        assertThat(run(true)).isEmpty();
    }

    /** Opens every case's package page; the problems found, one line each. */
    private List<String> run(boolean bypassCsp) throws Exception {
        List<String> problems = new ArrayList<>();
        try (Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw)) {
            for (var c : CASES.entrySet()) {
                String readme = Files.readString(CORPUS.resolve(c.getKey() + ".md"));
                for (String p : open(browser, bypassCsp, c.getValue(), readme)) {
                    problems.add(c.getKey() + (bypassCsp ? " (CSP bypassed): " : ": ") + p);
                }
            }
        }
        return problems;
    }

    /** Opens {@code pkg}'s page in a fresh context; what went wrong there. */
    private static List<String> open(
            Browser browser, boolean bypassCsp, String pkg, String readme) {
        List<String> problems = new ArrayList<>();
        try (BrowserContext ctx =
                browser.newContext(new Browser.NewContextOptions().setBypassCSP(bypassCsp))) {
            ctx.route(
                    "**/*",
                    route -> {
                        String url = route.request().url();
                        if (url.startsWith(base + "/")) {
                            route.resume();
                            return;
                        }
                        boolean namedImage =
                                route.request().resourceType().equals("image")
                                        && readme.contains(url.replaceFirst("^https?:", ""));
                        if (!namedImage) {
                            problems.add(
                                    "request to another host: "
                                            + route.request().resourceType()
                                            + " "
                                            + url);
                        }
                        route.abort();
                    });
            Page page = ctx.newPage();
            page.onDialog(
                    d -> {
                        problems.add("dialog " + d.type() + ": " + d.message());
                        d.dismiss();
                    });
            String url = base + "/-/web/package/" + pkg;
            Response response = page.navigate(url);
            if (response == null || response.status() != 200) {
                problems.add("page answered " + (response == null ? "nothing" : response.status()));
                return problems;
            }
            // what runs on focus or after the load has its turn
            page.keyboard().press("Tab");
            page.waitForTimeout(100);
            if (!page.url().equals(url)) {
                problems.add("the page went to " + page.url());
                return problems;
            }
            for (Object p : (List<?>) page.evaluate(README_PROBLEMS)) {
                problems.add(String.valueOf(p));
            }
        }
        return problems;
    }

    @Test
    void theChecksSeeWhatAnUnsanitisedReadmeWouldDo() {
        List<String> dialogs = new ArrayList<>();
        try (Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw);
                BrowserContext ctx = browser.newContext()) {
            Page page = ctx.newPage();
            page.onDialog(
                    d -> {
                        dialogs.add(d.message());
                        d.dismiss();
                    });
            page.setContent(
                    "<section id=\"readme\"><div class=\"markdown\"><img src=\"x\""
                            + " onerror=\"window.__xss=1;alert('ran')\" alt=\"\"><a href=\" java"
                            + "script:alert(1)\">x</a><iframe></iframe></div></section>");
            page.waitForFunction("() => window.__xss === 1");
            assertThat(dialogs).containsExactly("ran");
            assertThat((List<?>) page.evaluate(README_PROBLEMS))
                    .map(String::valueOf)
                    .contains(
                            "element <iframe> in the README",
                            "attribute onerror on <img>",
                            "URL  javascript:alert(1) in href of <a>",
                            "window.__xss was set");
        }
    }

    @Test
    void readmesOfHostileShapeRenderWithinABoundedPage() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 4 << 20; i++) {
            text.append("Paragraph ").append(i).append(": some *emphasis* and `code`.\n\n");
        }
        StringBuilder table = new StringBuilder("|");
        for (int i = 0; i < 2000; i++) {
            table.append(" c").append(i).append(" |");
        }
        table.append("\n|").append(" --- |".repeat(2000)).append("\n");
        for (int row = 0; row < 20; row++) {
            table.append("|").append(" x |".repeat(2000)).append("\n");
        }
        Map<String, String> shapes =
                Map.of(
                        "xss-shape-megabytes", text.toString(),
                        "xss-shape-wide-table", table.toString(),
                        "xss-shape-deep-quotes", "> ".repeat(10_000) + "deep\n",
                        "xss-shape-deep-lists", "- ".repeat(10_000) + "deep\n",
                        "xss-shape-deep-html",
                                "<div>".repeat(10_000) + "deep" + "</div>".repeat(10_000) + "\n",
                        "xss-shape-deep-links", "[".repeat(10_000) + "x" + "](y)".repeat(10_000));
        for (var s : shapes.entrySet()) {
            publish(s.getKey(), s.getValue());
            Http.Result page = http.get("/-/web/package/" + s.getKey());
            assertThat(page.status()).as(s.getKey()).isEqualTo(200);
            assertThat(page.body()).as(s.getKey()).contains("id=\"readme\"");
            assertThat(page.bytes().length).as(s.getKey() + ": page size").isLessThan(3 << 20);
        }
        try (Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw)) {
            for (var s : new TreeMap<>(shapes).entrySet()) {
                List<String> problems = open(browser, false, s.getKey(), s.getValue());
                assertThat(problems).as(s.getKey()).isEmpty();
            }
        }
    }
}
