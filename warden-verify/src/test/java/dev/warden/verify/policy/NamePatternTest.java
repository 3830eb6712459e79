package dev.warden.verify.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamePatternTest {

    private static boolean m(String pattern, String name) {
        return NamePattern.parse(pattern).matches(name);
    }

    @Test
    void starAndDoubleStarMatchEveryName() {
        for (String any : new String[] {"*", "**"}) {
            assertThat(m(any, "left-pad")).isTrue();
            assertThat(m(any, "@acme/core")).isTrue();
        }
    }

    @Test
    void aScopeStarMatchesThePackagesOfThatScopeOnly() {
        assertThat(m("@acme/*", "@acme/core")).isTrue();
        assertThat(m("@acme/*", "@acme/a.b-c_d")).isTrue();
        assertThat(m("@acme/*", "@acmex/core")).isFalse();
        assertThat(m("@acme/*", "acme")).isFalse();
        assertThat(m("@acme/*", "@acme")).isFalse();
        assertThat(m("@types/*", "@types/node")).isTrue();
    }

    @Test
    void anExactNameMatchesOnlyItself() {
        assertThat(m("left-pad", "left-pad")).isTrue();
        assertThat(m("left-pad", "left-pad2")).isFalse();
        assertThat(m("left-pad", "@x/left-pad")).isFalse();
        assertThat(m("left-pad", "Left-Pad")).isFalse();
        assertThat(m("left.pad", "leftxpad")).isFalse(); // a dot is a dot, not any character
        assertThat(NamePattern.parse("left-pad").isExact()).isTrue();
        assertThat(NamePattern.parse("@acme/*").isExact()).isFalse();
    }

    @Test
    void aStarInsideASegmentStaysInThatSegment() {
        assertThat(m("eslint-plugin-*", "eslint-plugin-react")).isTrue();
        assertThat(m("eslint-plugin-*", "eslint-plugin-")).isTrue();
        assertThat(m("eslint-plugin-*", "@x/eslint-plugin-react")).isFalse();
        assertThat(m("@*/core", "@acme/core")).isTrue();
        assertThat(m("@*/core", "@acme/core-js")).isFalse();
        assertThat(m("@acme/*-plugin", "@acme/lint-plugin")).isTrue();
        assertThat(m("@acme/*-plugin", "@acme/lint-plugin-x")).isFalse();
        assertThat(m("a*b*c", "axxbyyc")).isTrue();
        assertThat(m("a*b*c", "acb")).isFalse();
    }

    @Test
    void nullMatchesNothing() {
        assertThat(m("*", null)).isFalse();
    }

    @Test
    void refusalsSayWhy() {
        assertThatThrownBy(() -> NamePattern.parse("@acme"))
                .hasMessage("\"@acme\" has a scope but no name: write \"@acme/*\"");
        assertThatThrownBy(() -> NamePattern.parse("a/b"))
                .hasMessage("\"a/b\" has a \"/\" but no scope: only \"@scope/name\" has one");
        assertThatThrownBy(() -> NamePattern.parse("a**"))
                .hasMessageContaining("** matches every name only on its own");
        assertThatThrownBy(() -> NamePattern.parse("a?b"))
                .hasMessageContaining("is not a name pattern");
        assertThatThrownBy(() -> NamePattern.parse("@/x"))
                .hasMessageContaining("is not a name pattern");
        assertThatThrownBy(() -> NamePattern.parse("x".repeat(215)))
                .hasMessage("a name pattern is at most 214 characters");
    }
}
