package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The home page and search: a browser gets the home page at {@code /} while npm clients keep the
 * JSON answer; the lists and the search show only what the visitor may read; search pages hold the
 * same hits in the same order as {@code /-/v1/search}; bad input is a 400 page with the reason.
 */
class BrowsePagesTest {

    static final String BROWSER_ACCEPT =
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /** A hit's link on a search or home page. */
    static final Pattern LINK = Pattern.compile("<li[^>]*><a href=\"/-/web/package/([^\"]+)\">");

    static final MovableClock clock = new MovableClock();
    static TestServer server;
    static Http http;
    static String olga;
    static String paul;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        olga = server.token("olga");
        paul = server.token("paul");
        for (int i = 0; i < 25; i++) {
            ObjectNode m = Tarballs.manifest(String.format("parity-%02d", i), "1.0.0");
            m.putArray("keywords").add("parity").add(i % 2 == 0 ? "even" : "odd");
            publish(olga, m);
            clock.advance(Duration.ofSeconds(1));
        }
        ObjectNode secret = Tarballs.manifest("@olga/parity-secret", "1.0.0");
        ObjectNode body = Tarballs.publishBody(secret, Tarballs.packageTgz(secret));
        body.put("access", "restricted");
        assertThat(http.put("/@olga%2fparity-secret", olga, body).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        ObjectNode hostile = Tarballs.manifest("hostile-words", "1.0.0");
        hostile.put("description", "<script>alert(1)</script> & \"quotes\"");
        hostile.putArray("keywords").add("<img src=x onerror=alert(2)>");
        publish(paul, hostile);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/parity-03/-/parity-03-1.0.0.tgz").status()).isEqualTo(200);
        }
        assertThat(http.get("/parity-07/-/parity-07-1.0.0.tgz").status()).isEqualTo(200);
        server.server().registry().downloads().flush();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static void publish(String token, ObjectNode manifest) throws Exception {
        Http.Result r =
                http.put(
                        Tarballs.path(manifest.path("name").asText()),
                        token,
                        Tarballs.publishBody(manifest, Tarballs.packageTgz(manifest)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static Http.Result page(String path) throws Exception {
        return http.get(path, null, Map.of("Accept", BROWSER_ACCEPT));
    }

    /** The packages linked from the list {@code listId} (an ol or ul) of a page. */
    static List<String> links(String html, String listId) {
        int start = html.indexOf("id=\"" + listId + "\"");
        if (start < 0) {
            return List.of();
        }
        String tag = html.substring(html.lastIndexOf('<', start) + 1, start).trim();
        String list = html.substring(start, html.indexOf("</" + tag + ">", start));
        List<String> out = new ArrayList<>();
        Matcher m = LINK.matcher(list);
        while (m.find()) {
            out.add(m.group(1).replace("%2f", "/"));
        }
        return out;
    }

    @Test
    void npmClientsKeepTheJsonAnswerAtTheRootAndBrowsersGetTheHomePage() throws Exception {
        Http.Result bare = http.get("/");
        Http.Result npm = http.get("/", null, Map.of("Accept", "application/json"));
        Http.Result anything = http.get("/", null, Map.of("Accept", "*/*"));
        Http.Result post = http.post("/", null, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        for (Http.Result r : List.of(bare, npm, anything, post)) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.body()).isEqualTo("{\"error\":\"not found\"}");
        }
        Http.Result home = page("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.header("Content-Type")).startsWith("text/html");
        assertThat(home.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(home.body())
                .contains("<h1>Warden registry</h1>")
                .contains("<label for=\"search-q\">Search packages</label>");
        assertThat(page("/-/web/").body()).isEqualTo(home.body());
        assertThat(http.get("/-/web").body()).isEqualTo(home.body());
    }

    @Test
    void theHomePageListsTheNewestAndTheMostDownloadedThatTheVisitorMayRead() throws Exception {
        String anonymous = page("/-/web/").body();
        List<String> recent = links(anonymous, "recent");
        assertThat(recent)
                .hasSize(BrowsePages.LISTED)
                .startsWith("hostile-words", "parity-24", "parity-23")
                .doesNotContain("@olga/parity-secret");
        assertThat(links(anonymous, "popular")).containsExactly("parity-03", "parity-07");
        assertThat(anonymous)
                .contains("3 download(s) in the last 7 days")
                .contains("&lt;script>alert(1)&lt;/script>")
                .doesNotContain("<script>alert(1)");

        // its maintainer sees the restricted package in its place
        clock.advance(Duration.ofSeconds(11)); // past the lists' freshness
        Browser b = Browser.signedIn(http, "olga");
        String own = b.get("/-/web/").body();
        assertThat(links(own, "recent")).startsWith("hostile-words", "@olga/parity-secret");
        Browser other = Browser.signedIn(http, "paul");
        assertThat(links(other.get("/-/web/").body(), "recent"))
                .doesNotContain("@olga/parity-secret");
    }

    @Test
    void searchPagesHoldTheApisHitsInItsOrder() throws Exception {
        for (String q : List.of("parity", "even", "parity-1", "PARITY odd", "nothing-matches")) {
            JsonNode api =
                    http.get("/-/v1/search?size=20&text=" + URLEncoder.encode(q, "UTF-8")).json();
            long total = api.path("total").asLong();
            for (int page = 1; page <= Math.max(1, (total + 19) / 20); page++) {
                JsonNode apiPage =
                        http.get(
                                        "/-/v1/search?size=20&from="
                                                + (page - 1) * 20
                                                + "&text="
                                                + URLEncoder.encode(q, "UTF-8"))
                                .json();
                List<String> expected = new ArrayList<>();
                apiPage.path("objects")
                        .forEach(o -> expected.add(o.path("package").path("name").asText()));
                Http.Result web =
                        page("/-/web/search?q=" + URLEncoder.encode(q, "UTF-8") + "&page=" + page);
                assertThat(web.status()).isEqualTo(200);
                assertThat(links(web.body(), "results"))
                        .as(q + " page " + page)
                        .isEqualTo(expected);
                assertThat(web.body()).contains(total + " package(s) found");
            }
        }
        String first = page("/-/web/search?q=parity").body();
        assertThat(first)
                .contains("page 1 of 2")
                .contains("<a id=\"next\" rel=\"next\" href=\"/-/web/search?q=parity&amp;page=2\">")
                .doesNotContain("id=\"previous\"");
        String second = page("/-/web/search?q=parity&page=2").body();
        assertThat(second)
                .contains(
                        "<a id=\"previous\" rel=\"prev\""
                                + " href=\"/-/web/search?q=parity&amp;page=1\">")
                .doesNotContain("id=\"next\"");
        // the restricted package is found by its maintainer only
        assertThat(links(page("/-/web/search?q=parity-secret").body(), "results")).isEmpty();
        assertThat(
                        links(
                                Browser.signedIn(http, "olga")
                                        .get("/-/web/search?q=parity-secret")
                                        .body(),
                                "results"))
                .containsExactly("@olga/parity-secret");
    }

    @Test
    void searchEchoesTheQueryAndShowsHostileValuesAsText() throws Exception {
        String query = "\"><script>alert(3)</script>";
        String html = page("/-/web/search?q=" + URLEncoder.encode(query, "UTF-8")).body();
        assertThat(html)
                .contains("value=\"&#34;>&lt;script>alert(3)&lt;/script>\"")
                .doesNotContain("<script>alert(3)");
        String hostile = page("/-/web/search?q=hostile").body();
        assertThat(links(hostile, "results")).containsExactly("hostile-words");
        assertThat(hostile)
                .contains("<li>&lt;img src=x onerror=alert(2)></li>")
                .contains("&lt;script>alert(1)&lt;/script> &amp; &#34;quotes&#34;")
                .doesNotContain("<img src=x");
    }

    @Test
    void anEmptyQueryShowsTheFormWithAHint() throws Exception {
        for (String path : List.of("/-/web/search", "/-/web/search?q=", "/-/web/search?q=%20%20")) {
            Http.Result r = page(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body())
                    .contains("Type a package name or keywords, then press Search.")
                    .doesNotContain("id=\"results\"");
        }
    }

    @Test
    void badSearchInputIsA400PageWithTheReason() throws Exception {
        Http.Result long_ = page("/-/web/search?q=" + "a".repeat(1025));
        assertThat(long_.status()).isEqualTo(400);
        assertThat(long_.header("Content-Type")).startsWith("text/html");
        assertThat(long_.body()).contains("The search text is longer than 1024 characters.");
        assertThat(page("/-/web/search?q=" + "a".repeat(1024)).status()).isEqualTo(200);
        for (String bad : List.of("abc", "-1", "0", "1.5", "99999999999999999999")) {
            Http.Result r = page("/-/web/search?q=parity&page=" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).contains("The page must be a whole number from 1 on.");
        }
    }

    @Test
    void aPagePastTheResultsIsEmptyWithALinkBack() throws Exception {
        for (String page : List.of("3", "999999999999")) {
            Http.Result r = page("/-/web/search?q=parity&page=" + page);
            assertThat(r.status()).isEqualTo(200);
            assertThat(links(r.body(), "results")).isEmpty();
            assertThat(r.body())
                    .contains("This page is past the last result.")
                    .contains("<a href=\"/-/web/search?q=parity\">Back to the first page</a>")
                    .doesNotContain("id=\"previous\"");
        }
    }

    @Test
    void theCopyScriptIsServed() throws Exception {
        Http.Result js = http.get("/-/web/static/copy.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.header("Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).contains("navigator.clipboard");
    }

    @Test
    void browsersAreToldByTheirAcceptHeader() {
        assertThat(BrowsePages.prefersHtml(BROWSER_ACCEPT)).isTrue();
        assertThat(BrowsePages.prefersHtml("text/html")).isTrue();
        assertThat(BrowsePages.prefersHtml(null)).isFalse();
        assertThat(BrowsePages.prefersHtml("*/*")).isFalse();
        assertThat(BrowsePages.prefersHtml("application/json")).isFalse();
        assertThat(
                        BrowsePages.prefersHtml(
                                "application/vnd.npm.install-v1+json; q=1.0, application/json;"
                                        + " q=0.8, */*"))
                .isFalse();
        assertThat(BrowsePages.prefersHtml("application/json, text/html;q=0.5")).isFalse();
        assertThat(BrowsePages.prefersHtml("text/html;q=x")).isFalse();
    }
}
