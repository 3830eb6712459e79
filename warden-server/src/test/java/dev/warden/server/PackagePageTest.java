package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.provenance.testing.TestSigstore;
import dev.warden.provenance.testing.TestSigstore.Build;
import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.Tarballs.Entry;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The package page and its version pages (README, install command, versions, dependencies and
 * dependents, links, size, provenance and its log entry, governance as before), and a release's
 * images: what they show, that what a publisher wrote is shown as text, and that bad input is a 4xx
 * page with the reason.
 */
class PackagePageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final TestSigstore SIGSTORE = new TestSigstore("ci");
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 1, 2, 3};

    @TempDir static Path dir;
    static final MovableClock clock = new MovableClock();
    static TestServer server;
    static Http http;
    static String olga;
    static String paul;
    static Build build;

    @BeforeAll
    static void start() throws Exception {
        Path root = dir.resolve("trusted_root.json");
        Files.writeString(root, SIGSTORE.trustedRoot());
        server =
                TestServer.start(
                        Map.of(
                                "provenance.trusted_roots",
                                JSON.writeValueAsString(List.of(root.toString()))),
                        clock);
        http = server.http();
        olga = server.token("olga");
        paul = server.token("paul");

        // a README in the manifest for 1.0.0, only in the tarball for 1.1.0
        ObjectNode first = Tarballs.manifest("readme-pkg", "1.0.0");
        first.put("readme", "Hello from the manifest of 1.0.0");
        first.put("license", "MIT");
        first.put("homepage", "https://example.invalid/home");
        first.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/octo-org/readme-pkg.git");
        publish(olga, first);
        clock.advance(Duration.ofMinutes(1));
        ObjectNode second = Tarballs.manifest("readme-pkg", "1.1.0");
        second.putObject("dependencies").put("dep-here", "^1.0.0").put("dep-elsewhere", "~2.0.0");
        publish(
                olga,
                second,
                Entry.file("package/README.md", "Hello from the tarball of 1.1.0"),
                Entry.file("package/docs/logo.png", PNG),
                Entry.file("package/docs/big.png", new byte[6 * 1024 * 1024]),
                Entry.file("package/notes.txt", "not an image"));
        publish(olga, Tarballs.manifest("dep-here", "1.0.0"));
        ObjectNode user = Tarballs.manifest("uses-readme-pkg", "1.0.0");
        user.putObject("dependencies").put("readme-pkg", "^1.0.0");
        publish(paul, user);
        ObjectNode deprecate = doc("readme-pkg");
        ((ObjectNode) deprecate.path("versions").path("1.0.0")).put("deprecated", "use 1.1.0");
        assertThat(http.put("/readme-pkg", olga, deprecate).status()).isEqualTo(200);

        ObjectNode hostile = Tarballs.manifest("hostile-pkg", "1.0.0");
        hostile.put("description", "<script>alert(1)</script>");
        hostile.put("license", "<b>MIT</b>");
        hostile.put("homepage", "javascript:alert(2)");
        hostile.putObject("dependencies").put("<img src=x>", "\"><svg onload=alert(3)>");
        publish(paul, hostile);

        ObjectNode secret = Tarballs.manifest("@olga/secret-pkg", "1.0.0");
        ObjectNode body =
                Tarballs.publishBody(
                        secret, Tarballs.packageTgz(secret, Entry.file("package/logo.png", PNG)));
        body.put("access", "restricted");
        assertThat(http.put("/@olga%2fsecret-pkg", olga, body).status()).isEqualTo(200);

        build = Build.github("octo-org/prov-page");
        ObjectNode m = Tarballs.manifest("prov-page", "1.0.0");
        m.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/octo-org/prov-page.git");
        byte[] tgz = Tarballs.packageTgz(m);
        ObjectNode provBody = Tarballs.publishBody(m, tgz);
        String bundle = SIGSTORE.provenance("prov-page", "1.0.0", tgz, build).toString();
        ObjectNode att =
                provBody.withObjectProperty("_attachments").putObject("prov-page-1.0.0.sigstore");
        att.put("content_type", "application/vnd.dev.sigstore.bundle.v0.3+json");
        att.put("data", bundle);
        att.put("length", bundle.length());
        Http.Result r = http.put("/prov-page", olga, provBody);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void publish(String token, ObjectNode manifest, Entry... files) throws Exception {
        Http.Result r =
                http.put(
                        Tarballs.path(manifest.path("name").asText()),
                        token,
                        Tarballs.publishBody(manifest, Tarballs.packageTgz(manifest, files)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static ObjectNode doc(String name) throws Exception {
        return (ObjectNode) http.get(Tarballs.path(name)).json();
    }

    static String page(String path) throws Exception {
        Http.Result r = http.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theLatestReleaseShowsItsReadmeInstallCommandLinksAndSize() throws Exception {
        String html = page("/-/web/package/readme-pkg");
        assertThat(html)
                .contains("<h1>readme-pkg</h1>")
                .contains("<p id=\"description\" class=\"lead\">test package readme-pkg</p>")
                .contains("Hello from the tarball of 1.1.0")
                .doesNotContain("Hello from the manifest")
                .contains("<code id=\"install\">npm install readme-pkg</code>")
                .contains("<script src=\"/-/web/static/copy.js\" defer></script>")
                .contains("unpacked in 6 file(s)")
                .contains(" tarball</dd>")
                // the repository of 1.1.0's manifest is none: links come from the version shown
                .doesNotContain("id=\"repository\"")
                // governance as before
                .contains("<p id=\"impact\">")
                .contains("<p id=\"policy\">")
                .contains("<ul id=\"maintainers\">")
                .contains("id=\"report-link\"");
        String old = page("/-/web/package/readme-pkg/v/1.0.0");
        assertThat(old)
                .contains("Hello from the manifest of 1.0.0")
                .contains("<code id=\"install\">npm install readme-pkg@1.0.0</code>")
                .contains("<dd id=\"license\">MIT</dd>")
                .contains(
                        "<a id=\"repository\" href=\"https://github.com/octo-org/readme-pkg\""
                                + " rel=\"nofollow noopener\">")
                .contains(
                        "<a id=\"homepage\" href=\"https://example.invalid/home\" rel=\"nofollow"
                                + " noopener\">");
    }

    @Test
    void versionsAreListedNewestFirstWithTagsAndDeprecation() throws Exception {
        String html = page("/-/web/package/readme-pkg/v/1.0.0");
        String versions = html.substring(html.indexOf("<ol id=\"versions\""));
        versions = versions.substring(0, versions.indexOf("</ol>"));
        assertThat(versions.indexOf(">1.1.0</a>")).isLessThan(versions.indexOf(">1.0.0</a>"));
        assertThat(versions)
                .contains(
                        "<a href=\"/-/web/package/readme-pkg/v/1.1.0\">1.1.0</a> <time"
                                + " datetime=")
                .contains("<span class=\"tag\">latest</span>")
                .contains(
                        "<li class=\"deprecated\"><a href=\"/-/web/package/readme-pkg/v/1.0.0\""
                                + " aria-current=\"page\">1.0.0</a>")
                .contains(
                        "<strong class=\"deprecated-mark\">deprecated</strong>: <span"
                                + " class=\"deprecation\">use 1.1.0</span>");
    }

    @Test
    void dependenciesLinkWhenHereAndDependentsAreListed() throws Exception {
        String html = page("/-/web/package/readme-pkg");
        assertThat(html)
                .contains(
                        "<li><a href=\"/-/web/package/dep-here\">dep-here</a> <code>^1.0.0</code>")
                .contains("<li>dep-elsewhere <code>~2.0.0</code>")
                .contains("1 package(s) here depend on readme-pkg:")
                .contains(
                        "<ul id=\"dependents\">\n<li><a href=\"/-/web/package/uses-readme-pkg\">");
        assertThat(page("/-/web/package/dep-here"))
                .contains("<p id=\"dependencies\" class=\"note\">None.</p>");
    }

    @Test
    void whatAPublisherWroteIsShownAsText() throws Exception {
        String html = page("/-/web/package/hostile-pkg");
        assertThat(html)
                .contains("&lt;script>alert(1)&lt;/script>")
                .contains("<dd id=\"license\">&lt;b>MIT&lt;/b></dd>")
                .contains("<li>&lt;img src=x> <code>&#34;>&lt;svg onload=alert(3)></code>")
                .doesNotContain("<script>alert")
                .doesNotContain("<svg onload")
                .doesNotContain("javascript:")
                .doesNotContain("id=\"homepage\"");
    }

    @Test
    void theProvenancePanelNamesTheBuildAndTheLogEntry() throws Exception {
        long index =
                doc("prov-page")
                        .path("versions")
                        .path("1.0.0")
                        .path("_log")
                        .path("index")
                        .asLong(-1);
        assertThat(index).isNotNegative();
        String html = page("/-/web/package/prov-page/v/1.0.0");
        assertThat(html)
                .contains("<section id=\"provenance-panel\"")
                .contains("1.0.0 was built from <a href=\"https://github.com/octo-org/prov-page\">")
                .contains("<code id=\"provenance-commit\">" + build.commit() + "</code>")
                .contains(".github/workflows/release.yml")
                .contains(
                        "<a id=\"log-entry\" href=\"/-/web/log/entry/"
                                + index
                                + "\">entry "
                                + index
                                + "</a>");
        assertThat(page("/-/web/package/dep-here"))
                .contains("<p id=\"provenance\">1.0.0 was published without provenance.</p>");
    }

    @Test
    void aScopedPackagesLinksKeepItsNameOneSegment() throws Exception {
        Browser b = Browser.signedIn(http, "olga");
        Http.Result r = b.get("/-/web/package/@olga%2fsecret-pkg");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .contains("<h1>@olga/secret-pkg</h1>")
                .contains("href=\"/-/web/package/@olga%2fsecret-pkg/v/1.0.0\"");
        Http.Result file = b.get("/-/web/package/@olga%2fsecret-pkg/v/1.0.0/files/logo.png");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.header("Cache-Control")).startsWith("private");
    }

    @Test
    void anUnknownPackageOrVersionIsA404PageNamingIt() throws Exception {
        Http.Result missing = http.get("/-/web/package/no-such-pkg");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        assertThat(missing.body()).contains("There is no package named no-such-pkg here.");
        Http.Result version = http.get("/-/web/package/readme-pkg/v/9.9.9");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.body()).contains("readme-pkg has no version 9.9.9 here.");
        Http.Result hostile = http.get("/-/web/package/readme-pkg/v/%3Cb%3E");
        assertThat(hostile.status()).isEqualTo(404);
        assertThat(hostile.body())
                .contains("readme-pkg has no version &lt;b> here.")
                .doesNotContain("<b>");
    }

    @Test
    void aRestrictedPackageIsNotFoundByOthers() throws Exception {
        Http.Result none = http.get("/-/web/package/@olga%2fno-such");
        Http.Result paulsView =
                Browser.signedIn(http, "paul").get("/-/web/package/@olga%2fsecret-pkg");
        for (Http.Result r :
                List.of(
                        http.get("/-/web/package/@olga%2fsecret-pkg"),
                        http.get("/-/web/package/@olga%2fsecret-pkg/v/1.0.0"),
                        paulsView)) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body().replace("secret-pkg", "no-such")).isEqualTo(none.body());
        }
        Http.Result file = http.get("/-/web/package/@olga%2fsecret-pkg/v/1.0.0/files/logo.png");
        assertThat(file.status()).isEqualTo(404);
        assertThat(file.body()).contains("There is no package named @olga/secret-pkg here.");
    }

    @Test
    void aReleasesImageIsServedAsAnImageOnly() throws Exception {
        Http.Result r = http.get("/-/web/package/readme-pkg/v/1.1.0/files/docs/logo.png");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bytes()).isEqualTo(PNG);
        assertThat(r.header("Content-Type")).isEqualTo("image/png");
        assertThat(r.header("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; style-src 'unsafe-inline'; sandbox");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(Arrays.equals(r.bytes(), PNG)).isTrue();
    }

    @Test
    void aFileThatIsNotAnImageMissingOrTooLargeIsA404WithTheReason() throws Exception {
        String base = "/-/web/package/readme-pkg/v/1.1.0/files/";
        Map<String, String> reasons =
                Map.of(
                        "notes.txt",
                        "notes.txt is not served: only a release&#39;s images (png, jpeg, gif,"
                                + " webp, svg) are.",
                        "package.json",
                        "package.json is not served",
                        "docs/missing.png",
                        "the release has no file docs/missing.png.",
                        "docs/big.png",
                        "docs/big.png is larger than 5 MiB, the limit of a file shown on a page.");
        for (var e : reasons.entrySet()) {
            Http.Result r = http.get(base + e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(404);
            assertThat(r.body()).as(e.getKey()).contains(e.getValue());
        }
        Http.Result version = http.get("/-/web/package/readme-pkg/v/7.0.0/files/docs/logo.png");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.body()).contains("readme-pkg has no version 7.0.0 here.");
        Http.Result pkg = http.get("/-/web/package/no-such-pkg/v/1.0.0/files/logo.png");
        assertThat(pkg.status()).isEqualTo(404);
        assertThat(pkg.body()).contains("There is no package named no-such-pkg here.");
    }

    @Test
    void aPathOutOfThePackageIsA400WithTheReason() throws Exception {
        String base = "/-/web/package/readme-pkg/v/1.1.0/files/";
        Map<String, String> reasons =
                Map.of(
                        "docs%5Clogo.png", "A file path may not contain a backslash.",
                        "/etc/logo.png",
                                "A file path must be relative to the package, not absolute.",
                        "docs//logo.png", "A file path may not contain empty segments.",
                        "docs/%2e%2e/docs/logo.png",
                                "A file path may not contain &#34;..&#34; or &#34;.&#34;"
                                        + " segments.");
        for (var e : reasons.entrySet()) {
            Http.Result r = http.get(base + e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).contains(e.getValue());
        }
        // Jetty itself refuses a NUL in a path (400) before any route: the rule still holds
        assertThat(http.get(base + "docs/logo%00.png").status()).isEqualTo(400);
        assertThat(ReleaseFilePaths.refusal("docs/logo\0.png"))
                .isEqualTo("A file path may not contain a NUL character.");
        assertThat(ReleaseFilePaths.refusal("/etc/logo.png"))
                .isEqualTo("A file path must be relative to the package, not absolute.");
        assertThat(ReleaseFilePaths.refusal("a/../b.png")).contains("\"..\"");
        assertThat(ReleaseFilePaths.refusal("a/./b.png")).contains("\".\"");
        assertThat(ReleaseFilePaths.refusal("docs/logo.png")).isNull();
    }

    @Test
    void aReadmesHeadingsGoOneLevelBelowThePageTitle() {
        assertThat(
                        ReleaseViews.belowTitle(
                                "<h1 id=\"readme-a\">A</h1><p>&lt;h1&gt;"
                                        + " <code>&lt;/h2&gt;</code></p><h5>e</h5><h6>f</h6>"))
                .isEqualTo(
                        "<h2 id=\"readme-a\">A</h2><p>&lt;h1&gt; <code>&lt;/h2&gt;</code></p>"
                                + "<h6>e</h6><h6>f</h6>");
    }

    @Test
    void repositoryLinksAreTheHostsPagesOrNone() throws Exception {
        JsonNode github =
                JSON.readTree(
                        "{\"url\":\"git+https://github.com/o/r.git\",\"directory\":\"packages/a\"}");
        assertThat(RepositoryLinks.web(github)).isEqualTo("https://github.com/o/r");
        assertThat(RepositoryLinks.browse(github))
                .isEqualTo("https://github.com/o/r/blob/HEAD/packages/a/");
        JsonNode gitlab = JSON.readTree("\"gitlab:group/r\"");
        assertThat(RepositoryLinks.browse(gitlab))
                .isEqualTo("https://gitlab.com/group/r/-/blob/HEAD/");
        JsonNode shorthand = JSON.readTree("\"o/r\"");
        assertThat(RepositoryLinks.web(shorthand)).isEqualTo("https://github.com/o/r");
        JsonNode ssh = JSON.readTree("{\"url\":\"git+ssh://git@github.com/o/r.git\"}");
        assertThat(RepositoryLinks.web(ssh)).isEqualTo("https://github.com/o/r");
        JsonNode other = JSON.readTree("{\"url\":\"https://git.example.invalid/o/r\"}");
        assertThat(RepositoryLinks.web(other)).isEqualTo("https://git.example.invalid/o/r");
        assertThat(RepositoryLinks.browse(other)).isNull();
        JsonNode script = JSON.readTree("{\"url\":\"javascript:alert(1)\"}");
        assertThat(RepositoryLinks.web(script)).isNull();
        assertThat(RepositoryLinks.browse(script)).isNull();
        JsonNode escape =
                JSON.readTree("{\"url\":\"https://github.com/o/r\",\"directory\":\"../x\"}");
        assertThat(RepositoryLinks.browse(escape)).isEqualTo("https://github.com/o/r/blob/HEAD/");
    }
}
