package dev.warden.web;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

/** Any soup of Markdown and HTML pieces, dangerous ones included, renders to safe HTML. */
class ReadmePropertyTest {

    private static final List<String> PIECES =
            List.of(
                    "<script>",
                    "</script>",
                    "<img src=x onerror=alert(1)>",
                    "<img src=\"",
                    "javascript:",
                    "JaVa\tScRiPt:",
                    "data:text/html,",
                    "vbscript:",
                    "&#106;",
                    "&#x3a;",
                    "&colon;",
                    "[",
                    "](",
                    ")",
                    "![",
                    "*",
                    "_",
                    "`",
                    "```js\n",
                    "~~",
                    "\n",
                    "\n\n",
                    "> ",
                    "- ",
                    "1. ",
                    "|",
                    "|-|",
                    "---",
                    "<a href=\"",
                    "<a href=",
                    "\">",
                    "'",
                    "\"",
                    "<",
                    ">",
                    "=",
                    " on",
                    "onclick=",
                    "style=",
                    "id=main",
                    "class=x",
                    "<svg onload=alert(1)>",
                    "<math>",
                    "<iframe src=",
                    "<object>",
                    "<form action=",
                    "<input ",
                    "<!--",
                    "-->",
                    "<![CDATA[",
                    "]]>",
                    "<div>",
                    "</div>",
                    "<details open ontoggle=alert(1)>",
                    "<style>",
                    "<base href=",
                    "<meta http-equiv=refresh content=\"0;url=",
                    "#",
                    "x",
                    " ",
                    "https://a.invalid/",
                    "//a.invalid/",
                    "../",
                    "mailto:a@b.invalid",
                    "<",
                    "<noscript>",
                    "<textarea>",
                    "<template>",
                    "<h2 id=",
                    "\t",
                    "\u0000",
                    "\u2028");

    @Provide
    Arbitrary<String> soup() {
        return Arbitraries.of(PIECES).list().ofMaxSize(120).map(pieces -> String.join("", pieces));
    }

    @Property(tries = 2000)
    void anySoupRendersSafe(@ForAll("soup") String markdown) {
        SafeHtml.assertSafe(Readme.render(markdown, null).html());
        SafeHtml.assertSafe(
                Readme.render(
                                markdown,
                                new Readme.Links(
                                        "/-/web/package/x/v/1/files/", "https://git.invalid/o/r/"))
                        .html());
    }

    @Property(tries = 300)
    void anyTextRendersSafe(@ForAll String markdown) {
        SafeHtml.assertSafe(Readme.render(markdown, null).html());
    }
}
