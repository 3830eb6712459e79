package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every README of the corpus (src/test/resources/xss, also read by the browser test) renders safe.
 */
class ReadmeXssTest {

    private static final Readme.Links LINKS =
            new Readme.Links(
                    "/-/web/package/x/v/1.0.0/files/", "https://github.invalid/o/r/blob/HEAD/");

    static List<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(ReadmeXssTest.class.getResource("/xss").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void theCorpusIsLargeEnoughToMeanSomething() throws Exception {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void rendersSafe(Path file) throws IOException {
        String markdown = Files.readString(file, StandardCharsets.UTF_8);
        SafeHtml.assertSafe(Readme.render(markdown, LINKS).html());
        SafeHtml.assertSafe(Readme.render(markdown, new Readme.Links(null, null)).html());
    }
}
