package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The corpus's check itself catches what it is there to catch. */
class SafeHtmlTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<script>alert(1)</script>",
                "<img src=\"https://a.invalid/x.png\" onerror=\"alert(1)\">",
                "<a href=\"javascript:alert(1)\">x</a>",
                "<a href=\"java\tscript:alert(1)\">x</a>",
                "<img src=\"data:image/png;base64,AA==\">",
                "<a href=\"mailto:a@b.invalid\" style=\"color:red\">x</a>",
                "<p id=\"main\">x</p>",
                "<h2 id=\"main\">x</h2>",
                "<code class=\"evil\">x</code>",
                "<a href=\"//evil.invalid/\">x</a>",
                "<svg></svg>",
                "<iframe></iframe>"
            })
    void refusesWhatIsNotSafe(String html) {
        assertThatThrownBy(() -> SafeHtml.assertSafe(html)).isInstanceOf(AssertionError.class);
    }
}
