package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.warden.provenance.testing.TestSigstore;
import dev.warden.provenance.testing.TestSigstore.Build;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A person's path across the surfaces, through the shell every page shares: the header's search
 * (from the keyboard, after the skip link), a package's README, a version's provenance, its
 * transparency-log entry with the inclusion proof checked; then the sign-in and account pages.
 * Every page passes {@link PageShots} (screenshots and the checks every page must pass).
 */
class WebPathsBrowserTest {

    static final TestSigstore SIGSTORE = new TestSigstore("ci");

    @TempDir static Path dir;
    static TestServer server;
    static String base;
    static Build build = Build.github("octo-org/paths-lib");

    @BeforeAll
    static void start() throws Exception {
        Path root = dir.resolve("trusted_root.json");
        Files.writeString(root, SIGSTORE.trustedRoot());
        server =
                TestServer.startAtLocalhost(
                        Map.of(
                                "provenance.trusted_roots",
                                new com.fasterxml.jackson.databind.ObjectMapper()
                                        .writeValueAsString(List.of(root.toString()))),
                        java.time.Clock.systemUTC());
        base = server.url();
        Http http = server.http();
        String token = server.token("pia");
        ObjectNode m = Tarballs.manifest("paths-lib", "1.0.0");
        m.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/octo-org/paths-lib.git");
        byte[] tgz =
                Tarballs.packageTgz(
                        m,
                        Tarballs.Entry.file(
                                "package/README.md",
                                "# paths-lib\n\nFinds the *shortest* path.\n\n## Usage\n\n"
                                        + "```js\nrequire('paths-lib')(graph);\n```\n"));
        ObjectNode body = Tarballs.publishBody(m, tgz);
        String bundle = SIGSTORE.provenance("paths-lib", "1.0.0", tgz, build).toString();
        ObjectNode att =
                body.withObjectProperty("_attachments").putObject("paths-lib-1.0.0.sigstore");
        att.put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json");
        att.put("data", bundle);
        att.put("length", bundle.length());
        Http.Result r = http.put("/paths-lib", token, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void fromTheHeadersSearchToAVersionsLogProofThenTheAccount() {
        try (Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw)) {
            Page page = browser.newContext().newPage();
            PageShots shots = PageShots.watch(page);

            page.navigate(base + "/");
            shots.check("paths-home");
            // the skip link is the first stop of the keyboard, then the registry's name
            page.keyboard().press("Tab");
            assertThat(page.evaluate("document.activeElement.textContent"))
                    .isEqualTo("Skip to content");
            page.focus("#site-search-q");
            page.keyboard().type("paths");
            page.keyboard().press("Enter");
            page.waitForURL("**/-/web/search?q=paths");
            shots.check("paths-search");

            page.click("a >> text=paths-lib");
            page.waitForURL("**/-/web/package/paths-lib");
            assertThat(page.textContent("#readme")).contains("Finds the shortest path.");
            shots.check("paths-package");

            page.click("#versions a >> text=1.0.0");
            page.waitForURL("**/-/web/package/paths-lib/v/1.0.0");
            assertThat(page.textContent("#provenance"))
                    .contains("built from https://github.com/octo-org/paths-lib");
            assertThat(page.textContent("#provenance-commit")).isEqualTo(build.commit());
            shots.check("paths-version");

            page.click("#log-proof");
            page.waitForURL("**/-/web/log/entry/*");
            assertThat(page.getAttribute("#server-verdict", "class")).contains("ok");
            shots.check("paths-log-entry");

            page.navigate(base + "/-/web/signin");
            shots.check("paths-signin");
            page.fill("#username", "pia");
            page.fill("#password", TestServer.password("pia"));
            page.click("button[type=submit]");
            page.waitForURL(base + "/-/web/account");
            shots.check("paths-account");

            page.navigate(base + "/-/web/signup");
            shots.check("paths-signup");
        }
    }
}
