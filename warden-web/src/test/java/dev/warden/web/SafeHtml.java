package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Element;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The check every README output must pass, written apart from the sanitiser so it does not share
 * its mistakes: each element and attribute on a fixed list, each URL http, https, mailto, a root
 * path or an in-page anchor, each id prefixed, each class a language.
 */
final class SafeHtml {

    private static final Set<String> TAGS =
            Set.of(
                    "h1",
                    "h2",
                    "h3",
                    "h4",
                    "h5",
                    "h6",
                    "p",
                    "a",
                    "img",
                    "ul",
                    "ol",
                    "li",
                    "table",
                    "thead",
                    "tbody",
                    "tr",
                    "th",
                    "td",
                    "pre",
                    "code",
                    "blockquote",
                    "em",
                    "strong",
                    "del",
                    "s",
                    "hr",
                    "br",
                    "details",
                    "summary",
                    "sup",
                    "sub",
                    "kbd",
                    "dl",
                    "dt",
                    "dd",
                    "b",
                    "i");
    private static final Map<String, Set<String>> ATTRIBUTES =
            Map.of(
                    "a", Set.of("href", "title", "rel"),
                    "img", Set.of("src", "alt", "title", "width", "height"),
                    "th", Set.of("align", "colspan", "rowspan"),
                    "td", Set.of("align", "colspan", "rowspan"),
                    "ol", Set.of("start"),
                    "details", Set.of("open"),
                    "code", Set.of("class"));

    private SafeHtml() {}

    static void assertSafe(String html) {
        var body = Jsoup.parseBodyFragment(html).body();
        for (Element element : body.getAllElements()) {
            if (element == body) {
                continue;
            }
            String tag = element.normalName();
            assertThat(TAGS).as("element <%s> in %s", tag, html).contains(tag);
            for (Attribute attribute : element.attributes()) {
                String key = attribute.getKey().toLowerCase(Locale.ROOT);
                String value = attribute.getValue();
                if (key.equals("id")) {
                    assertThat(tag).as("id on <%s>", tag).matches("h[1-6]");
                    assertThat(value).startsWith("user-content-");
                    continue;
                }
                assertThat(ATTRIBUTES.getOrDefault(tag, Set.of()))
                        .as("attribute %s on <%s> in %s", key, tag, html)
                        .contains(key);
                switch (key) {
                    case "href" -> assertUrl(value, Set.of("http", "https", "mailto"), html);
                    case "src" -> assertUrl(value, Set.of("http", "https"), html);
                    case "class" -> assertThat(value).matches("language-[A-Za-z0-9_+#.-]+");
                    default -> {}
                }
            }
        }
    }

    private static void assertUrl(String value, Set<String> schemes, String html) {
        // What a browser would read as the scheme: controls and whitespace ignored.
        String compact = value.replaceAll("[\\x00-\\x20\\x7f]", "");
        if (compact.startsWith("#user-content-")
                || (compact.startsWith("/") && !compact.startsWith("//"))) {
            assertThat(compact).as("url in %s", html).doesNotContain("\\");
            return;
        }
        int colon = compact.indexOf(':');
        assertThat(colon).as("url %s has a scheme in %s", value, html).isPositive();
        assertThat(schemes)
                .as("scheme of %s in %s", value, html)
                .contains(compact.substring(0, colon).toLowerCase(Locale.ROOT));
    }
}
