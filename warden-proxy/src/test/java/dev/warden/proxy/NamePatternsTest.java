package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamePatternsTest {

    @Test
    void doubleStarMatchesEveryNameScopedOrNot() {
        assertThat(NamePatterns.matches("**", "lodash")).isTrue();
        assertThat(NamePatterns.matches("**", "@acme/tool")).isTrue();
    }

    @Test
    void exactNamesMatchOnlyThemselves() {
        assertThat(NamePatterns.matches("lodash", "lodash")).isTrue();
        assertThat(NamePatterns.matches("lodash", "lodash-es")).isFalse();
        assertThat(NamePatterns.matches("@acme/tool", "@acme/tool")).isTrue();
        assertThat(NamePatterns.matches("@acme/tool", "@acme/tools")).isFalse();
    }

    @Test
    void aStarStaysWithinOneSegment() {
        assertThat(NamePatterns.matches("@acme/*", "@acme/tool")).isTrue();
        assertThat(NamePatterns.matches("@acme/*", "@acme-evil/tool")).isFalse();
        assertThat(NamePatterns.matches("@acme/*", "acme")).isFalse();
        assertThat(NamePatterns.matches("*", "lodash")).isTrue();
        assertThat(NamePatterns.matches("*", "@acme/tool")).isFalse();
        assertThat(NamePatterns.matches("eslint-plugin-*", "eslint-plugin-react")).isTrue();
        assertThat(NamePatterns.matches("eslint-plugin-*", "eslint-config-x")).isFalse();
        assertThat(NamePatterns.matches("@*/core", "@babel/core")).isTrue();
        assertThat(NamePatterns.matches("@*/core", "@babel/cores")).isFalse();
        assertThat(NamePatterns.matches("@acme/**", "@acme/tool")).isTrue();
    }

    @Test
    void regexCharactersInAPatternAreLiteral() {
        assertThat(NamePatterns.matches("a.b*", "a.bc")).isTrue();
        assertThat(NamePatterns.matches("a.b*", "axbc")).isFalse();
    }

    @Test
    void wrongPatternsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> NamePatterns.check(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a name pattern is empty");
        assertThatThrownBy(() -> NamePatterns.check("@acme"))
                .hasMessage("name pattern \"@acme\" is a scope without a name: write @acme/*");
        assertThatThrownBy(() -> NamePatterns.check("acme/tool"))
                .hasMessageContaining("has a \"/\" but no scope");
        assertThatThrownBy(() -> NamePatterns.check("@a/b/c"))
                .hasMessageContaining("has more than one \"/\"");
        assertThatThrownBy(() -> NamePatterns.check("lo dash"))
                .hasMessageContaining("a character other than");
        assertThatThrownBy(() -> NamePatterns.check("@acme/"))
                .hasMessageContaining("has an empty segment");
        assertThatThrownBy(() -> NamePatterns.check("a**"))
                .hasMessageContaining("\"**\" must be a whole segment");
    }

    @Test
    void rightPatternsPass() {
        for (String p : new String[] {"**", "*", "lodash", "@acme/*", "@acme/**", "@*/core"}) {
            NamePatterns.check(p);
        }
    }
}
