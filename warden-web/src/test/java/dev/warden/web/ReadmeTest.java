package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

class ReadmeTest {

    private static final Readme.Links LINKS =
            new Readme.Links(
                    "https://registry.invalid/-/web/package/x/v/1.0.0/files/",
                    "https://github.invalid/o/r/blob/HEAD/");

    private static String html(String markdown) {
        return Readme.render(markdown, LINKS).html();
    }

    @Test
    void nothingRendersAsNothing() {
        assertThat(Readme.render(null, LINKS)).isEqualTo(new Readme.Rendered("", false));
        assertThat(Readme.render("", null)).isEqualTo(new Readme.Rendered("", false));
    }

    @Test
    void tablesKeepTheirAlignment() {
        var doc = Jsoup.parse(html("| a | b |\n|:--|--:|\n| 1 | 2 |\n"));
        assertThat(doc.select("table thead th"))
                .extracting(e -> e.text())
                .containsExactly("a", "b");
        assertThat(doc.select("tbody td").first().attr("align")).isEqualTo("left");
        assertThat(doc.select("tbody td").last().attr("align")).isEqualTo("right");
    }

    @Test
    void fencedCodeKeepsItsLanguageAndEscapesItsText() {
        String html = html("```js\nconst a = '<b>';\n```\n");
        var code = Jsoup.parse(html).selectFirst("pre > code");
        assertThat(code.className()).isEqualTo("language-js");
        assertThat(code.wholeText()).isEqualTo("const a = '<b>';\n");
        assertThat(html).contains("&lt;b&gt;");
    }

    @Test
    void strikethroughAndAutolinks() {
        var doc = Jsoup.parse(html("~~old~~ see https://example.invalid/x"));
        assertThat(doc.select("del").text()).isEqualTo("old");
        var a = doc.selectFirst("a");
        assertThat(a.attr("href")).isEqualTo("https://example.invalid/x");
        assertThat(a.attr("rel")).isEqualTo("nofollow noopener noreferrer");
    }

    @Test
    void relativeImagesComeFromTheFilesAndRelativeLinksFromTheRepository() {
        var doc =
                Jsoup.parse(
                        html("![logo](./docs/logo.png) [guide](docs/guide.md) ![up](/img/a.png)"));
        assertThat(doc.select("img").eachAttr("src"))
                .containsExactly(
                        "https://registry.invalid/-/web/package/x/v/1.0.0/files/docs/logo.png",
                        "https://registry.invalid/-/web/package/x/v/1.0.0/files/img/a.png");
        assertThat(doc.selectFirst("a").attr("href"))
                .isEqualTo("https://github.invalid/o/r/blob/HEAD/docs/guide.md");
    }

    @Test
    void relativeUrlsCannotClimbOutOfTheirBase() {
        var doc = Jsoup.parse(html("![x](../../../../-/admin/x.png) [y](../../../other/repo)"));
        assertThat(doc.selectFirst("img").hasAttr("src")).isFalse();
        assertThat(doc.selectFirst("a").hasAttr("href")).isFalse();
        assertThat(doc.text()).contains("y");
    }

    @Test
    void withoutBasesRelativeUrlsAreDroppedButAbsoluteOnesStay() {
        var doc =
                Jsoup.parse(
                        Readme.render(
                                        "![x](a.png) [y](b.md) ![z](https://img.invalid/z.png)",
                                        new Readme.Links(null, null))
                                .html());
        assertThat(doc.select("img")).hasSize(2);
        assertThat(doc.select("img").first().hasAttr("src")).isFalse();
        assertThat(doc.select("img").last().attr("src")).isEqualTo("https://img.invalid/z.png");
        assertThat(doc.selectFirst("a").hasAttr("href")).isFalse();
    }

    @Test
    void headingsGetPrefixedAnchorsAndInPageLinksFollowThem() {
        var doc = Jsoup.parse(html("# Getting started\n\n## Usage\n\n## Usage\n\n[go](#usage)\n"));
        assertThat(doc.select("h1, h2").eachAttr("id"))
                .containsExactly(
                        "user-content-getting-started",
                        "user-content-usage",
                        "user-content-usage-1");
        assertThat(doc.selectFirst("a").attr("href")).isEqualTo("#user-content-usage");
        assertThat(doc.selectFirst("a").hasAttr("rel")).isFalse();
    }

    @Test
    void rawHtmlThatIsSafeStays() {
        var doc =
                Jsoup.parse(
                        html(
                                "<details><summary>More</summary>\n\n"
                                        + "<kbd>Ctrl</kbd> x<sup>2</sup>\n\n"
                                        + "</details>\n\n"
                                        + "<p align=\"center\"><img src=\"logo.png\" alt=\"Logo\""
                                        + " width=\"120\"></p>\n"));
        assertThat(doc.select("details > summary").text()).isEqualTo("More");
        assertThat(doc.select("kbd").text()).isEqualTo("Ctrl");
        var img = doc.selectFirst("img");
        assertThat(img.attr("alt")).isEqualTo("Logo");
        assertThat(img.attr("width")).isEqualTo("120");
        assertThat(img.attr("src")).endsWith("/files/logo.png");
        assertThat(doc.selectFirst("p").hasAttr("align")).isFalse();
    }

    @Test
    void dangerousUrlsAreDroppedNotRewritten() {
        var doc =
                Jsoup.parse(
                        html("[a](javascript:alert(1)) <a href=\"java&#9;script:alert(1)\">b</a>"));
        assertThat(doc.select("a")).hasSize(2).allMatch(a -> !a.hasAttr("href"));
        assertThat(doc.text()).isEqualTo("a b");
    }

    @Test
    void aPageIdCannotBeTaken() {
        var doc = Jsoup.parse(html("<h2 id=\"main\">x</h2><p id=\"csrf\">y</p>"));
        assertThat(doc.getElementById("main")).isNull();
        assertThat(doc.getElementById("csrf")).isNull();
        assertThat(doc.selectFirst("h2").id()).isEqualTo("user-content-main");
    }

    @Test
    void aReadmePastTheLimitIsCutAndSaysSo() {
        var rendered = Readme.render("a".repeat(Readme.MAX_CHARS + 10), LINKS);
        assertThat(rendered.truncated()).isTrue();
        assertThat(Jsoup.parse(rendered.html()).text()).hasSize(Readme.MAX_CHARS);
        assertThat(Readme.render("a".repeat(Readme.MAX_CHARS), LINKS).truncated()).isFalse();
    }
}
