package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import gg.jte.Content;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

/** The shell every page shares: header, search, navigation, skip link, scripts, column width. */
class LayoutTest {

    private static String layout(Map<String, Object> extra) {
        Map<String, Object> params = new HashMap<>();
        params.put("title", "T <i>");
        params.put("body", (Content) out -> out.writeContent("<p id=\"body\">b</p>"));
        params.putAll(extra);
        return Templates.render("layout.jte", params);
    }

    @Test
    void everyPageHasTheHeaderTheSkipLinkAndItsTitleAsTheOneHeading() {
        String html = Templates.render("message.jte", new Views.Message("Done", "Done.", false));
        assertThat(html)
                .contains("<html lang=\"en\">")
                .contains("<a class=\"skip-link\" href=\"#main\">")
                .contains("<a class=\"site-name\" href=\"/\">Warden</a>")
                .contains("<form class=\"site-search\" method=\"get\" action=\"/-/web/search\"")
                .contains("<label for=\"site-search-q\" class=\"visually-hidden\">Search packages")
                .contains("<input id=\"site-search-q\" name=\"q\" type=\"search\"")
                .contains("<a href=\"/-/web/approvals\">Approvals</a>")
                .contains("<a href=\"/-/web/log\">Log</a>")
                .contains("<a href=\"/-/web/account\">Account</a>")
                .contains("<main id=\"main\" class=\"page-narrow\"><h1>Done</h1>");
        // a page's own submit button stays the first one a test (or a person) finds
        assertThat(html).doesNotContain("type=\"submit\"");
        assertThat(html.split("<h1>", -1)).hasSize(2);
    }

    @Test
    void scriptsAreStaticFilesLoadedDeferredAndWidePagesSaySo() {
        String html = layout(Map.of("scripts", " copy.js  logproof.js ", "wide", true));
        assertThat(html)
                .contains("<script src=\"/-/web/static/passkeys.js\" defer></script>")
                .contains("<script src=\"/-/web/static/copy.js\" defer></script>")
                .contains("<script src=\"/-/web/static/logproof.js\" defer></script>")
                .contains("<main id=\"main\" class=\"page-wide\"><h1>T &lt;i></h1>")
                .contains("<p id=\"body\">b</p>");
        assertThat(layout(Map.of()).split("<script", -1)).as("only passkeys.js").hasSize(2);
    }

    @Test
    void aScriptNameCannotLeaveItsAttribute() {
        String html = layout(Map.of("scripts", "x.js\"><img"));
        assertThat(html).doesNotContain("\"><img").contains("/-/web/static/x.js&#34;>&lt;img");
    }
}
