package dev.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import org.junit.jupiter.api.Test;

import java.util.Map;

/** Query strings and form bodies, decoded by Jetty as browsers and npm encode them. */
class FormDecodingTest {

    @Test
    void plusIsASpaceAndTheFirstValueOfANameWins() {
        assertThat(Exchange.decodeForm("text=a+b%20c&size=1&size=2&empty=&bare", "bad"))
                .isEqualTo(Map.of("text", "a b c", "size", "1", "empty", "", "bare", ""));
        assertThat(Exchange.decodeForm("name=%C3%A9%40x", "bad")).isEqualTo(Map.of("name", "é@x"));
        assertThat(Exchange.decodeForm(null, "bad")).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8ReadAsTheReplacementCharacter() {
        assertThat(Exchange.decodeForm("q=%e9&r=%C3%28", "bad"))
                .isEqualTo(Map.of("q", "\uFFFD", "r", "\uFFFD("));
    }

    @Test
    void aBrokenPercentEscapeIsRefusedWithTheGivenReason() {
        for (String raw : new String[] {"csrf=%zz", "csrf=%", "csrf=%2", "a=1&b=%e9%"}) {
            assertThatThrownBy(() -> Exchange.decodeForm(raw, "malformed form data"))
                    .as(raw)
                    .isInstanceOf(Problem.class)
                    .hasMessage("malformed form data")
                    .satisfies(
                            p ->
                                    assertThat(((Problem) p).kind())
                                            .isEqualTo(Problem.Kind.BAD_REQUEST));
        }
    }
}
