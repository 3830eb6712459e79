package dev.warden.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Links are http(s) with a host; repository URLs may also take git's and npm's forms; hidden
 * schemes are neither. What a manifest carries that npm, a registry UI or a browser may open
 * (homepage, bugs, repository, funding, people's urls) is served only when it passes.
 */
class SafeUrlsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com",
                "http://example.com/a?b=c#d",
                "HTTPS://Example.com/x"
            })
    void linksAreHttpOrHttps(String url) {
        assertThat(SafeUrls.isLink(url)).isTrue();
        assertThat(SafeUrls.isRepository(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "javascript:alert(1)",
                "JavaScript:alert(1)",
                " javascript:alert(1)",
                "java\tscript:alert(1)",
                "data:text/html,x",
                "vbscript:x",
                "file:///etc/passwd",
                "https:",
                "https:///path",
                "//example.com",
                "example.com",
                "",
                "git+https://github.com/a/b.git",
                "git@github.com:a/b.git"
            })
    void everythingElseIsNoLink(String url) {
        assertThat(SafeUrls.isLink(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "git+https://github.com/a/b.git",
                "git://github.com/a/b.git",
                "git+ssh://git@github.com/a/b.git",
                "ssh://git@github.com/a/b.git",
                "git@github.com:a/b.git",
                "github:a/b",
                "a/b",
                "https://github.com/a/b",
                "a/b#v1.2.3",
                "gitlab:group/sub/repo",
                "bitbucket:a/b",
                "gist:11081aaa281",
                "gist:a/11081aaa281",
                "github:a/b#semver:^1.0.0"
            })
    void repositoriesMayUseGitForms(String url) {
        assertThat(SafeUrls.isRepository(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "javascript:alert(1)",
                "JAVASCRIPT:alert(1)",
                "data:text/html,x",
                "\njavascript:alert(1)",
                "file:///x",
                ""
            })
    void scriptsAreNoRepositories(String url) {
        assertThat(SafeUrls.isRepository(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com",
                "//example.com",
                "evil",
                "a/b/c",
                "<script>alert(1)</script>",
                "a/<b>",
                "@a/b",
                "alert(1)//a/b",
                "x@javascript:alert(1)",
                "github:javascript:alert(1)",
                "github:a",
                "gist:<b>",
                "npm:a/b",
                "file:../a"
            })
    void withoutAKnownSchemeOnlyNpmsShorthandsAreRepositories(String url) {
        assertThat(SafeUrls.isRepository(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u200Bjavascript:alert(1)",
                "\u200Cjavascript:alert(1)",
                "\u200Djavascript:alert(1)",
                "\u200Ejavascript:alert(1)",
                "\u200Fjavascript:alert(1)",
                "\u2028javascript:alert(1)",
                "\u2029javascript:alert(1)",
                "\u202Ajavascript:alert(1)",
                "\u202Ejavascript:alert(1)",
                "\u2060javascript:alert(1)",
                "\u2064javascript:alert(1)",
                "\uFEFFjavascript:alert(1)",
                "\u00A0javascript:alert(1)",
                "java\u200Bscript:alert(1)",
                "https://example.com/\u200B",
                "\u202Ehttps://example.com",
                "https://exa\u2060mple.com",
                "\uFEFFa/b",
                "a/b\u2028",
                "git@github.com:a/b\u200B.git"
            })
    void invisibleCharactersHideSchemes(String url) {
        assertThat(SafeUrls.isLink(url)).as(escaped(url)).isFalse();
        assertThat(SafeUrls.isRepository(url)).as(escaped(url)).isFalse();
        assertThat(SafeUrls.repositoryLink(url)).as(escaped(url)).isNull();
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .forEach(
                        c ->
                                b.append(
                                        c < 0x20 || c > 0x7e
                                                ? String.format("\\u%04X", c)
                                                : String.valueOf((char) c)));
        return b.toString();
    }

    private static ObjectNode cleaned(String manifest) throws Exception {
        ObjectNode m = (ObjectNode) JSON.readTree(manifest);
        SafeUrls.clean(m);
        return m;
    }

    @Test
    void fundingKeepsOnlyItsLinks() throws Exception {
        assertThat(
                        cleaned("{\"funding\": \"https://github.com/sponsors/a\"}")
                                .path("funding")
                                .asText())
                .isEqualTo("https://github.com/sponsors/a");
        assertThat(cleaned("{\"funding\": \"javascript:alert(1)\"}").has("funding")).isFalse();
        assertThat(
                        cleaned(
                                        "{\"funding\": {\"type\": \"x\", \"url\":"
                                                + " \"\\u200Bjavascript:alert(1)\"}}")
                                .has("funding"))
                .isFalse();
        assertThat(cleaned("{\"funding\": {\"type\": \"x\"}}").has("funding")).isFalse();
        assertThat(
                        cleaned(
                                        "{\"funding\": {\"type\": \"x\", \"url\":"
                                                + " \"https://example.com/fund\"}}")
                                .path("funding"))
                .isEqualTo(
                        JSON.readTree("{\"type\": \"x\", \"url\": \"https://example.com/fund\"}"));
        ObjectNode mixed =
                cleaned(
                        "{\"funding\": [\"https://a.example\", {\"url\": \"data:text/html,x\"},"
                            + " \"vbscript:x\", {\"type\": \"y\", \"url\": \"https://b.example\"},"
                            + " 7, [\"https://c.example\"]]}");
        assertThat(mixed.path("funding"))
                .isEqualTo(
                        JSON.readTree(
                                "[\"https://a.example\", {\"type\": \"y\", \"url\":"
                                        + " \"https://b.example\"}]"));
        assertThat(
                        cleaned("{\"funding\": [\"javascript:a\", {\"url\": \"file:///x\"}]}")
                                .has("funding"))
                .isFalse();
        assertThat(cleaned("{\"funding\": 42}").has("funding")).isFalse();
    }

    @Test
    void peopleLoseOnlyAUrlThatIsNoLink() throws Exception {
        ObjectNode m =
                cleaned(
                        "{\"author\": {\"name\": \"Mal\", \"email\": \"mal@example.com\", \"url\":"
                            + " \"javascript:alert(1)\"}, \"contributors\": [{\"name\": \"Cy\","
                            + " \"url\": \"\\u2028javascript:x\"}, {\"name\": \"Di\", \"url\":"
                            + " \"https://di.example\"}, \"Eve <eve@example.com>"
                            + " (javascript:alert(document.cookie))\", \"Fay"
                            + " (https://fay.example)\", \"Gus <gus@example.com>\"],"
                            + " \"maintainers\": [{\"name\": \"mo\", \"email\": \"mo@example.com\","
                            + " \"url\": \"data:text/html,x\"}, {\"name\": \"no\", \"url\": 5}]}");
        assertThat(m.path("author"))
                .isEqualTo(JSON.readTree("{\"name\": \"Mal\", \"email\": \"mal@example.com\"}"));
        assertThat(m.path("contributors"))
                .isEqualTo(
                        JSON.readTree(
                                "[{\"name\": \"Cy\"}, {\"name\": \"Di\", \"url\":"
                                    + " \"https://di.example\"}, \"Eve <eve@example.com>\", \"Fay"
                                    + " (https://fay.example)\", \"Gus <gus@example.com>\"]"));
        assertThat(m.path("maintainers"))
                .isEqualTo(
                        JSON.readTree(
                                "[{\"name\": \"mo\", \"email\": \"mo@example.com\"}, {\"name\":"
                                        + " \"no\"}]"));
        assertThat(
                        cleaned(
                                        "{\"author\": \"Hal (\\u200Bjavascript:alert(1))"
                                                + " (https://hal.example)\"}")
                                .path("author")
                                .asText())
                .isEqualTo("Hal (https://hal.example)");
        assertThat(cleaned("{\"author\": \"Ida\"}").path("author").asText()).isEqualTo("Ida");
    }

    @Test
    void repositoriesWithoutAKnownFormAreDroppedAndShorthandsKept() throws Exception {
        assertThat(cleaned("{\"repository\": \"evil.example.com\"}").has("repository")).isFalse();
        assertThat(
                        cleaned(
                                        "{\"repository\": {\"type\": \"git\", \"url\":"
                                                + " \"\\uFEFFjavascript:alert(1)\"}}")
                                .has("repository"))
                .isFalse();
        assertThat(cleaned("{\"repository\": \"ursula/linky\"}").path("repository").asText())
                .isEqualTo("ursula/linky");
        assertThat(cleaned("{\"homepage\": \"\\u200Bjavascript:alert(1)\"}").has("homepage"))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "git+https://github.com/a/b.git, https://github.com/a/b",
        "https://gitlab.com/a/b, https://gitlab.com/a/b",
        "git://github.com/a/b.git, ",
        "git@github.com:a/b.git, ",
        "git+javascript:alert(1), "
    })
    void aRepositoryLinksToItsWebPageOnlyOverHttps(String url, String link) {
        assertThat(SafeUrls.repositoryLink(url)).isEqualTo(link);
    }
}
