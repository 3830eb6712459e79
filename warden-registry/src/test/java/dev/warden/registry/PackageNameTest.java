package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of validate-npm-package-name for new packages. */
class PackageNameTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "some-package",
                "example.com",
                "under_score",
                "period.js",
                "123numeric",
                "@npm/thingy",
                "@jane/foo.js",
                "-leading-dash",
                "a"
            })
    void acceptsValidNames(String name) {
        assertThat(PackageName.parse(name).full()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " leading-space",
                "trailing-space ",
                ".start-with-period",
                "_start-with-underscore",
                "contain:colons",
                "s/l/a/s/h/e/s",
                "node_modules",
                "favicon.ico",
                "http",
                "CAPITAL-LETTERS",
                "crazy!",
                "@npm-zors/money!time.js",
                "ünicode",
                "with space",
                "@/empty-scope",
                "@scope/",
                "@scope",
                "@scope/.dot",
                "@Scope/name",
                "tilde~",
                "quote'",
                "star*",
                "paren(s)"
            })
    void refusesInvalidNames(String name) {
        assertThatThrownBy(() -> PackageName.parse(name))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("package name");
    }

    @Test
    void refusesLongNames() {
        assertThat(PackageName.parse("a".repeat(214)).full()).hasSize(214);
        assertThatThrownBy(() -> PackageName.parse("a".repeat(215))).hasMessageContaining("214");
    }

    @Test
    void tarballFileUsesTheBareName() {
        assertThat(PackageName.parse("@scope/pkg").tarballFile("1.0.0")).isEqualTo("pkg-1.0.0.tgz");
        assertThat(Registry.versionOfTarball("@scope/pkg", "pkg-1.0.0-rc.1.tgz"))
                .isEqualTo("1.0.0-rc.1");
        assertThat(Registry.versionOfTarball("pkg", "pkgx-1.0.0.tgz")).isNull();
        assertThat(Registry.versionOfTarball("pkg", "pkg-.tgz")).isNull();
    }

    @Provide
    Arbitrary<String> validNames() {
        Arbitrary<String> part =
                Arbitraries.strings()
                        .withChars("abcdefghijklmnopqrstuvwxyz0123456789-._")
                        .ofMinLength(1)
                        .ofMaxLength(40)
                        .filter(s -> !s.startsWith(".") && !s.startsWith("_"));
        return Arbitraries.oneOf(
                part.filter(
                        s ->
                                !s.equals("node_modules")
                                        && !s.equals("favicon.ico")
                                        && !isBuiltin(s)),
                net.jqwik.api.Combinators.combine(part, part).as((a, b) -> "@" + a + "/" + b));
    }

    private static boolean isBuiltin(String s) {
        try {
            PackageName.parse(s);
            return false;
        } catch (Problem p) {
            return p.getMessage().contains("core module");
        }
    }

    @Property(tries = 500)
    void everyNameOfTheAllowedAlphabetParsesBack(@ForAll("validNames") String name) {
        PackageName parsed = PackageName.parse(name);
        assertThat(parsed.full()).isEqualTo(name);
        assertThat(PackageName.parse(parsed.full())).isEqualTo(parsed);
    }

    @Property(tries = 500)
    void anyCharacterOutsideTheAlphabetIsRefused(
            @ForAll("validNames") String name, @ForAll("badChars") char bad) {
        String broken = name + bad;
        assertThatThrownBy(() -> PackageName.parse(broken)).isInstanceOf(Problem.class);
    }

    @Provide
    Arbitrary<Character> badChars() {
        return Arbitraries.chars()
                .filter(c -> "abcdefghijklmnopqrstuvwxyz0123456789-._".indexOf(c) < 0);
    }
}
