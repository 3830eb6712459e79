package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.LogReader;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Private advisories over HTTP: who may read and change a draft (a matrix in which every refusal
 * names its reason and changes nothing), bad input, publishing with a second factor, the OSV routes
 * and the audit endpoints before and after a withdrawal.
 */
class AdvisoryApiTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "/-/warden/v1/advisories";

    MovableClock clock;
    TestServer server;
    Http http;
    Maintainers m;
    String readOnly;
    String limited;
    String admin;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        m = new Maintainers(server, clock);
        for (String u : List.of("alice", "rita", "uma", "oscar")) {
            m.join(u);
        }
        for (String v : List.of("1.0.0", "1.3.0", "1.4.2")) {
            publish("alice", "adv-lib", v);
        }
        publish("oscar", "other-lib", "1.0.0");
        Accounts accounts = server.server().accounts();
        readOnly = accounts.issue("alice", true, null, List.of()).secret();
        limited =
                accounts.createToken(
                                new Principal("alice", false, null),
                                new Accounts.TokenRequest(
                                        "limited",
                                        null,
                                        false,
                                        null,
                                        List.of(),
                                        new Principal.TokenLimits(List.of("other-lib"), List.of()),
                                        false),
                                null)
                        .secret();
        accounts.createUser("root", "root@example.com", TestServer.password("root"), true);
        admin = accounts.issue("root", false, null, List.of()).secret();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    void publish(String user, String pkg, String version) throws Exception {
        Http.Result r =
                m.send("PUT", Tarballs.path(pkg), user, Tarballs.publishBody(pkg, version), false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    static Map<String, Object> draftBody() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("package", "adv-lib");
        b.put("affected", "<1.4.2");
        b.put("severity", "high");
        b.put("summary", "Prototype pollution in merge()");
        b.put("details", "A crafted `__proto__` key. <script>alert(1)</script>");
        b.put("patched", "1.4.2");
        b.put("references", List.of("https://example.invalid/report"));
        return b;
    }

    String draft() throws Exception {
        Http.Result r = m.send("POST", BASE, "alice", draftBody(), false);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asText();
    }

    /** A request with a raw token (null: anonymous) and, if {@code otpOf} is given, their OTP. */
    Http.Result as(String token, String method, String path, Object body, String otpOf)
            throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (otpOf != null) {
            headers.put("npm-otp", m.otp(otpOf));
        }
        byte[] bytes = body == null ? null : JSON.writeValueAsBytes(body);
        return http.send(method, path, token, bytes, headers);
    }

    /** One kind of caller: a credential, whose authenticator (if any), and what they expect. */
    record Caller(
            String name, String token, String otpOf, int read, boolean listed, Refusal write) {}

    /** A refused change: its status and the reason it names. */
    record Refusal(int status, String reason) {}

    @Test
    void whoMayReadAndChangeADraft() throws Exception {
        String id = draft();
        assertThat(m.send("PUT", BASE + "/" + id + "/invites/rita", "alice", null, false).status())
                .isEqualTo(200);
        assertThat(m.send("PUT", BASE + "/" + id + "/invites/uma", "alice", null, false).status())
                .isEqualTo(200);
        assertThat(
                        m.send("DELETE", BASE + "/" + id + "/invites/uma", "alice", null, false)
                                .status())
                .isEqualTo(200);
        Refusal hidden = new Refusal(404, "there is no advisory draft " + id);
        List<Caller> callers =
                List.of(
                        new Caller("maintainer", m.token("alice"), "alice", 200, true, null),
                        new Caller(
                                "invited",
                                m.token("rita"),
                                "rita",
                                200,
                                true,
                                new Refusal(403, "only maintainers of adv-lib may")),
                        new Caller(
                                "invited, then uninvited",
                                m.token("uma"),
                                "uma",
                                404,
                                false,
                                hidden),
                        new Caller(
                                "maintainer of another package",
                                m.token("oscar"),
                                "oscar",
                                404,
                                false,
                                hidden),
                        new Caller("admin", admin, null, 404, false, hidden),
                        new Caller(
                                "anonymous",
                                null,
                                null,
                                404,
                                false,
                                new Refusal(401, "you must be logged in")),
                        new Caller(
                                "read-only token",
                                readOnly,
                                "alice",
                                200,
                                true,
                                new Refusal(403, "this token is read-only")),
                        new Caller(
                                "token limited to another package",
                                limited,
                                "alice",
                                404,
                                false,
                                hidden));
        JsonNode before = m.send("GET", BASE + "/" + id, "alice", null, false).json();
        for (Caller c : callers) {
            Http.Result read = as(c.token(), "GET", BASE + "/" + id, null, null);
            assertThat(read.status()).as(c.name() + " reads").isEqualTo(c.read());
            if (c.read() == 404) {
                assertThat(read.error()).as(c.name()).isEqualTo(hidden.reason());
            } else {
                assertThat(read.json().path("summary").asText())
                        .isEqualTo("Prototype pollution in merge()");
            }
            Http.Result list = as(c.token(), "GET", BASE, null, null);
            if (c.token() == null) {
                assertThat(list.status()).isEqualTo(401);
            } else {
                assertThat(list.body().contains(id)).as(c.name() + " lists").isEqualTo(c.listed());
            }
            if (c.write() == null) {
                continue;
            }
            Map<String, Object[]> writes = new LinkedHashMap<>();
            writes.put("edit", new Object[] {"PATCH", "", Map.of("severity", "low"), false});
            writes.put("invite", new Object[] {"PUT", "/invites/oscar", null, false});
            writes.put("uninvite", new Object[] {"DELETE", "/invites/rita", null, false});
            writes.put("publish", new Object[] {"POST", "/publish", null, true});
            writes.put("withdraw", new Object[] {"POST", "/withdraw", null, true});
            if (!c.name().equals("invited")) {
                writes.put(
                        "comment", new Object[] {"POST", "/comments", Map.of("text", "hi"), false});
            }
            for (var w : writes.entrySet()) {
                Object[] v = w.getValue();
                boolean otp = (Boolean) v[3] && c.otpOf() != null;
                Http.Result r =
                        as(
                                c.token(),
                                (String) v[0],
                                BASE + "/" + id + v[1],
                                v[2],
                                otp ? c.otpOf() : null);
                Refusal expected = c.write();
                if (w.getKey().equals("publish") || w.getKey().equals("withdraw")) {
                    if (c.name().equals("admin")) {
                        // no 2FA: refused before the draft is looked at, whatever the id
                        expected = new Refusal(403, "requires two-factor authentication");
                    }
                }
                assertThat(r.status()).as(c.name() + " " + w.getKey()).isEqualTo(expected.status());
                assertThat(r.error()).as(c.name() + " " + w.getKey()).contains(expected.reason());
            }
        }
        assertThat(m.send("GET", BASE + "/" + id, "alice", null, false).json()).isEqualTo(before);
        assertThat(zipEntries()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithItsReasonAndNothingIsStored() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        bodies.add(with("affected", ">1.0.0"));
        cases.put("0", "has a start that excludes its version");
        bodies.add(with("affected", "not a range"));
        cases.put("1", "is not an npm semver range");
        bodies.add(with("severity", "urgent"));
        cases.put("2", "severity must be low, moderate, high or critical");
        bodies.add(with("summary", "x".repeat(201)));
        cases.put("3", "'summary' is longer than 200 characters");
        bodies.add(with("summary", "two\nlines"));
        cases.put("4", "one line");
        bodies.add(with("details", "x".repeat(64 * 1024 + 1)));
        cases.put("5", "'details' is longer than 65536 characters");
        bodies.add(with("cvss", "9.8"));
        cases.put("6", "unknown field 'cvss'");
        bodies.add(with("patched", "1.9.9"));
        cases.put("7", "patched version 1.9.9 of adv-lib is not published");
        bodies.add(with("patched", "1.3.0"));
        cases.put("8", "patched version 1.3.0 is not above the affected versions '<1.4.2'");
        bodies.add(with("references", List.of("javascript:alert(1)")));
        cases.put("9", "is not an http(s) URL with a host");
        bodies.add(with("summary", null));
        cases.put("10", "'summary' is required");
        for (int i = 0; i < bodies.size(); i++) {
            Http.Result r = m.send("POST", BASE, "alice", bodies.get(i), false);
            assertThat(r.status()).as(cases.get("" + i)).isEqualTo(400);
            assertThat(r.error()).contains(cases.get("" + i));
        }
        Http.Result notJson =
                m.send("POST", BASE, "alice", "{".getBytes(StandardCharsets.UTF_8), false);
        assertThat(notJson.status()).isEqualTo(400);
        // another's package, and one that does not exist, are refused alike
        for (String pkg : List.of("other-lib", "no-such-lib")) {
            Http.Result r = m.send("POST", BASE, "alice", with("package", pkg), false);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error())
                    .isEqualTo("only maintainers of " + pkg + " may draft advisories about it");
        }
        assertThat(m.send("GET", BASE, "alice", null, false).json()).isEmpty();

        String id = draft();
        for (String forged : List.of(UUID.randomUUID().toString(), "..%2f..%2fetc", "1")) {
            Http.Result r = m.send("GET", BASE + "/" + forged, "alice", null, false);
            assertThat(r.status()).as(forged).isEqualTo(404);
            assertThat(r.error()).startsWith("there is no advisory draft");
        }
        JsonNode before = m.send("GET", BASE + "/" + id, "alice", null, false).json();
        Http.Result unknownUser =
                m.send("PUT", BASE + "/" + id + "/invites/nobody", "alice", null, false);
        assertThat(unknownUser.status()).isEqualTo(404);
        assertThat(unknownUser.error()).isEqualTo("there is no user nobody to invite");
        Http.Result badUser =
                m.send("PUT", BASE + "/" + id + "/invites/Bad%20Name", "alice", null, false);
        assertThat(badUser.status()).isEqualTo(400);
        assertThat(badUser.error()).contains("is not a user name");
        Http.Result packageChange =
                m.send("PATCH", BASE + "/" + id, "alice", Map.of("package", "other-lib"), false);
        assertThat(packageChange.status()).isEqualTo(400);
        assertThat(packageChange.error()).contains("a draft's package cannot change");
        Http.Result emptyComment =
                m.send("POST", BASE + "/" + id + "/comments", "alice", Map.of("text", " "), false);
        assertThat(emptyComment.status()).isEqualTo(400);
        assertThat(emptyComment.error()).isEqualTo("a comment has text");
        Http.Result longComment =
                m.send(
                        "POST",
                        BASE + "/" + id + "/comments",
                        "alice",
                        Map.of("text", "x".repeat(16 * 1024 + 1)),
                        false);
        assertThat(longComment.status()).isEqualTo(400);
        assertThat(longComment.error()).contains("a comment is at most 16384 characters");
        Http.Result extraField =
                m.send(
                        "POST",
                        BASE + "/" + id + "/comments",
                        "alice",
                        Map.of("text", "x", "html", true),
                        false);
        assertThat(extraField.status()).isEqualTo(400);
        assertThat(m.send("GET", BASE + "/" + id, "alice", null, false).json()).isEqualTo(before);
    }

    static Map<String, Object> with(String field, Object value) {
        Map<String, Object> b = draftBody();
        b.put(field, value);
        return b;
    }

    @Test
    void aDraftIsDiscussedPublishedWithASecondFactorServedAsOsvAndWithdrawn() throws Exception {
        String id = draft();
        m.send("PUT", BASE + "/" + id + "/invites/rita", "alice", null, false);
        Http.Result said =
                m.send(
                        "POST",
                        BASE + "/" + id + "/comments",
                        "rita",
                        Map.of("text", "Also reachable through <b>clone()</b>."),
                        false);
        assertThat(said.status()).isEqualTo(200);
        assertThat(said.json().path("comments").get(0).path("user").asText()).isEqualTo("rita");
        assertThat(said.json().path("role").asText()).isEqualTo("invited");
        Http.Result edited =
                m.send("PATCH", BASE + "/" + id, "alice", Map.of("severity", "critical"), false);
        assertThat(edited.json().path("severity").asText()).isEqualTo("critical");
        assertThat(edited.json().path("comments").get(0).path("text").asText())
                .isEqualTo("Also reachable through <b>clone()</b>.");

        Http.Result noOtp = m.send("POST", BASE + "/" + id + "/publish", "alice", null, false);
        assertThat(noOtp.status()).isEqualTo(401);
        assertThat(noOtp.header("WWW-Authenticate")).isEqualTo("OTP");
        assertThat(
                        m.send("GET", BASE + "/" + id, "alice", null, false)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("draft");

        Http.Result published = m.send("POST", BASE + "/" + id + "/publish", "alice", null, true);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        String osvId = published.json().path("osvId").asText();
        int year = clock.instant().atZone(java.time.ZoneOffset.UTC).getYear();
        assertThat(osvId).isEqualTo("x_WARDEN-" + year + "-1");
        assertThat(published.header("Warden-Log-Index")).isNotNull();
        assertThat(LogReader.statements(http))
                .anyMatch(
                        s ->
                                s.path("kind").asText().equals("advisory.published")
                                        && s.path("advisory").asText().equals(osvId)
                                        && s.path("package").asText().equals("adv-lib")
                                        && s.path("actor").asText().equals("alice"));

        Http.Result osv = http.get("/-/osv/" + osvId);
        assertThat(osv.status()).isEqualTo(200);
        assertThat(osv.header("Content-Type")).startsWith("application/json");
        JsonNode record = osv.json();
        assertThat(record.path("database_specific").path("severity").asText())
                .isEqualTo("CRITICAL");
        assertThat(record.path("affected").get(0).path("ranges").get(0).path("events").toString())
                .isEqualTo("[{\"introduced\":\"0\"},{\"fixed\":\"1.4.2\"}]");
        assertThat(record.path("details").asText()).contains("<script>alert(1)</script>");
        assertThat(http.get("/-/osv/" + osvId + ".json").json()).isEqualTo(record);
        assertThat(http.get("/-/osv/x_WARDEN-" + year + "-2").status()).isEqualTo(404);

        Http.Result late =
                m.send("PATCH", BASE + "/" + id, "alice", Map.of("severity", "low"), false);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.error()).contains("was published as " + osvId);

        assertThat(bulk("{\"adv-lib\":[\"1.3.0\"],\"other-lib\":[\"1.0.0\"]}").toString())
                .isEqualTo(
                        "{\"adv-lib\":[{\"id\":\""
                                + osvId
                                + "\",\"url\":\""
                                + server.url()
                                + "/-/osv/"
                                + osvId
                                + "\",\"title\":\"Prototype pollution in merge()\","
                                + "\"severity\":\"critical\",\"vulnerable_versions\":\"<1.4.2\","
                                + "\"cwe\":[],\"cvss\":{\"score\":0,\"vectorString\":null}}]}");
        assertThat(bulk("{\"adv-lib\":[\"1.4.2\"]}")).isEmpty();

        JsonNode quick =
                quick(
                        "{\"name\":\"app\",\"version\":\"1.0.0\",\"requires\":{},\"dependencies\":{"
                                + "\"adv-lib\":{\"version\":\"1.3.0\",\"dev\":false},"
                                + "\"tool\":{\"version\":\"2.0.0\",\"dev\":true,\"dependencies\":{"
                                + "\"adv-lib\":{\"version\":\"1.0.0\",\"dev\":true}}}}}");
        JsonNode advisory = quick.path("advisories").elements().next();
        assertThat(advisory.path("module_name").asText()).isEqualTo("adv-lib");
        assertThat(advisory.path("severity").asText()).isEqualTo("critical");
        assertThat(advisory.path("vulnerable_versions").asText()).isEqualTo("<1.4.2");
        assertThat(advisory.path("patched_versions").asText()).isEqualTo(">=1.4.2");
        assertThat(advisory.path("findings").toString())
                .isEqualTo(
                        "[{\"version\":\"1.3.0\",\"paths\":[\"adv-lib\"]},"
                                + "{\"version\":\"1.0.0\",\"paths\":[\"tool>adv-lib\"]}]");
        assertThat(quick.path("metadata").path("vulnerabilities").path("critical").asInt())
                .isEqualTo(1);
        assertThat(quick.path("metadata").path("totalDependencies").asInt()).isEqualTo(3);
        assertThat(quick.path("metadata").path("devDependencies").asInt()).isEqualTo(2);
        assertThat(zipEntries()).containsExactly(osvId + ".json");

        Http.Result noOtpWithdraw =
                m.send("POST", BASE + "/" + id + "/withdraw", "alice", null, false);
        assertThat(noOtpWithdraw.status()).isEqualTo(401);
        Http.Result withdrawn = m.send("POST", BASE + "/" + id + "/withdraw", "alice", null, true);
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(bulk("{\"adv-lib\":[\"1.3.0\"]}")).isEmpty();
        assertThat(
                        quick("{\"dependencies\":{\"adv-lib\":{\"version\":\"1.3.0\"}}}")
                                .path("advisories"))
                .isEmpty();
        assertThat(http.get("/-/osv/" + osvId).json().path("withdrawn").asText()).isNotEmpty();
        assertThat(
                        m.send("GET", BASE + "/" + id, "alice", null, false)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("withdrawn");
        assertThat(zipEntries()).containsExactly(osvId + ".json");
        Http.Result again = m.send("POST", BASE + "/" + id + "/withdraw", "alice", null, true);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).contains(osvId + " was withdrawn at");
        assertThat(LogReader.statements(http))
                .anyMatch(s -> s.path("kind").asText().equals("advisory.withdrawn"));
    }

    @Test
    void malformedQuickAuditTreesAreRefused() throws Exception {
        String deep = "{\"dependencies\":{\"a\":".repeat(300) + "{}" + "}}".repeat(300);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("[]", "body must be an npm audit tree");
        cases.put("{\"dependencies\":{\"a\":\"1.0.0\"}}", "dependency 'a' must be an object");
        cases.put("{\"dependencies\":[]}", "\"dependencies\" must be an object of packages");
        cases.put(
                "{\"dependencies\":{\"a\":{\"version\":1}}}",
                "the version of 'a' must be a string");
        cases.put("{} {}", "body must be a single JSON object");
        cases.put("{\"dependencies\":", "request body is not valid JSON");
        cases.put(deep, "the dependency tree is deeper than 256 levels");
        for (var c : cases.entrySet()) {
            Http.Result r =
                    http.post(
                            "/-/npm/v1/security/audits/quick",
                            null,
                            c.getKey().getBytes(StandardCharsets.UTF_8),
                            Map.of("Content-Type", "application/json"));
            assertThat(r.status()).as(c.getValue()).isEqualTo(400);
            assertThat(r.error()).contains(c.getValue());
        }
    }

    JsonNode bulk(String body) throws Exception {
        Http.Result r =
                http.post(
                        "/-/npm/v1/security/advisories/bulk",
                        null,
                        body.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode quick(String body) throws Exception {
        Http.Result r =
                http.post(
                        "/-/npm/v1/security/audits/quick",
                        null,
                        body.getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    List<String> zipEntries() throws Exception {
        Http.Result r = http.get("/-/osv/all.zip");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/zip");
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.bytes()))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
                assertThat(JSON.readTree(zip.readAllBytes()).path("id").asText())
                        .isEqualTo(e.getName().replace(".json", ""));
            }
        }
        return names;
    }
}
