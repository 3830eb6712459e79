package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.common.Digests;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.LogReader;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Everything about a restricted package answers, to anyone who may not read it, exactly as for a
 * package that does not exist; the public log holds commitments its readers can open and nobody
 * else can read.
 */
class PrivatePackageTest {

    static TestServer server;
    static Http http;
    static String olga;
    static String mallory;
    static String integrity;
    static long publishIndex;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        olga = server.token("olga");
        mallory = server.token("mallory");
        ObjectNode body = Tarballs.publishBody("@olga/secret", "1.0.0");
        body.put("access", "restricted");
        integrity = body.path("versions").path("1.0.0").path("dist").path("integrity").asText();
        Http.Result published = http.put("/@olga%2fsecret", olga, body);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        publishIndex = published.json().path("logIndex").asLong();
        assertThat(
                        http.put(
                                        "/@olga%2fpublic",
                                        olga, Tarballs.publishBody("@olga/public", "1.0.0"))
                                .status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void governanceSuccessionImpactAndThePageOfARestrictedPackageAreNotFoundByOthers()
            throws Exception {
        for (String path :
                List.of(
                        "/-/package/%s/governance",
                        "/-/package/%s/succession",
                        "/-/package/%s/impact",
                        "/-/package/%s/log",
                        "/-/web/package/%s")) {
            Http.Result missing = http.get(path.formatted("@olga%2fnothing"), mallory, Map.of());
            assertThat(missing.status()).as(path).isEqualTo(404);
            for (String token : new String[] {null, mallory}) {
                Http.Result secret = http.get(path.formatted("@olga%2fsecret"), token, Map.of());
                assertThat(secret.status())
                        .as(path + " as " + (token == null ? "anonymous" : "mallory"))
                        .isEqualTo(404);
                // the same answer as for a name that does not exist, with the name in its place
                assertThat(secret.body().replace("secret", "nothing"))
                        .as(path)
                        .isEqualTo(missing.body());
            }
            if (path.startsWith(
                    "/-/package/")) { // (the web page reads its visitor from a browser session, not
                // a token)
                assertThat(http.get(path.formatted("@olga%2fsecret"), olga, Map.of()).status())
                        .as(path + " as its maintainer")
                        .isEqualTo(200);
            }
        }
        Http.Result claim =
                http.post("/-/package/@olga%2fsecret/claim", mallory, new byte[0], Map.of());
        Http.Result claimMissing =
                http.post("/-/package/@olga%2fnothing/claim", mallory, new byte[0], Map.of());
        assertThat(claim.status()).isEqualTo(claimMissing.status());
        assertThat(claim.body().replace("secret", "nothing")).isEqualTo(claimMissing.body());
    }

    @Test
    void writesToARestrictedPackageByOthersAreNotFoundEither() throws Exception {
        for (String[] req :
                List.of(
                        new String[] {"GET", "/-/package/%s/trust"},
                        new String[] {"PUT", "/-/package/%s/dist-tags/beta"},
                        new String[] {"PUT", "/-/package/%s/governance"},
                        new String[] {"POST", "/-/package/%s/access"})) {
            Http.Result missing =
                    http.send(
                            req[0],
                            req[1].formatted("@olga%2fnothing"),
                            mallory,
                            "\"1.0.0\"".getBytes(StandardCharsets.UTF_8),
                            Map.of("Content-Type", "application/json"));
            Http.Result secret =
                    http.send(
                            req[0],
                            req[1].formatted("@olga%2fsecret"),
                            mallory,
                            "\"1.0.0\"".getBytes(StandardCharsets.UTF_8),
                            Map.of("Content-Type", "application/json"));
            assertThat(secret.status()).as(String.join(" ", req)).isEqualTo(missing.status());
            assertThat(secret.body().replace("secret", "nothing"))
                    .as(String.join(" ", req))
                    .isEqualTo(missing.body());
        }
        // a publish too: the scope's rule answers as it would for a name nobody has
        Http.Result publishMissing =
                http.put(
                        "/@olga%2fnothing",
                        mallory, Tarballs.publishBody("@olga/nothing", "9.0.0"));
        Http.Result publishSecret =
                http.put("/@olga%2fsecret", mallory, Tarballs.publishBody("@olga/secret", "9.0.0"));
        assertThat(publishSecret.status()).isEqualTo(publishMissing.status()).isEqualTo(403);
        assertThat(publishSecret.body().replace("secret", "nothing"))
                .isEqualTo(publishMissing.body());
        // a refused change of access changes nothing, not even what anonymous readers are served
        assertThat(http.get("/@olga%2fpublic").status()).isEqualTo(200);
        Http.Result hide =
                http.post(
                        "/-/package/@olga%2fpublic/access",
                        mallory,
                        "{\"access\":\"restricted\"}".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"));
        assertThat(hide.status()).isEqualTo(403);
        assertThat(hide.error()).contains("you are not a maintainer of @olga/public");
        assertThat(http.get("/@olga%2fpublic").status()).isEqualTo(200);
        // stars show only what the reader may see
        ObjectNode star = TestServer.parse("{}").deepCopy();
        star.put("_id", "@olga/secret");
        star.put(
                "_rev",
                http.get("/@olga%2fsecret?write=true", olga, Map.of())
                        .json()
                        .path("_rev")
                        .asText());
        star.putObject("users").put("olga", true);
        assertThat(http.put("/@olga%2fsecret", olga, star).status()).isEqualTo(200);
        assertThat(
                        http.get("/-/_view/starredByUser?key=%22olga%22", olga, Map.of())
                                .json()
                                .path("rows"))
                .hasSize(1);
        assertThat(
                        http.get("/-/_view/starredByUser?key=%22olga%22", mallory, Map.of())
                                .json()
                                .path("rows"))
                .isEmpty();

        // a token of olga's limited to her public package reads nothing of the restricted one
        Http.Result made =
                http.post(
                        "/-/npm/v1/tokens",
                        olga,
                        TestServer.parse(
                                        "{\"password\":\""
                                                + TestServer.password("olga")
                                                + "\",\"packages\":[\"@olga/public\"],\"packages_and_scopes_permission\":\"read-only\"}")
                                .toString()
                                .getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"));
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String limited = made.json().path("token").asText();
        assertThat(http.get("/@olga%2fsecret", limited, Map.of()).status()).isEqualTo(404);
        assertThat(http.get("/-/package/@olga%2fsecret/log", limited, Map.of()).status())
                .isEqualTo(404);
        assertThat(http.get("/@olga%2fpublic", limited, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void aStagedFirstReleaseAndAnOrgGrantOfARestrictedPackageAreCommitmentsToo() throws Exception {
        ObjectNode staged = Tarballs.publishBody("@olga/unborn", "1.0.0");
        staged.put("access", "restricted");
        assertThat(
                        http.post(
                                        "/-/stage/package/@olga%2funborn",
                                        olga,
                                        staged.toString().getBytes(StandardCharsets.UTF_8),
                                        Map.of("Content-Type", "application/json"))
                                .status())
                .isEqualTo(200);
        assertThat(
                        http.post(
                                        "/-/warden/v1/orgs",
                                        olga,
                                        "{\"name\":\"privco\"}".getBytes(StandardCharsets.UTF_8),
                                        Map.of())
                                .status())
                .isEqualTo(201);
        ObjectNode hidden = Tarballs.publishBody("@privco/hidden", "1.0.0");
        hidden.put("access", "restricted");
        assertThat(http.put("/@privco%2fhidden", olga, hidden).status()).isEqualTo(200);
        assertThat(
                        http.send(
                                        "PUT",
                                        "/-/org/privco/team",
                                        olga,
                                        "{\"name\":\"devs\"}".getBytes(StandardCharsets.UTF_8),
                                        Map.of())
                                .status())
                .isEqualTo(201);
        assertThat(
                        http.send(
                                        "PUT",
                                        "/-/team/privco/devs/package",
                                        olga,
                                        "{\"package\":\"@privco/hidden\",\"permissions\":\"read-only\"}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        Map.of())
                                .status())
                .isEqualTo(200);
        List<JsonNode> log = LogReader.statements(http);
        assertThat(log).noneSatisfy(st -> assertThat(st.toString()).contains("@olga/unborn"));
        assertThat(log).noneSatisfy(st -> assertThat(st.toString()).contains("@privco/hidden"));
        assertThat(log)
                .anySatisfy(
                        st -> assertThat(st.path("kind").asText()).isEqualTo("org.team-created"));
    }

    @Test
    void thePublicLogCommitsToARestrictedPackagesChangesWithoutNamingThem() throws Exception {
        List<JsonNode> log = LogReader.statements(http);
        for (JsonNode statement : log) {
            assertThat(statement.toString())
                    .doesNotContain("@olga/secret")
                    .doesNotContain(integrity);
        }
        JsonNode entry = log.get((int) publishIndex);
        assertThat(entry.path("kind").asText()).isEqualTo("commitment");
        assertThat(entry.fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("kind", "seq", "registry", "commitment");
        // the public package's publish is logged whole, as before
        assertThat(log)
                .anySatisfy(s -> assertThat(s.path("package").asText()).isEqualTo("@olga/public"));

        // its reader gets the key and the statements, and each opens its entry
        JsonNode openings = http.get("/-/package/@olga%2fsecret/log", olga, Map.of()).json();
        byte[] key = Base64.getDecoder().decode(openings.path("key").asText());
        JsonNode publish = openings.path("entries").get(0);
        assertThat(publish.path("logIndex").asLong()).isEqualTo(publishIndex);
        JsonNode statement = TestServer.parse(publish.path("statement").asText());
        assertThat(statement.path("kind").asText()).isEqualTo("package.published");
        assertThat(statement.path("integrity").asText()).isEqualTo(integrity);
        assertThat(statement.path("actor").asText()).isEqualTo("olga");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        String opened =
                "hmac-sha256:"
                        + Digests.hex(
                                mac.doFinal(
                                        publish.path("statement")
                                                .asText()
                                                .getBytes(StandardCharsets.UTF_8)));
        assertThat(entry.path("commitment").asText()).isEqualTo(opened);
        assertThat(entry.path("seq").asLong()).isEqualTo(statement.path("seq").asLong());
        // and the key of one package opens nothing else: the public package's statements need none
        assertThat(http.get("/-/package/@olga%2fpublic/log", olga, Map.of()).json().has("key"))
                .isFalse();
    }
}
