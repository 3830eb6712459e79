package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.warden.web.Highlight.Token;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

class HighlightTest {

    private static Token t(String kind, String text) {
        return new Token(kind, text);
    }

    @Test
    void languagesByFileName() {
        assertThat(Highlight.language("lib/index.js")).isEqualTo("js");
        assertThat(Highlight.language("a/b.MJS")).isEqualTo("js");
        assertThat(Highlight.language("x.cjs")).isEqualTo("js");
        assertThat(Highlight.language("App.jsx")).isEqualTo("js");
        assertThat(Highlight.language("types/index.d.ts")).isEqualTo("ts");
        assertThat(Highlight.language("App.tsx")).isEqualTo("ts");
        assertThat(Highlight.language("package.json")).isEqualTo("json");
        assertThat(Highlight.language("style.css")).isEqualTo("css");
        assertThat(Highlight.language("bin/run.sh")).isEqualTo("sh");
        assertThat(Highlight.language("README.md")).isEqualTo("md");
        assertThat(Highlight.language(".github/workflows/ci.yml")).isEqualTo("yaml");
        assertThat(Highlight.language("index.html")).isEqualTo("html");
        assertThat(Highlight.language("LICENSE")).isNull();
        assertThat(Highlight.language("x.png")).isNull();
        assertThat(Highlight.language("dir.js/")).isNull();
        assertThat(Highlight.language("trailing.")).isNull();
        assertThat(Highlight.language(null)).isNull();
    }

    @Test
    void javascriptKeywordsStringsNumbersCommentsAndPunctuation() {
        assertThat(Highlight.lines("js", "const a = 'x' + 42; // done"))
                .containsExactly(
                        List.of(
                                t("kw", "const"),
                                t(null, " a "),
                                t("punct", "="),
                                t(null, " "),
                                t("str", "'x'"),
                                t(null, " "),
                                t("punct", "+"),
                                t(null, " "),
                                t("num", "42"),
                                t("punct", ";"),
                                t(null, " "),
                                t("com", "// done")));
    }

    @Test
    void escapedQuotesStayInTheirString() {
        assertThat(Highlight.lines("js", "\"a\\\"b\" c"))
                .containsExactly(List.of(t("str", "\"a\\\"b\""), t(null, " c")));
    }

    @Test
    void blockCommentsAndTemplateLiteralsSpanLines() {
        var lines = Highlight.lines("js", "x /* one\ntwo\nthree */ y\nlet s = `a\nb` + 1\r\n");
        assertThat(lines)
                .containsExactly(
                        List.of(t(null, "x "), t("com", "/* one")),
                        List.of(t("com", "two")),
                        List.of(t("com", "three */"), t(null, " y")),
                        List.of(
                                t("kw", "let"),
                                t(null, " s "),
                                t("punct", "="),
                                t(null, " "),
                                t("str", "`a")),
                        List.of(
                                t("str", "b`"),
                                t(null, " "),
                                t("punct", "+"),
                                t(null, " "),
                                t("num", "1")));
    }

    @Test
    void typescriptHasItsOwnWords() {
        assertThat(Highlight.lines("ts", "interface A {}").get(0).get(0))
                .isEqualTo(t("kw", "interface"));
        assertThat(Highlight.lines("js", "interface A {}").get(0).get(0))
                .isEqualTo(t(null, "interface A "));
    }

    @Test
    void json() {
        assertThat(Highlight.lines("json", "{\"a\": [1.5, true, null]}"))
                .containsExactly(
                        List.of(
                                t("punct", "{"),
                                t("str", "\"a\""),
                                t("punct", ":"),
                                t(null, " "),
                                t("punct", "["),
                                t("num", "1.5"),
                                t("punct", ","),
                                t(null, " "),
                                t("kw", "true"),
                                t("punct", ","),
                                t(null, " "),
                                t("kw", "null"),
                                t("punct", "]}")));
    }

    @Test
    void cssCommentsAndWordsWithDashes() {
        assertThat(Highlight.lines("css", "a { margin-top: 0 } /* x */"))
                .containsExactly(
                        List.of(
                                t(null, "a "),
                                t("punct", "{"),
                                t(null, " margin-top"),
                                t("punct", ":"),
                                t(null, " "),
                                t("num", "0"),
                                t(null, " "),
                                t("punct", "}"),
                                t(null, " "),
                                t("com", "/* x */")));
    }

    @Test
    void shellCommentsStartOnlyAfterSpace() {
        assertThat(Highlight.lines("sh", "echo ${#x} # count"))
                .containsExactly(
                        List.of(
                                t("kw", "echo"),
                                t(null, " "),
                                t("punct", "${"),
                                t(null, "#x"),
                                t("punct", "}"),
                                t(null, " "),
                                t("com", "# count")));
    }

    @Test
    void markdownHeadingsFencesAndCodeSpans() {
        var lines = Highlight.lines("md", "# Title\nuse `npm i` now\n```js\nconst x\n```\ntext");
        assertThat(lines)
                .containsExactly(
                        List.of(t("kw", "# Title")),
                        List.of(t(null, "use "), t("str", "`npm i`"), t(null, " now")),
                        List.of(t("punct", "```js")),
                        List.of(t("str", "const x")),
                        List.of(t("punct", "```")),
                        List.of(t(null, "text")));
    }

    @Test
    void anUnknownLanguageIsPlainLines() {
        assertThat(Highlight.lines(null, "a 'b'\n\nc"))
                .containsExactly(List.of(t(null, "a 'b'")), List.of(), List.of(t(null, "c")));
        assertThat(Highlight.lines("cobol", "x")).containsExactly(List.of(t(null, "x")));
        assertThat(Highlight.lines("js", "")).isEmpty();
        assertThat(Highlight.lines("js", null)).isEmpty();
    }

    @Test
    void aMegabyteOnOneLineIsFine() {
        String minified = "var a=function(b){return b+\"`/*\"+1e3};".repeat(28_000);
        assertThat(minified.length()).isGreaterThan(1_000_000);
        for (String language : List.of("js", "ts", "json", "css", "sh", "md", "yaml", "html")) {
            var lines =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(10), () -> Highlight.lines(language, minified));
            assertThat(lines).hasSize(1);
            assertThat(String.join("", lines.get(0).stream().map(Token::text).toList()))
                    .isEqualTo(minified);
        }
        String ticks = new StringBuilder().repeat("`x``y```z", 100_000).toString();
        var lines =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10), () -> Highlight.lines("md", ticks));
        assertThat(String.join("", lines.get(0).stream().map(Token::text).toList()))
                .isEqualTo(ticks);
    }
}
