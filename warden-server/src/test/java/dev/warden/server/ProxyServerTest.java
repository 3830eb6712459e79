package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.common.Digests;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

/**
 * A Warden proxying another Warden (the upstream, a real registry with its own keys): upstream
 * names are served like local ones, local names win, a publish would not shadow an upstream name,
 * and the admin routes answer administrators only.
 */
class ProxyServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TestServer upstream;
    static TestServer proxy;
    static String upstreamOwner;
    static String localOwner;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestServer.start();
        upstreamOwner = upstream.token("ursula");
        for (String v : new String[] {"1.0.0", "1.1.0"}) {
            publish(upstream, "up-lib", v, upstreamOwner);
        }
        publish(upstream, "@ext/tool", "2.0.0", upstreamOwner);
        proxy = TestServer.startWithFile(config(upstream.url()), Map.of());
        localOwner = proxy.token("lola");
        proxy.server()
                .accounts()
                .createUser("root", "root@example.com", TestServer.password("root"), true);
        admin = proxy.token("root");
    }

    static String config(String upstreamUrl) {
        return """
        [[uplinks]]
        name = "up"
        url = "%s/"
        max_age_seconds = 0

        [proxy]
        internal_scopes = ["@inhouse"]
        """
                .formatted(upstreamUrl);
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
        upstream.close();
    }

    static void publish(TestServer s, String name, String version, String token) throws Exception {
        Http.Result r =
                s.http().put(Tarballs.path(name), token, Tarballs.publishBody(name, version));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void anUpstreamPackumentIsServedWithItsUplinkAndTarballsRewrittenHere() throws Exception {
        Http.Result r = proxy.http().get("/up-lib");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.response().headers().firstValue("Warden-Uplink").orElseThrow())
                .matches("up; state=fresh; checked=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode doc = r.json();
        assertThat(doc.path("dist-tags").path("latest").asText()).isEqualTo("1.1.0");
        assertThat(doc.path("versions").path("1.0.0").path("dist").path("tarball").asText())
                .isEqualTo(proxy.url() + "/up-lib/-/up-lib-1.0.0.tgz");
        // the abbreviated form too, and a scoped name as npm writes it
        Http.Result scoped = proxy.http().get("/@ext%2ftool", null, Tarballs.abbreviatedAccept());
        assertThat(scoped.status()).as(scoped.body()).isEqualTo(200);
        assertThat(scoped.json().path("versions").has("2.0.0")).isTrue();
    }

    @Test
    void anUpstreamTarballIsTheUpstreamsBytesAndItsVersionDocumentIsServed() throws Exception {
        JsonNode upstreamDoc = upstream.http().get("/up-lib").json();
        String integrity =
                upstreamDoc.path("versions").path("1.0.0").path("dist").path("integrity").asText();

        Http.Result tgz = proxy.http().get("/up-lib/-/up-lib-1.0.0.tgz");
        assertThat(tgz.status()).as(tgz.body()).isEqualTo(200);
        assertThat(Digests.sri512(Digests.digest("SHA-512", tgz.bytes()))).isEqualTo(integrity);
        // a second read is the same bytes (kept, not fetched again)
        assertThat(proxy.http().get("/up-lib/-/up-lib-1.0.0.tgz").bytes()).isEqualTo(tgz.bytes());

        Http.Result version = proxy.http().get("/up-lib/1.0.0");
        assertThat(version.status()).as(version.body()).isEqualTo(200);
        assertThat(version.json().path("dist").path("integrity").asText()).isEqualTo(integrity);
    }

    @Test
    void theKeysListHasThisRegistrysKeysThenTheUplinks() throws Exception {
        assertThat(proxy.http().get("/up-lib/-/up-lib-1.1.0.tgz").status()).isEqualTo(200);
        JsonNode own = upstream.http().get("/-/npm/v1/keys").json().path("keys");
        JsonNode keys = proxy.http().get("/-/npm/v1/keys").json().path("keys");
        String upstreamKey = own.get(0).path("keyid").asText();
        assertThat(keys.size()).isGreaterThanOrEqualTo(2);
        assertThat(keys.get(0).path("keyid").asText()).isNotEqualTo(upstreamKey);
        assertThat(keys.findValuesAsText("keyid")).contains(upstreamKey);
        assertThat(keys.findValuesAsText("keyid")).doesNotHaveDuplicates();
    }

    @Test
    void aNameNeitherHasIsNotFound() throws Exception {
        Http.Result r = proxy.http().get("/nobody-has-this");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").asText()).isEqualTo("package nobody-has-this not found");
        assertThat(proxy.http().get("/nobody-has-this/-/nobody-has-this-1.0.0.tgz").status())
                .isEqualTo(404);
        assertThat(proxy.http().get("/-/npm/v1/attestations/nobody-has-this@1.0.0").status())
                .isEqualTo(404);
    }

    @Test
    void aLocalNameWinsOverTheUplinks() throws Exception {
        publish(proxy, "both-have", "3.0.0", localOwner);
        publish(upstream, "both-have", "9.0.0", upstreamOwner);

        Http.Result r = proxy.http().get("/both-have");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.response().headers().firstValue("Warden-Uplink")).isEmpty();
        assertThat(r.json().path("versions").has("3.0.0")).isTrue();
        assertThat(r.json().path("versions").has("9.0.0")).isFalse();
        assertThat(proxy.http().get("/both-have/-/both-have-9.0.0.tgz").status()).isEqualTo(404);
    }

    @Test
    void aPublishThatWouldShadowAnUpstreamNameIsRefusedUnlessItsScopeIsInternal() throws Exception {
        Http.Result r =
                proxy.http()
                        .put(
                                Tarballs.path("up-lib"),
                                localOwner,
                                Tarballs.publishBody("up-lib", "5.0.0"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("error").asText())
                .isEqualTo(
                        "up-lib exists on uplink up; publishing it here would shadow it (declare"
                                + " its scope in proxy.internal_scopes to publish it here)");
        assertThat(proxy.http().get("/up-lib").response().headers().firstValue("Warden-Uplink"))
                .isPresent();

        publish(upstream, "@inhouse/core", "1.0.0", upstreamOwner);
        publish(proxy, "@inhouse/core", "0.1.0", localOwner);
        assertThat(proxy.http().get("/@inhouse%2fcore").json().path("versions").has("0.1.0"))
                .isTrue();
    }

    @Test
    void theAdminRoutesAnswerAdministratorsOnly() throws Exception {
        for (String path :
                new String[] {
                    "/-/warden/v1/proxy/events",
                    "/-/warden/v1/proxy/uplinks",
                    "/-/warden/v1/proxy/quarantines"
                }) {
            Http.Result anonymous = proxy.http().get(path);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            Http.Result user = proxy.http().get(path, localOwner, Map.of());
            assertThat(user.status()).as(path).isEqualTo(403);
            assertThat(user.json().path("error").asText())
                    .isEqualTo("only administrators may manage the upstream proxy");
            assertThat(proxy.http().get(path, admin, Map.of()).status()).as(path).isEqualTo(200);
        }
        Http.Result quarantine = quarantine(localOwner, "up-lib", "1.0.0", "bad");
        assertThat(quarantine.status()).isEqualTo(403);
        assertThat(
                        proxy.http()
                                .delete("/-/warden/v1/proxy/quarantines/up-lib/1.0.0", null)
                                .status())
                .isEqualTo(401);

        JsonNode uplinks = proxy.http().get("/-/warden/v1/proxy/uplinks", admin, Map.of()).json();
        assertThat(uplinks.path("uplinks").get(0).path("name").asText()).isEqualTo("up");
        assertThat(uplinks.path("uplinks").get(0).path("url").asText())
                .isEqualTo(upstream.url() + "/");
        assertThat(uplinks.path("uplinks").get(0).path("token").asBoolean()).isFalse();
    }

    @Test
    void aRecheckIsForAdministratorsNamesOneVersionAndNeedsAHold() throws Exception {
        String path = "/-/warden/v1/proxy/rechecks/up-lib/1.0.0";
        assertThat(proxy.http().post(path, null, new byte[0], Map.of()).status()).isEqualTo(401);
        Http.Result user = proxy.http().post(path, localOwner, new byte[0], Map.of());
        assertThat(user.status()).isEqualTo(403);
        assertThat(user.error()).isEqualTo("only administrators may manage the upstream proxy");

        Http.Result bad =
                proxy.http()
                        .post(
                                "/-/warden/v1/proxy/rechecks/up-lib/one",
                                admin,
                                new byte[0],
                                Map.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).startsWith("invalid version \"one\"");
        Http.Result every =
                proxy.http()
                        .post("/-/warden/v1/proxy/rechecks/up-lib/*", admin, new byte[0], Map.of());
        assertThat(every.status()).isEqualTo(400);
        assertThat(every.error()).isEqualTo("a re-check names one version (like 1.2.3), not \"*\"");

        Http.Result none = proxy.http().post(path, admin, new byte[0], Map.of());
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.error()).isEqualTo("up-lib@1.0.0 is not held here");
    }

    @Test
    void badInputToTheAdminRoutesIsA400WithTheReason() throws Exception {
        assertThat(error(quarantine(admin, "up-lib", "one", "bad")))
                .isEqualTo(
                        "invalid version \"one\": a version (like 1.2.3) or \"*\" for every"
                                + " version");
        assertThat(error(quarantine(admin, "bad name", "1.0.0", "bad")))
                .isEqualTo("invalid package name \"bad name\"");
        assertThat(error(quarantine(admin, "up-lib", "1.0.0", " ")))
                .isEqualTo(
                        "reason must be 1 to 1000 characters of text on one line: npm prints it"
                                + " to whoever installs");
        assertThat(error(quarantine(admin, "up-lib", "1.0.0", "two\nlines")))
                .startsWith("reason must be 1 to 1000 characters");
        Http.Result missing =
                proxy.http()
                        .post(
                                "/-/warden/v1/proxy/quarantines",
                                admin,
                                "{\"name\":\"up-lib\"}".getBytes(),
                                Map.of("Content-Type", "application/json"));
        assertThat(error(missing))
                .isEqualTo(
                        "body must be {\"name\": ..., \"version\": ... or \"*\", \"reason\": ...}:"
                                + " version is missing or not a string");
        Http.Result notJson =
                proxy.http()
                        .post(
                                "/-/warden/v1/proxy/quarantines",
                                admin,
                                "[1]".getBytes(),
                                Map.of("Content-Type", "application/json"));
        assertThat(notJson.status()).isEqualTo(400);
        Http.Result limit = proxy.http().get("/-/warden/v1/proxy/events?limit=x", admin, Map.of());
        assertThat(error(limit)).isEqualTo("query parameter limit must be a number");
        Http.Result lift =
                proxy.http().delete("/-/warden/v1/proxy/quarantines/up-lib/not-a-version", admin);
        assertThat(lift.status()).isEqualTo(400);
        Http.Result none =
                proxy.http().delete("/-/warden/v1/proxy/quarantines/up-lib/7.7.7", admin);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error").asText()).isEqualTo("no quarantine of up-lib@7.7.7");
    }

    @Test
    void aQuarantinedVersionIsRefusedWithItsReasonUntilLifted() throws Exception {
        publish(upstream, "to-quarantine", "1.0.0", upstreamOwner);
        assertThat(quarantine(admin, "to-quarantine", "1.0.0", "steals tokens").status())
                .isEqualTo(201);
        Http.Result refused = proxy.http().get("/to-quarantine/-/to-quarantine-1.0.0.tgz");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).contains("steals tokens");
        JsonNode listed =
                proxy.http().get("/-/warden/v1/proxy/quarantines", admin, Map.of()).json();
        assertThat(listed.path("quarantines").findValuesAsText("name")).contains("to-quarantine");

        Http.Result lifted =
                proxy.http().delete("/-/warden/v1/proxy/quarantines/to-quarantine/1.0.0", admin);
        assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
        assertThat(proxy.http().get("/to-quarantine/-/to-quarantine-1.0.0.tgz").status())
                .isEqualTo(200);
    }

    @Test
    void whenTheUplinkStopsTheCachedPackumentIsServedStale() throws Exception {
        TestServer down = TestServer.start();
        String token = down.token("ursula");
        publish(down, "soon-gone", "1.0.0", token);
        try (TestServer behind = TestServer.startWithFile(config(down.url()), Map.of())) {
            assertThat(behind.http().get("/soon-gone").status()).isEqualTo(200);
            assertThat(behind.http().get("/soon-gone/-/soon-gone-1.0.0.tgz").status())
                    .isEqualTo(200);
            down.close();
            Http.Result r = behind.http().get("/soon-gone");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.response().headers().firstValue("Warden-Uplink").orElseThrow())
                    .startsWith("up; state=stale; checked=");
            assertThat(behind.http().get("/soon-gone/-/soon-gone-1.0.0.tgz").status())
                    .isEqualTo(200);
            Http.Result never = behind.http().get("/never-fetched");
            assertThat(never.status()).isEqualTo(502);
            assertThat(never.json().path("error").asText())
                    .startsWith("uplink up could not be reached: ");
        }
    }

    private static Http.Result quarantine(String token, String name, String version, String reason)
            throws Exception {
        return proxy.http()
                .post(
                        "/-/warden/v1/proxy/quarantines",
                        token,
                        JSON.writeValueAsBytes(
                                Map.of("name", name, "version", version, "reason", reason)),
                        Map.of("Content-Type", "application/json"));
    }

    private static String error(Http.Result r) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().path("error").asText();
    }

    static URI uri(String s) {
        return URI.create(s);
    }
}
