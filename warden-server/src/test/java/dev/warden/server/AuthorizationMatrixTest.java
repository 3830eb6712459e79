package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every write endpoint against every kind of credential: none, malformed, forged, expired, revoked,
 * read-only, limited to another package, another user's, and one used from outside its network.
 * Each is refused with the status npm explains, and nothing changes.
 */
class AuthorizationMatrixTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static Http http;
    static String owner;
    static Map<String, Object> badCredentials = new LinkedHashMap<>();

    /** A write request against package {@code pkg}. */
    record Endpoint(
            String name,
            String method,
            Function<String, String> path,
            Function<String, byte[]> body) {}

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        http = server.http();
        owner = server.token("owner");
        String other = server.token("stranger");
        var accounts = server.server().accounts();
        String expired =
                accounts.issue("owner", false, Instant.now().minusSeconds(5), List.of()).secret();
        String revoked = accounts.issue("owner", false, null, List.of()).secret();
        accounts.revoke(revoked);
        String readOnly = accounts.issue("owner", true, null, List.of()).secret();
        String fenced = accounts.issue("owner", false, null, List.of("10.1.2.0/24")).secret();
        String limited =
                accounts.createToken(
                                new dev.warden.accounts.Principal("owner", false, null),
                                new dev.warden.accounts.Accounts.TokenRequest(
                                        "limited",
                                        null,
                                        false,
                                        null,
                                        List.of(),
                                        new dev.warden.accounts.Principal.TokenLimits(
                                                List.of("some-other-pkg"), List.of()),
                                        false),
                                null)
                        .secret();
        badCredentials.put("none", new Object[] {null, 401});
        badCredentials.put("malformed", new Object[] {"Bearer", 401});
        badCredentials.put("forged", new Object[] {"Bearer wdn_" + "A".repeat(30) + "AAAAAA", 401});
        badCredentials.put("expired", new Object[] {"Bearer " + expired, 401});
        badCredentials.put("revoked", new Object[] {"Bearer " + revoked, 401});
        badCredentials.put("read-only", new Object[] {"Bearer " + readOnly, 403});
        badCredentials.put("other package", new Object[] {"Bearer " + limited, 403});
        badCredentials.put("other user", new Object[] {"Bearer " + other, 403});
        badCredentials.put("outside its network", new Object[] {"Bearer " + fenced, 403});
        String ciToken =
                accounts.issuePublishToken(
                                "some-other-pkg",
                                "oidc:matrix",
                                List.of("createPackage"),
                                "{\"id\":\"github\"}",
                                "matrix-id-token",
                                Instant.now().plusSeconds(300))
                        .secret();
        badCredentials.put("CI token of another package", new Object[] {"Bearer " + ciToken, 403});
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static byte[] json(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode doc(String pkg) {
        try {
            return (ObjectNode) http.get("/" + pkg + "?write=true").json();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rev(String pkg) {
        return doc(pkg).path("_rev").asText();
    }

    static List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        e.add(
                new Endpoint(
                        "publish",
                        "PUT",
                        p -> "/" + p,
                        p -> json(Tarballs.publishBody(p, "2.0.0"))));
        e.add(
                new Endpoint(
                        "deprecate",
                        "PUT",
                        p -> "/" + p,
                        p -> {
                            ObjectNode d = doc(p);
                            ((ObjectNode) d.path("versions").path("1.0.0"))
                                    .put("deprecated", "gone");
                            return json(d);
                        }));
        e.add(
                new Endpoint(
                        "owner add",
                        "PUT",
                        p -> "/" + p + "/-rev/" + rev(p),
                        p -> {
                            ObjectNode d = doc(p);
                            d.putArray("maintainers").add("owner").add("stranger");
                            return json(d);
                        }));
        e.add(
                new Endpoint(
                        "unpublish version",
                        "PUT",
                        p -> "/" + p + "/-rev/" + rev(p),
                        p -> {
                            ObjectNode d = doc(p);
                            ((ObjectNode) d.path("versions")).remove("1.0.1");
                            return json(d);
                        }));
        e.add(
                new Endpoint(
                        "unpublish package",
                        "DELETE",
                        p -> "/" + p + "/-rev/" + rev(p),
                        p -> null));
        e.add(
                new Endpoint(
                        "dist-tag add",
                        "PUT",
                        p -> "/-/package/" + p + "/dist-tags/beta",
                        p -> json("1.0.0")));
        e.add(
                new Endpoint(
                        "dist-tag rm",
                        "DELETE",
                        p -> "/-/package/" + p + "/dist-tags/old",
                        p -> null));
        e.add(
                new Endpoint(
                        "access",
                        "POST",
                        p -> "/-/package/" + p + "/access",
                        p -> json(Map.of("publish_requires_tfa", false))));
        return e;
    }

    @Test
    void everyPackageWriteRefusesEveryBadCredential() throws Exception {
        int n = 0;
        for (Endpoint e : endpoints()) {
            String pkg = "matrix-" + n++;
            assertThat(http.put("/" + pkg, owner, Tarballs.publishBody(pkg, "1.0.0")).status())
                    .isEqualTo(200);
            assertThat(http.put("/" + pkg, owner, Tarballs.publishBody(pkg, "1.0.1")).status())
                    .isEqualTo(200);
            assertThat(http.put("/-/package/" + pkg + "/dist-tags/old", owner, "1.0.0").status())
                    .isEqualTo(200);
            for (Map.Entry<String, Object> c : badCredentials.entrySet()) {
                Object[] cred = (Object[]) c.getValue();
                String before = http.get("/" + pkg).body();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                if (cred[0] != null) {
                    headers.put("Authorization", (String) cred[0]);
                }
                Http.Result r =
                        http.send(
                                e.method(),
                                e.path().apply(pkg),
                                null,
                                e.body().apply(pkg),
                                headers);
                assertThat(r.status())
                        .as(e.name() + " with " + c.getKey() + ": " + r.body())
                        .isEqualTo(cred[1]);
                assertThat(r.error()).as(e.name() + " with " + c.getKey()).isNotBlank();
                assertThat(http.get("/" + pkg).body())
                        .as(e.name() + " with " + c.getKey() + " changed the package")
                        .isEqualTo(before);
            }
            String before = http.get("/" + pkg).body();
            Http.Result ok =
                    http.send(
                            e.method(),
                            e.path().apply(pkg),
                            owner,
                            e.body().apply(pkg),
                            Map.of("Content-Type", "application/json"));
            assertThat(ok.status()).as(e.name() + " by the owner: " + ok.body()).isEqualTo(200);
            assertThat(http.get("/" + pkg).body())
                    .as(e.name() + " by the owner changed nothing")
                    .isNotEqualTo(before);
        }
    }

    @Test
    void accountWritesRefuseBadCredentials() throws Exception {
        String key = server.server().accounts().tokens("owner").get(0).key();
        List<Endpoint> account =
                List.of(
                        new Endpoint(
                                "token create",
                                "POST",
                                p -> "/-/npm/v1/tokens",
                                p -> json(Map.of("password", TestServer.password("owner")))),
                        new Endpoint(
                                "token revoke",
                                "DELETE",
                                p -> "/-/npm/v1/tokens/token/" + key,
                                p -> null),
                        new Endpoint(
                                "email change",
                                "POST",
                                p -> "/-/npm/v1/user",
                                p -> json(Map.of("email", "x@example.com"))));
        int tokensBefore = server.server().accounts().tokens("owner").size();
        for (Endpoint e : account) {
            for (Map.Entry<String, Object> c : badCredentials.entrySet()) {
                Object[] cred = (Object[]) c.getValue();
                if (c.getKey().equals("other package") || c.getKey().equals("other user")) {
                    continue; // these act on their own account, which is allowed
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                if (cred[0] != null) {
                    headers.put("Authorization", (String) cred[0]);
                }
                Http.Result r =
                        http.send(
                                e.method(),
                                e.path().apply(null),
                                null,
                                e.body().apply(null),
                                headers);
                assertThat(r.status())
                        .as(e.name() + " with " + c.getKey() + ": " + r.body())
                        .isEqualTo(cred[1]);
            }
        }
        assertThat(server.server().accounts().tokens("owner")).hasSize(tokensBefore);
        assertThat(server.server().accounts().user("owner").orElseThrow().email())
                .isEqualTo("owner@example.com");
        // another user's token cannot revoke the owner's token
        String stranger = server.token("stranger");
        assertThat(http.delete("/-/npm/v1/tokens/token/" + key, stranger).status()).isEqualTo(404);
        assertThat(server.server().accounts().tokens("owner")).hasSize(tokensBefore);
    }
}
