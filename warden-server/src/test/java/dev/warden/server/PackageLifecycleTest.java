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

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;

/**
 * What happens to a package after its first publish: tags, deprecation, owners, stars, unpublish,
 * search.
 */
class PackageLifecycleTest {

    static TestServer server;
    static Http http;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        alice = server.token("alice");
        bob = server.token("bob");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static void publish(String name, String version, String token) throws Exception {
        Http.Result r = http.put(Tarballs.path(name), token, Tarballs.publishBody(name, version));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static ObjectNode doc(String name) throws Exception {
        return (ObjectNode) http.get(Tarballs.path(name) + "?write=true").json();
    }

    @Test
    void concurrentPublishesOfOneVersionHaveOneWinner() throws Exception {
        int n = 8;
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode m = Tarballs.manifest("race-pkg", "1.0.0");
            m.put("description", "attempt " + i); // different bytes each time
            ObjectNode body = Tarballs.publishBody(m, Tarballs.packageTgz(m));
            attempts.add(() -> http.put("/race-pkg", alice, body).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(n - 1);
        JsonNode v = doc("race-pkg").path("versions").path("1.0.0");
        byte[] tarball = http.get("/race-pkg/-/race-pkg-1.0.0.tgz").bytes();
        assertThat(v.path("dist").path("integrity").asText())
                .isEqualTo(
                        dev.warden.common.Digests.sri512(
                                dev.warden.common.Digests.digest("SHA-512", tarball)));
    }

    @Test
    void aPublishIsInThePublishersSecurityHistoryOnce() throws Exception {
        publish("history-pkg", "1.0.0", alice);
        com.fasterxml.jackson.databind.JsonNode events =
                http.get("/-/warden/v1/security-events?limit=500", alice, java.util.Map.of())
                        .json()
                        .path("events");
        java.util.List<com.fasterxml.jackson.databind.JsonNode> published =
                new java.util.ArrayList<>();
        events.forEach(
                e -> {
                    if (e.path("kind").asText().equals("package.published")
                            && e.toString().contains("history-pkg")) {
                        published.add(e);
                    }
                });
        assertThat(published)
                .as("the publish's history row, written in its own transaction, and no second one")
                .hasSize(1);
        assertThat(published.get(0).toString()).contains("1.0.0");
    }

    @Test
    void distTagsAddListRemove() throws Exception {
        publish("tags-pkg", "1.0.0", alice);
        ObjectNode beta = Tarballs.publishBody("tags-pkg", "2.0.0-beta.1");
        ((ObjectNode) beta.path("dist-tags")).removeAll().put("beta", "2.0.0-beta.1");
        assertThat(http.put("/tags-pkg", alice, beta).status()).isEqualTo(200);
        assertThat(http.get("/-/package/tags-pkg/dist-tags").json())
                .isEqualTo(TestServer.parse("{\"beta\":\"2.0.0-beta.1\",\"latest\":\"1.0.0\"}"));
        assertThat(http.put("/-/package/tags-pkg/dist-tags/next", alice, "2.0.0-beta.1").status())
                .isEqualTo(200);
        assertThat(http.get("/tags-pkg").json().path("dist-tags").path("next").asText())
                .isEqualTo("2.0.0-beta.1");
        // refusals: unknown version, not a maintainer, bad tag names, body not a string, removing
        // latest
        assertThat(http.put("/-/package/tags-pkg/dist-tags/next", alice, "9.9.9").status())
                .isEqualTo(404);
        assertThat(http.put("/-/package/tags-pkg/dist-tags/next", bob, "1.0.0").status())
                .isEqualTo(403);
        assertThat(http.put("/-/package/tags-pkg/dist-tags/1.0.0", alice, "1.0.0").status())
                .isEqualTo(400);
        assertThat(
                        http.put("/-/package/tags-pkg/dist-tags/next", alice, Map.of("v", "1.0.0"))
                                .status())
                .isEqualTo(400);
        assertThat(http.delete("/-/package/tags-pkg/dist-tags/latest", alice).status())
                .isEqualTo(400);
        assertThat(http.delete("/-/package/tags-pkg/dist-tags/nope", alice).status())
                .isEqualTo(404);
        assertThat(http.delete("/-/package/tags-pkg/dist-tags/next", alice).status())
                .isEqualTo(200);
        assertThat(http.get("/-/package/tags-pkg/dist-tags").json().has("next")).isFalse();
        assertThat(http.get("/-/package/no-such/dist-tags").status()).isEqualTo(404);
    }

    @Test
    void deprecateAndUndeprecateThroughTheDocument() throws Exception {
        publish("old-pkg", "1.0.0", alice);
        ObjectNode d = doc("old-pkg");
        ((ObjectNode) d.path("versions").path("1.0.0")).put("deprecated", "use new-pkg");
        assertThat(http.put("/old-pkg", alice, d).status()).isEqualTo(200);
        assertThat(
                        http.get("/old-pkg", null, Tarballs.abbreviatedAccept())
                                .json()
                                .path("versions")
                                .path("1.0.0")
                                .path("deprecated")
                                .asText())
                .isEqualTo("use new-pkg");
        // a stale revision is a conflict and changes nothing
        ((ObjectNode) d.path("versions").path("1.0.0")).put("deprecated", "");
        Http.Result stale = http.put("/old-pkg", alice, d);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(doc("old-pkg").path("versions").path("1.0.0").path("deprecated").asText())
                .isEqualTo("use new-pkg");
        // others may not deprecate
        ObjectNode fresh = doc("old-pkg");
        ((ObjectNode) fresh.path("versions").path("1.0.0")).put("deprecated", "");
        assertThat(http.put("/old-pkg", bob, fresh).status()).isEqualTo(403);
        assertThat(http.put("/old-pkg", alice, fresh).status()).isEqualTo(200);
        assertThat(doc("old-pkg").path("versions").path("1.0.0").has("deprecated")).isFalse();
    }

    @Test
    void ownersAddAndRemove() throws Exception {
        publish("team-pkg", "1.0.0", alice);
        ObjectNode d = doc("team-pkg");
        ObjectNode body = TestServer.parse("{}").deepCopy();
        body.put("_id", "team-pkg");
        body.put("_rev", d.path("_rev").asText());
        body.putArray("maintainers")
                .add(TestServer.parse("{\"name\":\"alice\",\"email\":\"alice@example.com\"}"))
                .add(TestServer.parse("{\"name\":\"bob\",\"email\":\"bob@example.com\"}"));
        assertThat(http.put("/team-pkg/-rev/" + d.path("_rev").asText(), alice, body).status())
                .isEqualTo(200);
        assertThat(http.get("/-/package/team-pkg/collaborators").json())
                .isEqualTo(TestServer.parse("{\"alice\":\"write\",\"bob\":\"write\"}"));
        publish("team-pkg", "1.0.1", bob);

        ObjectNode unknown = doc("team-pkg");
        unknown.putArray("maintainers").add("alice").add("bob").add("nobody-such");
        assertThat(
                        http.put("/team-pkg/-rev/" + unknown.path("_rev").asText(), alice, unknown)
                                .status())
                .isEqualTo(404);
        ObjectNode empty = doc("team-pkg");
        empty.putArray("maintainers");
        assertThat(http.put("/team-pkg/-rev/" + empty.path("_rev").asText(), alice, empty).status())
                .isEqualTo(400);
        ObjectNode mallory = doc("team-pkg");
        String carol = server.token("carol");
        mallory.putArray("maintainers").add("carol");
        assertThat(
                        http.put("/team-pkg/-rev/" + mallory.path("_rev").asText(), carol, mallory)
                                .status())
                .isEqualTo(403);

        ObjectNode remove = doc("team-pkg");
        remove.putArray("maintainers").add(TestServer.parse("{\"name\":\"alice\"}"));
        assertThat(http.put("/team-pkg/-rev/" + remove.path("_rev").asText(), bob, remove).status())
                .isEqualTo(200);
        assertThat(http.get("/team-pkg").json().path("maintainers")).hasSize(1);
        assertThat(http.put("/team-pkg", bob, Tarballs.publishBody("team-pkg", "1.0.2")).status())
                .isEqualTo(403);
        // both changes are in the history of the account that made them
        JsonNode aliceEvents =
                http.get("/-/warden/v1/security-events?limit=500", alice, Map.of())
                        .json()
                        .path("events");
        assertThat(aliceEvents.findValuesAsText("kind"))
                .contains("package.published", "package.owners-changed");
        JsonNode bobEvents =
                http.get("/-/warden/v1/security-events?limit=500", bob, Map.of())
                        .json()
                        .path("events");
        assertThat(bobEvents.findValuesAsText("kind")).contains("package.owners-changed");
    }

    @Test
    void starsAreYourOwn() throws Exception {
        publish("star-pkg", "1.0.0", alice);
        ObjectNode d = doc("star-pkg");
        ObjectNode star = TestServer.parse("{}").deepCopy();
        star.put("_id", "star-pkg");
        star.put("_rev", d.path("_rev").asText());
        star.putObject("users").put("bob", true);
        assertThat(http.put("/star-pkg", bob, star).status()).isEqualTo(200);
        assertThat(
                        http.get("/-/_view/starredByUser?key=%22bob%22")
                                .json()
                                .path("rows")
                                .get(0)
                                .path("value")
                                .asText())
                .isEqualTo("star-pkg");
        ObjectNode forged = doc("star-pkg");
        forged.putObject("users").put("bob", true).put("alice", true);
        assertThat(http.put("/star-pkg", bob, forged).status()).isEqualTo(403);
        assertThat(doc("star-pkg").path("users").has("alice")).isFalse();
        assertThat(http.get("/-/_view/starredByUser?key=bob").status()).isEqualTo(400);
        ObjectNode unstar = doc("star-pkg");
        unstar.putObject("users");
        assertThat(http.put("/star-pkg", bob, unstar).status()).isEqualTo(200);
        assertThat(http.get("/-/_view/starredByUser?key=%22bob%22").json().path("rows")).isEmpty();
    }

    @Test
    void unpublishOneVersionThenAllAndNeverReuse() throws Exception {
        publish("gone-pkg", "1.0.0", alice);
        publish("gone-pkg", "1.1.0", alice);
        ObjectNode d = doc("gone-pkg");
        String rev = d.path("_rev").asText();
        ((ObjectNode) d.path("versions")).remove("1.1.0");
        ((ObjectNode) d.path("dist-tags")).put("latest", "1.0.0");
        assertThat(http.put("/gone-pkg/-rev/" + rev, bob, d).status()).isEqualTo(403);
        assertThat(http.put("/gone-pkg/-rev/" + rev, alice, d).status()).isEqualTo(200);
        // replaying the same request with the old revision is refused
        assertThat(http.put("/gone-pkg/-rev/" + rev, alice, d).status()).isEqualTo(409);
        String newRev = doc("gone-pkg").path("_rev").asText();
        assertThat(http.delete("/gone-pkg/-/gone-pkg-1.1.0.tgz/-rev/" + newRev, alice).status())
                .isEqualTo(200);
        assertThat(http.get("/gone-pkg/-/gone-pkg-1.1.0.tgz").status()).isEqualTo(404);
        JsonNode after = doc("gone-pkg");
        assertThat(after.path("versions").has("1.1.0")).isFalse();
        assertThat(after.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        // the number stays used
        Http.Result again = http.put("/gone-pkg", alice, Tarballs.publishBody("gone-pkg", "1.1.0"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains("never be published again");

        assertThat(http.delete("/gone-pkg/-rev/1-wrong", alice).status()).isEqualTo(409);
        assertThat(http.delete("/gone-pkg/-rev/" + after.path("_rev").asText(), alice).status())
                .isEqualTo(200);
        assertThat(http.get("/gone-pkg").status()).isEqualTo(404);
        Http.Result blocked =
                http.put("/gone-pkg", alice, Tarballs.publishBody("gone-pkg", "2.0.0"));
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.error()).contains("unpublished less than 24 hours ago");
    }

    @Test
    void accessVisibilityAndListings() throws Exception {
        publish("@alice/secret", "1.0.0", alice);
        assertThat(
                        http.get("/-/package/@alice%2fsecret/visibility")
                                .json()
                                .path("public")
                                .asBoolean())
                .isTrue();
        Map<String, String> restricted = Map.of("access", "restricted");
        assertThat(
                        http.post(
                                        "/-/package/@alice%2fsecret/access",
                                        bob, json(restricted), Map.of())
                                .status())
                .isEqualTo(403);
        assertThat(
                        http.post(
                                        "/-/package/@alice%2fsecret/access",
                                        alice, json(restricted), Map.of())
                                .status())
                .isEqualTo(200);
        assertThat(http.get("/@alice%2fsecret").status()).isEqualTo(404);
        assertThat(http.get("/@alice%2fsecret", bob, Map.of()).status()).isEqualTo(404);
        assertThat(http.get("/@alice/secret/-/secret-1.0.0.tgz").status()).isEqualTo(404);
        assertThat(http.get("/@alice%2fsecret", alice, Map.of()).status()).isEqualTo(200);
        assertThat(
                        http.get("/-/package/@alice%2fsecret/visibility", alice, Map.of())
                                .json()
                                .path("public")
                                .asBoolean())
                .isFalse();
        assertThat(
                        http.get("/-/user/alice/package", alice, Map.of())
                                .json()
                                .path("@alice/secret")
                                .asText())
                .isEqualTo("write");
        assertThat(http.get("/-/user/alice/package").json().has("@alice/secret")).isFalse();
        assertThat(http.get("/-/org/alice/package", alice, Map.of()).json().has("@alice/secret"))
                .isTrue();
        assertThat(http.get("/-/org/nobody/package").status()).isEqualTo(404);
        assertThat(
                        http.post(
                                        "/-/package/@alice%2fsecret/access",
                                        alice, json(Map.of("access", "everyone")), Map.of())
                                .status())
                .isEqualTo(400);
        assertThat(
                        http.post(
                                        "/-/package/@alice%2fsecret/access",
                                        alice, "{".getBytes(), Map.of())
                                .status())
                .isEqualTo(400);
        publish("plain-public", "1.0.0", alice);
        assertThat(
                        http.post(
                                        "/-/package/plain-public/access",
                                        alice,
                                        json(restricted),
                                        Map.of())
                                .status())
                .isEqualTo(400);
    }

    @Test
    void searchFindsByNameDescriptionAndKeyword() throws Exception {
        ObjectNode m = Tarballs.manifest("searchable-widget", "1.0.0");
        m.put("description", "A frobnicating widget");
        m.putArray("keywords").add("frob").add("widget");
        assertThat(
                        http.put(
                                        "/searchable-widget",
                                        alice,
                                        Tarballs.publishBody(m, Tarballs.packageTgz(m)))
                                .status())
                .isEqualTo(200);
        JsonNode byName = http.get("/-/v1/search?text=searchable-widget&size=20&from=0").json();
        assertThat(byName.path("total").asInt()).isEqualTo(1);
        JsonNode pkg = byName.path("objects").get(0).path("package");
        assertThat(pkg.path("name").asText()).isEqualTo("searchable-widget");
        assertThat(pkg.path("version").asText()).isEqualTo("1.0.0");
        assertThat(pkg.path("description").asText()).isEqualTo("A frobnicating widget");
        assertThat(pkg.path("maintainers").get(0).path("username").asText()).isEqualTo("alice");
        assertThat(pkg.path("publisher").path("username").asText()).isEqualTo("alice");
        assertThat(pkg.path("keywords")).hasSize(2);
        assertThat(java.time.Instant.parse(pkg.path("date").asText())).isNotNull();
        assertThat(http.get("/-/v1/search?text=frobnicating+widget").json().path("total").asInt())
                .isEqualTo(1);
        assertThat(http.get("/-/v1/search?text=FROB").json().path("total").asInt()).isEqualTo(1);
        assertThat(http.get("/-/v1/search?text=zzzz-none").json().path("objects")).isEmpty();
        assertThat(http.get("/-/v1/search?text=widget&size=abc").status()).isEqualTo(400);
        assertThat(http.get("/-/v1/search?text=%25_").json().path("objects")).isEmpty();
    }

    @Test
    void bulkAdvisoriesAcceptPlainAndGzipBodies() throws Exception {
        byte[] body = "{\"left-pad\":[\"1.0.0\"]}".getBytes(StandardCharsets.UTF_8);
        Http.Result plain =
                http.post(
                        "/-/npm/v1/security/advisories/bulk",
                        null,
                        body,
                        Map.of("Content-Type", "application/json"));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.json().isObject()).isTrue();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(body);
        }
        Http.Result zipped =
                http.post(
                        "/-/npm/v1/security/advisories/bulk",
                        null,
                        gz.toByteArray(),
                        Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(zipped.status()).isEqualTo(200);
        assertThat(
                        http.post(
                                        "/-/npm/v1/security/advisories/bulk",
                                        null,
                                        body,
                                        Map.of("Content-Encoding", "gzip"))
                                .status())
                .isEqualTo(400);
        assertThat(
                        http.post(
                                        "/-/npm/v1/security/advisories/bulk",
                                        null,
                                        body,
                                        Map.of("Content-Encoding", "br"))
                                .status())
                .isEqualTo(415);
        assertThat(
                        http.post(
                                        "/-/npm/v1/security/advisories/bulk",
                                        null,
                                        "[]".getBytes(),
                                        Map.of())
                                .status())
                .isEqualTo(400);
    }

    @Test
    void manifestConfusionIsRecordedAndTheTarballWins() throws Exception {
        ObjectNode inTarball = Tarballs.manifest("confused-pkg", "1.0.0");
        inTarball.putObject("dependencies").put("evil-dep", "1.0.0");
        inTarball.putObject("scripts").put("install", "node steal.js");
        inTarball.put("bin", "./cli.js");
        byte[] tgz = Tarballs.packageTgz(inTarball);
        ObjectNode claimed = Tarballs.manifest("confused-pkg", "1.0.0");
        claimed.putObject("dependencies");
        ObjectNode body = Tarballs.publishBody(claimed, tgz);
        Http.Result r = http.put("/confused-pkg", alice, body);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("npm-notice"))
                .contains("dependencies")
                .contains("scripts")
                .contains("bin");
        JsonNode served = http.get("/confused-pkg").json().path("versions").path("1.0.0");
        assertThat(served.path("dependencies").path("evil-dep").asText()).isEqualTo("1.0.0");
        assertThat(served.path("scripts").path("install").asText()).isEqualTo("node steal.js");
        assertThat(served.path("hasInstallScript").asBoolean()).isTrue();
        assertThat(served.path("bin").path("confused-pkg").asText()).isEqualTo("cli.js");
        JsonNode recorded =
                TestServer.parse(
                        server.server()
                                .registry()
                                .differences("confused-pkg", "1.0.0")
                                .orElseThrow());
        assertThat(recorded.path("dependencies").path("tarball").path("evil-dep").asText())
                .isEqualTo("1.0.0");
        assertThat(recorded.path("dependencies").path("manifest").isNull()).isTrue();
    }

    private static byte[] json(Object value) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(value);
    }
}
