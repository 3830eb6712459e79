package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.ViewportSize;

import dev.warden.log.KeyFiles;
import dev.warden.log.NoteKey;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The log explorer in Debian's chromium: an entry opened by package version is verified by
 * logproof.js (Web Crypto: the leaf hash, the inclusion proof, the checkpoint's Ed25519 signature),
 * and so is consistency between two sizes and from a pasted checkpoint; a tampered entry or proof
 * is reported as not verified, with the reason; without JavaScript the server's verdict stands
 * alone. Screenshots at desktop and phone widths go to {@code target/screenshots/}.
 */
class LogPagesBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots").toAbsolutePath();
    static final String VERIFIED = "Verified in this browser";

    static TestServer server;
    static String base;
    static String firstCheckpoint;
    static Path keyDir;
    static final String ORIGIN = "log-pages.test/-/log";

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // localhost is a secure context, where crypto.subtle exists
        base = "http://localhost:" + port;
        // a log key whose base64 holds a '+', the separator of a verifier key's fields, so the
        // script's reading of the key is put to the test every time
        NoteKey.Signer logKey;
        do {
            logKey = NoteKey.generate(ORIGIN, NoteKey.ED25519);
        } while (!logKey.verifier().vkey().split("\\+", 3)[2].contains("+"));
        keyDir = Files.createTempDirectory("warden-log-pages-");
        Path keyFile = keyDir.resolve("log.key");
        KeyFiles.write(keyFile, (logKey.encode() + "\n").getBytes(StandardCharsets.UTF_8), true);
        server =
                TestServer.start(
                        Map.of(
                                "server.port",
                                Integer.toString(port),
                                "server.public_url",
                                base,
                                "tlog.origin",
                                ORIGIN,
                                "tlog.key_file",
                                keyFile.toString()));
        String token = server.token("lou");
        for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
            assertThat(
                            server.http()
                                    .put("/log-web", token, Tarballs.publishBody("log-web", v))
                                    .status())
                    .isEqualTo(200);
            if (firstCheckpoint == null) {
                firstCheckpoint = server.http().get("/-/log/checkpoint").body();
            }
        }
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        try (var files = Files.walk(keyDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Browser launch(Playwright pw) {
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

    static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions()
                        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Waits until logproof.js has written a verdict, and returns it. */
    static String browserVerdict(Page page) {
        page.waitForFunction(
                "() => /^(Verified|Not verified|This browser cannot)/"
                        + ".test(document.getElementById('browser-verdict').textContent)");
        return page.textContent("#browser-verdict");
    }

    /** The page at desktop width and at phone width, which must not scroll sideways. */
    static void shots(Browser browser, String path, String name) {
        for (var size :
                Map.of("desktop", new ViewportSize(1280, 800), "phone", new ViewportSize(390, 844))
                        .entrySet()) {
            try (BrowserContext ctx =
                    browser.newContext(
                            new Browser.NewContextOptions().setViewportSize(size.getValue()))) {
                Page page = ctx.newPage();
                page.navigate(base + path);
                if (page.locator("#browser-check").count() > 0) {
                    browserVerdict(page);
                }
                assertThat(
                                (Boolean)
                                        page.evaluate(
                                                "() => document.documentElement.scrollWidth"
                                                        + " <= window.innerWidth"))
                        .as("%s at %s width scrolls sideways", path, size.getKey())
                        .isTrue();
                page.screenshot(
                        new Page.ScreenshotOptions()
                                .setPath(
                                        SHOTS.resolve("log-" + name + "-" + size.getKey() + ".png"))
                                .setFullPage(true));
            }
        }
    }

    @Test
    void anEntryAndConsistencyAreVerifiedInTheBrowserAndTamperingIsCaught() throws Exception {
        long index =
                server.http()
                        .get("/log-web")
                        .json()
                        .path("versions")
                        .path("1.1.0")
                        .path("_log")
                        .path("index")
                        .asLong(-1);
        long size = server.http().get("/-/log").json().path("size").asLong();
        try (Playwright pw = playwright();
                Browser browser = launch(pw)) {
            BrowserContext ctx = browser.newContext();
            Page page = ctx.newPage();
            List<String> errors = new ArrayList<>();
            page.onConsoleMessage(
                    m -> {
                        if (m.type().equals("error")) {
                            errors.add(m.text());
                        }
                    });
            page.onPageError(errors::add);
            List<String> failed = new ArrayList<>();
            page.onResponse(
                    r -> {
                        if (r.status() >= 400) {
                            failed.add(r.status() + " " + r.url());
                        }
                    });

            page.navigate(base + "/-/web/log");
            assertThat(page.textContent("#checkpoint-size")).isEqualTo(Long.toString(size));
            assertThat(page.textContent("li[data-role=log]")).contains("verified by the server");
            page.fill("#open-spec", "log-web@1.1.0");
            page.press("#open-spec", "Enter");
            page.waitForURL(base + "/-/web/log/entry/" + index);
            assertThat(browserVerdict(page))
                    .startsWith(
                            VERIFIED
                                    + ": entry "
                                    + index
                                    + " is in the tree of "
                                    + size
                                    + " entries");
            assertThat(page.textContent("#browser-signature"))
                    .isEqualTo(
                            "The signature of the latest checkpoint was verified in this browser"
                                    + " (Ed25519).");
            assertThat(page.getAttribute("#package-link", "href"))
                    .isEqualTo("/-/web/package/log-web/v/1.1.0");

            // another entry's bytes in the page: the leaf hash no longer leads to the root
            page.evaluate(
                    "() => document.getElementById('browser-check').dataset.entry ="
                            + " btoa('a forged entry')");
            page.click("#verify-button");
            page.waitForFunction(
                    "() => document.getElementById('browser-verdict').textContent"
                            + ".startsWith('Not verified')");
            assertThat(page.textContent("#browser-verdict"))
                    .startsWith("Not verified in this browser: the proof leads to the root ")
                    .contains(", but the checkpoint's root is ");
            assertThat(page.getAttribute("#browser-verdict", "class")).contains("error");

            // a proof served with one hash changed
            page.route(
                    "**/-/log/proof/inclusion*",
                    route -> {
                        var real = route.fetch();
                        String body = real.text();
                        String first = body.replaceAll("(?s).*\"hashes\":\\[\"([^\"]+)\".*", "$1");
                        String changed = (first.charAt(0) == 'A' ? "B" : "A") + first.substring(1);
                        route.fulfill(
                                new Route.FulfillOptions()
                                        .setResponse(real)
                                        .setBody(body.replace(first, changed)));
                    });
            page.reload();
            assertThat(browserVerdict(page))
                    .startsWith("Not verified in this browser: the proof leads to the root ");
            page.unrouteAll();

            // consistency between two sizes
            page.navigate(base + "/-/web/log/consistency?from=1&to=" + size);
            assertThat(browserVerdict(page))
                    .startsWith(
                            VERIFIED
                                    + ": the tree of "
                                    + size
                                    + " entries extends the tree of 1 entries (");
            page.navigate(base + "/-/web/log/consistency?from=1&to=2");
            assertThat(browserVerdict(page))
                    .startsWith(VERIFIED + ": the tree of 2 entries extends the tree of 1 entries")
                    .contains("the root at 2 entries is the server's");

            // a checkpoint kept from before, pasted
            page.navigate(base + "/-/web/log/consistency");
            page.fill("#pasted", firstCheckpoint);
            page.click("form[method=post] button[type=submit]");
            page.waitForURL(base + "/-/web/log/consistency");
            assertThat(browserVerdict(page))
                    .startsWith(
                            VERIFIED + ": the tree of " + size + " entries extends the tree of 1")
                    .contains("the pasted checkpoint's signature verified");
            assertThat(page.textContent("#server-verdict"))
                    .startsWith("Checked by the server: The tree of " + size);

            page.route(
                    "**/-/log/proof/consistency*",
                    route ->
                            route.fulfill(
                                    new Route.FulfillOptions()
                                            .setStatus(200)
                                            .setContentType("application/json")
                                            .setBody(
                                                    "{\"from\":1,\"to\":"
                                                            + size
                                                            + ",\"hashes\":[\""
                                                            + "A".repeat(43)
                                                            + "=\",\""
                                                            + "A".repeat(43)
                                                            + "=\"]}")));
            page.navigate(base + "/-/web/log/consistency?from=1");
            assertThat(browserVerdict(page))
                    .startsWith("Not verified in this browser: the proof does not link the root ");
            page.unrouteAll();
            // the browser's own request for /favicon.ico is not the pages' doing
            failed.removeIf(f -> f.endsWith("/favicon.ico"));
            errors.removeIf(e -> e.startsWith("Failed to load resource") && failed.isEmpty());
            assertThat(failed).as("failed requests").isEmpty();
            assertThat(errors).as("console errors and CSP violations").isEmpty();
            ctx.close();

            shots(browser, "/-/web/log", "home");
            shots(browser, "/-/web/log/entry/" + index, "entry");
            shots(browser, "/-/web/log/consistency?from=1", "consistency");
        }
    }

    @Test
    void withoutJavaScriptOrWebCryptoThePageSaysWhatWasCheckedWhere() throws Exception {
        try (Playwright pw = playwright();
                Browser browser = launch(pw)) {
            try (BrowserContext noJs =
                    browser.newContext(
                            new Browser.NewContextOptions().setJavaScriptEnabled(false))) {
                Page page = noJs.newPage();
                page.navigate(base + "/-/web/log/entry/0");
                assertThat(page.textContent("#server-verdict"))
                        .startsWith("Checked by the server: Entry 0 is in the tree of");
                assertThat(page.textContent("#browser-verdict"))
                        .startsWith(
                                "This browser has not checked the proof: that needs JavaScript.");
                assertThat(page.isVisible("#verify-button")).isFalse();
            }
            try (BrowserContext noSubtle = browser.newContext()) {
                // as in a page served over plain http from another host: no crypto.subtle
                noSubtle.addInitScript(
                        "Object.defineProperty(Crypto.prototype, 'subtle', {get: () =>"
                                + " undefined})");
                Page page = noSubtle.newPage();
                page.navigate(base + "/-/web/log/entry/0");
                assertThat(browserVerdict(page))
                        .startsWith(
                                "This browser cannot check the proof: crypto.subtle is missing");
            }
            try (BrowserContext noEd25519 = browser.newContext()) {
                // a browser whose Web Crypto has SHA-256 but not Ed25519
                noEd25519.addInitScript(
                        "const importKey = SubtleCrypto.prototype.importKey;"
                                + " SubtleCrypto.prototype.importKey = function (f, k, a, ...r) {"
                                + " if ((a.name || a) === 'Ed25519') return Promise.reject("
                                + "new DOMException('not supported', 'NotSupportedError'));"
                                + " return importKey.call(this, f, k, a, ...r); }");
                Page page = noEd25519.newPage();
                page.navigate(base + "/-/web/log/entry/1");
                assertThat(browserVerdict(page)).startsWith(VERIFIED + ": entry 1 ");
                assertThat(page.textContent("#browser-signature"))
                        .isEqualTo(
                                "This browser has no Ed25519 in Web Crypto: the signature of the"
                                        + " latest checkpoint was checked by the server only.");
            }
        }
    }
}
