package dev.warden.verify.policy;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Each rule of {@link NamePattern} against a plain-string statement of it (no regular expressions),
 * over names drawn from a small alphabet so that near-misses are frequent.
 */
class NamePatternPropertiesTest {

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withChars("ab.-_1").ofMinLength(1).ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> bare = segments();
        Arbitrary<String> scoped =
                Combinators.combine(segments(), segments()).as((s, n) -> "@" + s + "/" + n);
        return Arbitraries.oneOf(bare, scoped);
    }

    @Property
    void anExactPatternMatchesExactlyItsName(
            @ForAll("names") String pattern, @ForAll("names") String name) {
        assertThat(NamePattern.parse(pattern).matches(name)).isEqualTo(pattern.equals(name));
    }

    @Property
    void aNameMatchesItselfAndStarsMatchEveryName(@ForAll("names") String name) {
        assertThat(NamePattern.parse(name).matches(name)).isTrue();
        assertThat(NamePattern.parse("*").matches(name)).isTrue();
        assertThat(NamePattern.parse("**").matches(name)).isTrue();
    }

    @Property
    void aScopeStarMatchesExactlyThatScopesNames(
            @ForAll("segments") String scope, @ForAll("names") String name) {
        boolean expected = name.startsWith("@" + scope + "/");
        assertThat(NamePattern.parse("@" + scope + "/*").matches(name)).isEqualTo(expected);
    }

    @Property
    void aStarInABareNameMatchesWhatStartsAndEndsRightWithoutASlash(
            @ForAll("segments") String prefix,
            @ForAll("segments") String suffix,
            @ForAll("names") String name) {
        boolean expected =
                !name.contains("/")
                        && !name.startsWith("@")
                        && name.length() >= prefix.length() + suffix.length()
                        && name.startsWith(prefix)
                        && name.endsWith(suffix);
        assertThat(NamePattern.parse(prefix + "*" + suffix).matches(name)).isEqualTo(expected);
    }

    @Property
    void aStarInTheScopeMatchesAnyScopeForThatName(
            @ForAll("segments") String bare, @ForAll("names") String name) {
        boolean expected =
                name.startsWith("@")
                        && name.indexOf('/') > 1
                        && name.endsWith("/" + bare)
                        && name.indexOf('/') == name.length() - bare.length() - 1;
        assertThat(NamePattern.parse("@*/" + bare).matches(name)).isEqualTo(expected);
    }

    @Property
    void aPatternAndItsNameMatchTheSameWayWhateverTheCase(@ForAll("names") String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        assertThat(NamePattern.parse(name).matches(upper)).isEqualTo(upper.equals(name));
    }
}
