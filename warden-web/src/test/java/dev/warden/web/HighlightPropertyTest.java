package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.web.Highlight.Token;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Objects;

/** Whatever the text and language, no text is lost, added or moved, and no token is empty. */
class HighlightPropertyTest {

    @Provide
    Arbitrary<String> language() {
        return Arbitraries.of("js", "ts", "json", "css", "sh", "md", "yaml", "html", "other");
    }

    @Provide
    Arbitrary<String> source() {
        return Arbitraries.of(
                        "'",
                        "\"",
                        "`",
                        "\\",
                        "/*",
                        "*/",
                        "//",
                        "#",
                        "<!--",
                        "-->",
                        "\n",
                        "\r\n",
                        "\r",
                        " ",
                        "\t",
                        "a",
                        "if",
                        "const",
                        "1",
                        "0x1f",
                        ".5",
                        "{",
                        "}",
                        "$",
                        "${",
                        "```",
                        "~~~",
                        "# ",
                        "-",
                        ":",
                        "é",
                        "\uD83D\uDE00",
                        "\u0000")
                .list()
                .ofMaxSize(200)
                .map(pieces -> String.join("", pieces));
    }

    @Property(tries = 2000)
    void tokensConcatenateToTheLines(
            @ForAll("language") String language, @ForAll("source") String text) {
        check(language, text);
    }

    @Property(tries = 500)
    void anyStringAtAll(@ForAll("language") String language, @ForAll String text) {
        check(language, text);
    }

    private static void check(String language, String text) {
        List<List<Token>> lines = Highlight.lines(language, text);
        List<String> expected = Highlight.split(text);
        assertThat(lines).hasSize(expected.size());
        for (int i = 0; i < lines.size(); i++) {
            var line = lines.get(i);
            assertThat(String.join("", line.stream().map(Token::text).toList()))
                    .isEqualTo(expected.get(i));
            assertThat(line).allMatch(token -> !token.text().isEmpty());
            for (int j = 1; j < line.size(); j++) {
                assertThat(Objects.equals(line.get(j - 1).kind(), line.get(j).kind()))
                        .as("neighbours of one kind are merged")
                        .isFalse();
            }
        }
        // And the lines are the text's: joined with newlines they give it back, \r before \n aside.
        String joined = String.join("\n", expected);
        String normal = text.replace("\r\n", "\n");
        assertThat(normal.endsWith("\n") ? joined + "\n" : joined).isEqualTo(normal);
    }
}
