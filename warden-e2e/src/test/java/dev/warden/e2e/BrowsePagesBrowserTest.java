package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.provenance.testing.TestSigstore;
import dev.warden.provenance.testing.TestSigstore.Build;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.Tarballs.Entry;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * A person finds a package in Debian's chromium: home page, search box, a result, the package page
 * with its README (a table, a code block and an image from the release), the version list, a
 * version page and its provenance panel with the link to its log entry; the copy button puts the
 * install command on the clipboard. Each page passes {@link PageShots}' checks, which save its
 * screenshots at desktop and phone widths to {@code target/screenshots/}.
 */
class BrowsePagesBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TestSigstore SIGSTORE = new TestSigstore("ci");

    static final String README =
            """
            # browse-demo

            A small library to show how a package page reads.

            | Option | Default | Meaning |
            | ------ | ------- | ------- |
            | `depth` | `3` | how deep to look |
            | `quiet` | `false` | print nothing |

            ```js
            const demo = require('browse-demo');
            demo.run({ depth: 2 });
            ```

            ![The demo's logo](docs/logo.png)
            """;

    @TempDir static Path dir;
    static TestServer server;
    static String base;
    static Build build;
    static long logIndex;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // the clipboard needs a secure context: localhost is one
        base = "http://localhost:" + port;
        Path root = dir.resolve("trusted_root.json");
        Files.writeString(root, SIGSTORE.trustedRoot());
        server =
                TestServer.start(
                        Map.of(
                                "server.port",
                                Integer.toString(port),
                                "server.public_url",
                                base,
                                "provenance.trusted_roots",
                                JSON.writeValueAsString(List.of(root.toString()))));
        String token = server.token("bella");
        Http http = server.http();

        build = Build.github("octo-org/browse-demo");
        // both with provenance: a release without it after one with it would wait for approval
        publish(http, token, manifest("1.0.0"));
        logIndex =
                http.get("/browse-demo")
                        .json()
                        .path("versions")
                        .path("1.0.0")
                        .path("_log")
                        .path("index")
                        .asLong(-1);
        ObjectNode second = manifest("1.1.0");
        second.putObject("dependencies").put("browse-helper", "^1.0.0");
        publish(http, token, second);
        Http.Result r;
        ObjectNode helper = Tarballs.manifest("browse-helper", "1.0.0");
        helper.put("description", "helps browse-demo");
        r =
                http.put(
                        "/browse-helper",
                        token,
                        Tarballs.publishBody(helper, Tarballs.packageTgz(helper)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Publishes a release of browse-demo with its README, its logo and its provenance. */
    static void publish(Http http, String token, ObjectNode manifest) throws Exception {
        String version = manifest.path("version").asText();
        byte[] tgz =
                Tarballs.packageTgz(
                        manifest, readme(), Entry.file("package/docs/logo.png", logo()));
        ObjectNode body = Tarballs.publishBody(manifest, tgz);
        String bundle = SIGSTORE.provenance("browse-demo", version, tgz, build).toString();
        ObjectNode att =
                body.withObjectProperty("_attachments")
                        .putObject("browse-demo-" + version + ".sigstore");
        att.put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json");
        att.put("data", bundle);
        att.put("length", bundle.length());
        Http.Result r = http.put("/browse-demo", token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(http.get("/browse-demo").json().path("versions").has(version))
                .as(version + " is live")
                .isTrue();
    }

    static ObjectNode manifest(String version) {
        ObjectNode m = Tarballs.manifest("browse-demo", version);
        m.put("description", "A small library to show how a package page reads");
        m.put("license", "MIT");
        m.putArray("keywords").add("demo").add("browse");
        m.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/octo-org/browse-demo.git");
        return m;
    }

    static Entry readme() {
        return Entry.file("package/README.md", README);
    }

    /** A small PNG made here, so the README's image is a real one. */
    static byte[] logo() throws Exception {
        BufferedImage image = new BufferedImage(160, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x1f, 0x4e, 0x79));
        g.fillRect(0, 0, 160, 48);
        g.setColor(Color.WHITE);
        g.fillOval(12, 10, 28, 28);
        g.fillRect(52, 20, 96, 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aPersonFindsAPackageReadsItAndChecksAVersionsProvenance() throws Exception {
        assertThat(logIndex).isNotNegative();
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
            ctx.grantPermissions(List.of("clipboard-read", "clipboard-write"));
            Page page = ctx.newPage();
            PageShots shots = PageShots.watch(page);

            page.navigate(base + "/");
            assertThat(page.textContent("h1")).isEqualTo("Warden registry");
            assertThat(page.locator("#recent a").allTextContents())
                    .contains("browse-demo", "browse-helper");
            shots.check("browse-home");

            // the search box, from the keyboard
            page.focus("#search-q");
            page.keyboard().type("browse");
            page.keyboard().press("Enter");
            page.waitForURL("**/-/web/search?q=browse");
            assertThat(page.inputValue("#search-q")).isEqualTo("browse");
            assertThat(page.locator("#results > li > a").allTextContents())
                    .containsExactly("browse-demo", "browse-helper");
            shots.check("browse-search");

            page.click("#results > li > a >> text=browse-demo");
            page.waitForURL("**/-/web/package/browse-demo");
            assertThat(page.textContent("h1")).isEqualTo("browse-demo");
            assertThat(page.textContent("#readme")).contains("how deep to look");
            assertThat(page.locator("#readme table td").first().textContent()).isEqualTo("depth");
            assertThat(page.textContent("#readme pre code")).contains("demo.run({ depth: 2 });");
            assertThat(page.getAttribute("#readme img", "src"))
                    .isEqualTo(base + "/-/web/package/browse-demo/v/1.1.0/files/docs/logo.png");
            assertThat(
                            ((Number)
                                            page.evaluate(
                                                    "() => document.querySelector('#readme img')"
                                                            + ".naturalWidth"))
                                    .intValue())
                    .as("the image loaded from the release")
                    .isEqualTo(160);
            assertThat(page.textContent("#install")).isEqualTo("npm install browse-demo");
            assertThat(page.locator("#versions a").allTextContents())
                    .containsExactly("1.1.0", "1.0.0");
            assertThat(page.locator("#dependencies a").allTextContents())
                    .containsExactly("browse-helper");

            // the copy button, added by copy.js
            page.click(".install button.copy");
            page.waitForSelector(".copy-status:not(:empty)"); // the clipboard answers later
            assertThat(page.textContent(".copy-status")).isEqualTo("Copied");
            assertThat(page.evaluate("navigator.clipboard.readText()"))
                    .isEqualTo("npm install browse-demo");
            shots.check("browse-package");

            page.click("#versions a >> text=1.0.0");
            page.waitForURL("**/-/web/package/browse-demo/v/1.0.0");
            assertThat(page.textContent("#install")).isEqualTo("npm install browse-demo@1.0.0");
            assertThat(page.textContent("#provenance"))
                    .contains("1.0.0 was built from https://github.com/octo-org/browse-demo");
            assertThat(page.textContent("#provenance-commit")).isEqualTo(build.commit());
            assertThat(page.getAttribute("#log-entry", "href"))
                    .isEqualTo("/-/web/log/entry/" + logIndex);
            assertThat(page.getAttribute("#versions a[aria-current=page]", "href"))
                    .isEqualTo("/-/web/package/browse-demo/v/1.0.0");
            shots.check("browse-version");
        }
    }
}
