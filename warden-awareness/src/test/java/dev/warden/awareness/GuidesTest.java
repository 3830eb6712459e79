package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The guides render as text and links only: nothing written in a guide runs in a reader's page. */
class GuidesTest {

    @Test
    void rawHtmlInAGuideIsEscapedAndShownAsText() {
        Guides.Guide g =
                Guides.render(
                        "x",
                        "# Title\n\nIntro <script>alert(1)</script> text.\n\n"
                                + "<div onclick=\"steal()\">block</div>\n\n"
                                + "<img src=x onerror=alert(2)>\n");

        assertThat(g.html())
                .doesNotContain("<script")
                .doesNotContain("<div")
                .doesNotContain("<img")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;div onclick=&quot;steal()&quot;&gt;block&lt;/div&gt;");
    }

    @Test
    void linksWithUnsafeSchemesLoseTheirTarget() {
        Guides.Guide g =
                Guides.render(
                        "x",
                        "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)"
                                + " [v](VBScript:x) [ok](/-/web/official)"
                                + " [ext](https://example.org/a)");

        assertThat(g.html())
                .doesNotContain("javascript:")
                .doesNotContain("data:text/html")
                .doesNotContain("VBScript")
                .contains("<a rel=\"nofollow\" href=\"\">click</a>")
                .contains("<a rel=\"nofollow\" href=\"/-/web/official\">ok</a>")
                .contains("<a rel=\"nofollow\" href=\"https://example.org/a\">ext</a>");
    }

    @Test
    void theTitleIsTheFirstHeadingAndTheSummaryTheFirstParagraph() {
        Guides.Guide g =
                Guides.render(
                        "s", "# The *title*\n\nFirst line\nof the summary.\n\n## Part\n\nMore.\n");

        assertThat(g.title()).isEqualTo("The title");
        assertThat(g.summary()).isEqualTo("First line of the summary.");
        assertThat(g.html()).as("the layout shows the title once").doesNotContain("<h1>");
        assertThat(g.html()).contains("<h2>Part</h2>");
    }

    @Test
    void tablesAreRendered() {
        Guides.Guide g = Guides.render("t", "| a | b |\n| --- | --- |\n| 1 | <b>2</b> |\n");

        assertThat(g.html()).contains("<table>").contains("<td>&lt;b&gt;2&lt;/b&gt;</td>");
    }

    @Test
    void theBundledGuidesAreTheThreeTheIssueAsksFor() {
        Guides guides = Guides.bundled();

        assertThat(guides.all())
                .extracting(Guides.Guide::slug)
                .containsExactly("best-practices", "phishing", "leaked-credentials");
        assertThat(guides.find("phishing").orElseThrow().html())
                .contains("npmjs.help")
                .contains("Shai-Hulud")
                .contains("eslint-scope")
                .contains("href=\"/-/web/verify-message\"")
                .contains(
                        "href=\"https://eslint.org/blog/2018/07/postmortem-for-malicious-package-publishes\"")
                .contains("href=\"/-/web/official\"");
        assertThat(guides.find("leaked-credentials").orElseThrow().title())
                .isEqualTo("What to do when a token or account leaks");
        for (Guides.Guide g : guides.all()) {
            assertThat(g.html()).as(g.slug()).doesNotContain("<script").doesNotContain("<h1>");
            assertThat(g.summary()).as(g.slug()).isNotBlank();
        }
        assertThat(guides.find("nope")).isEmpty();
    }
}
