package dev.warden.verify.lockfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourcesTest {

    @ParameterizedTest
    @CsvSource({
        "left-pad, https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz, REGISTRY",
        "left-pad, http://127.0.0.1:4873/npm/left-pad/-/left-pad-1.3.0.tgz?x=1, REGISTRY",
        "@acme/ui, https://registry.example.invalid/@acme/ui/-/ui-2.0.0.tgz, REGISTRY",
        "@acme/ui, https://registry.example.invalid/@acme%2Fui/-/ui-2.0.0.tgz, REGISTRY",
        "@acme/ui, https://registry.example.invalid/@other/ui/-/ui-2.0.0.tgz, URL",
        "left-pad, https://registry.npmjs.org/right-pad/-/left-pad-1.3.0.tgz, URL",
        "left-pad, https://tarballs.example.invalid/left-pad-1.3.0.tgz, URL",
        "left-pad, git+ssh://git@github.com/x/left-pad.git#0123abc, GIT",
        "left-pad, github:x/left-pad#0123abc, GIT",
        "left-pad, file:../vendor/left-pad-1.3.0.tgz, FILE",
        "left-pad, vendor/left-pad, FILE",
        "left-pad, link:../left-pad, LINK",
        "left-pad, ftp://mirror.example.invalid/left-pad-1.3.0.tgz, URL"
    })
    void kindOf(String name, String resolved, SourceKind kind) {
        assertThat(Sources.kindOf(name, resolved)).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource({
        "fsevents@npm%3A2.3.3, fsevents@npm:2.3.3",
        "a%2Bb%zz+c%4, a+b%zz+c%4",
        "%E2%9C%93, \u2713"
    })
    void percentDecoding(String encoded, String decoded) {
        assertThat(YarnBerryLock.percentDecoded(encoded)).isEqualTo(decoded);
    }
}
