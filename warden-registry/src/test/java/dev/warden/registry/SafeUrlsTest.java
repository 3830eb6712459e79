package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Links are http(s) with a host; repository URLs may also take git's and npm's forms; hidden schemes are neither. */
class SafeUrlsTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com", "http://example.com/a?b=c#d", "HTTPS://Example.com/x"})
    void linksAreHttpOrHttps(String url) {
        assertThat(SafeUrls.isLink(url)).isTrue();
        assertThat(SafeUrls.isRepository(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
        "data:text/html,x", "vbscript:x", "file:///etc/passwd", "https:", "https:///path", "//example.com", "example.com", "",
        "git+https://github.com/a/b.git", "git@github.com:a/b.git"})
    void everythingElseIsNoLink(String url) {
        assertThat(SafeUrls.isLink(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"git+https://github.com/a/b.git", "git://github.com/a/b.git", "git+ssh://git@github.com/a/b.git",
        "ssh://git@github.com/a/b.git", "git@github.com:a/b.git", "github:a/b", "a/b", "https://github.com/a/b"})
    void repositoriesMayUseGitForms(String url) {
        assertThat(SafeUrls.isRepository(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "\njavascript:alert(1)", "file:///x", ""})
    void scriptsAreNoRepositories(String url) {
        assertThat(SafeUrls.isRepository(url)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "git+https://github.com/a/b.git, https://github.com/a/b",
        "https://gitlab.com/a/b, https://gitlab.com/a/b",
        "git://github.com/a/b.git, ",
        "git@github.com:a/b.git, ",
        "git+javascript:alert(1), "})
    void aRepositoryLinksToItsWebPageOnlyOverHttps(String url, String link) {
        assertThat(SafeUrls.repositoryLink(url)).isEqualTo(link);
    }
}
