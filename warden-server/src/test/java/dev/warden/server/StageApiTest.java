package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Staged releases and governance policies over HTTP: quorum, cool-off, expiry, and every refusal.
 */
class StageApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    MovableClock clock;
    TestServer server;
    Http http;
    Map<String, String> tokens = new HashMap<>();
    Map<String, Authenticator> apps = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    Http.Result send(String method, String path, String user, Object body, boolean otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp) {
            headers.put("npm-otp", apps.get(user).next());
        }
        byte[] bytes =
                body == null ? null : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        return http.send(method, path, user == null ? null : tokens.get(user), bytes, headers);
    }

    /**
     * {@code pkg} with maintainers {@code users} (the first publishes), all with 2FA, under {@code
     * policy}.
     */
    void governed(String pkg, Object policy, String... users) throws Exception {
        for (String u : users) {
            tokens.put(u, server.token(u));
            apps.put(u, server.enableTwoFactor(u, tokens.get(u), "auth-only", clock));
        }
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path(pkg),
                                        users[0],
                                        Tarballs.publishBody(pkg, "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        for (int i = 1; i < users.length; i++) {
            JsonNode doc = http.get("/" + pkg + "?write=true").json();
            var maintainers = JSON.createArrayNode();
            for (int j = 0; j <= i; j++) {
                maintainers
                        .addObject()
                        .put("name", users[j])
                        .put("email", users[j] + "@example.com");
            }
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).set("maintainers", maintainers);
            assertThat(
                            send(
                                            "PUT",
                                            "/" + pkg + "/-rev/" + doc.path("_rev").asText(),
                                            users[0],
                                            doc,
                                            false)
                                    .status())
                    .isEqualTo(200);
        }
        Http.Result set = send("PUT", "/-/package/" + pkg + "/governance", users[0], policy, true);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    String stage(String pkg, String version, String user) throws Exception {
        Http.Result r =
                send("PUT", Tarballs.path(pkg), user, Tarballs.publishBody(pkg, version), false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("npm-notice")).contains("staged as");
        return r.json().path("stageId").asText();
    }

    boolean live(String pkg, String version) throws Exception {
        return http.get("/" + pkg).json().path("versions").has(version);
    }

    @Test
    void approvalsMustComeFromDistinctOtherCurrentMaintainersWithAFreshSecondFactor()
            throws Exception {
        governed("quorum-pkg", Map.of("approvals", 2), "qa", "qb", "qc", "qd");
        String id = stage("quorum-pkg", "1.1.0", "qa");
        assertThat(live("quorum-pkg", "1.1.0")).isFalse();
        String approve = "/-/stage/" + id + "/approve";

        assertThat(send("POST", approve, "qa", null, true).status()).isEqualTo(403); // own release
        assertThat(send("POST", approve, "qb", null, false).status()).isEqualTo(401); // no OTP
        Map<String, String> wrong = Map.of("npm-otp", "000000");
        assertThat(http.send("POST", approve, tokens.get("qb"), null, wrong).status())
                .isEqualTo(401);
        assertThat(send("POST", approve, null, null, false).status()).isEqualTo(401);
        tokens.put("outsider", server.token("outsider"));
        apps.put(
                "outsider",
                server.enableTwoFactor("outsider", tokens.get("outsider"), "auth-only", clock));
        assertThat(send("POST", approve, "outsider", null, true).status()).isEqualTo(403);
        tokens.put("no2fa", server.token("no2fa"));
        assertThat(
                        http.send(
                                        "POST",
                                        approve,
                                        tokens.get("no2fa"),
                                        null,
                                        Map.of("npm-otp", "123456"))
                                .status())
                .isEqualTo(403);

        Http.Result first = send("POST", approve, "qb", null, true);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("live").asBoolean()).isFalse();
        assertThat(first.header("npm-notice")).contains("1 of 2");
        assertThat(send("POST", approve, "qb", null, true).status()).isEqualTo(409); // twice

        // a maintainer removed (by the quorum) while the approval is pending no longer counts
        assertThat(owners("quorum-pkg", "qa", "qa", "qc", "qd").header("npm-notice"))
                .contains("change request");
        String removal =
                send("GET", "/-/governance/requests?package=quorum-pkg", "qc", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        send("POST", "/-/governance/requests/" + removal + "/approve", "qc", null, true);
        assertThat(
                        send(
                                        "POST",
                                        "/-/governance/requests/" + removal + "/approve",
                                        "qd",
                                        null,
                                        true)
                                .json()
                                .path("applied")
                                .asBoolean())
                .isTrue();
        assertThat(maintainersOf("quorum-pkg")).containsExactlyInAnyOrder("qa", "qc", "qd");
        Http.Result afterRemoval = send("POST", approve, "qc", null, true);
        assertThat(afterRemoval.json().path("approvals").asInt()).isEqualTo(1);
        assertThat(afterRemoval.json().path("live").asBoolean()).isFalse();
        assertThat(live("quorum-pkg", "1.1.0")).isFalse();

        Http.Result quorum = send("POST", approve, "qd", null, true);
        assertThat(quorum.json().path("live").asBoolean()).as(quorum.body()).isTrue();
        assertThat(live("quorum-pkg", "1.1.0")).isTrue();
        assertThat(send("POST", approve, "qc", null, true).status())
                .isEqualTo(409); // already published
        JsonNode view = send("GET", "/-/stage/" + id, "qa", null, false).json();
        assertThat(view.path("state").asText()).isEqualTo("published");
        assertThat(view.path("approvedBy")).hasSize(3);
    }

    @Test
    void coolOffExpiryAndRejectionAreEnforcedOnTheRegistrysClock() throws Exception {
        governed("steward-pkg", Map.of("framework", "foundation-steward"), "sa", "sb", "sc");
        String id = stage("steward-pkg", "2.0.0", "sa");
        send("POST", "/-/stage/" + id + "/approve", "sb", null, true);
        Http.Result quorum = send("POST", "/-/stage/" + id + "/approve", "sc", null, true);
        assertThat(quorum.json().path("live").asBoolean()).isFalse();
        assertThat(quorum.json().path("goesLiveAt").asText()).isNotEmpty();
        assertThat(live("steward-pkg", "2.0.0")).isFalse();
        clock.advance(Duration.ofHours(25));
        server.server().registry().governance().releaseDue();
        assertThat(live("steward-pkg", "2.0.0")).isTrue();

        String expiring = stage("steward-pkg", "2.1.0", "sa");
        clock.advance(Duration.ofDays(8));
        Http.Result expired = send("POST", "/-/stage/" + expiring + "/approve", "sb", null, true);
        assertThat(expired.status()).isEqualTo(409);
        assertThat(expired.error()).contains("expired");

        String rejected = stage("steward-pkg", "2.2.0", "sa");
        assertThat(send("DELETE", "/-/stage/" + rejected, "sb", null, false).status())
                .isEqualTo(401);
        assertThat(send("DELETE", "/-/stage/" + rejected, "sb", null, true).status())
                .isEqualTo(200);
        assertThat(send("POST", "/-/stage/" + rejected + "/approve", "sc", null, true).status())
                .isEqualTo(409);
        assertThat(send("DELETE", "/-/stage/" + rejected, "sc", null, true).status())
                .isEqualTo(409);
        clock.advance(Duration.ofDays(2));
        server.server().registry().governance().releaseDue();
        assertThat(live("steward-pkg", "2.1.0")).isFalse();
        assertThat(live("steward-pkg", "2.2.0")).isFalse();
    }

    @Test
    void aPackagesReviewThresholdsAreServedAndALaxerOneIsRefusedNamingTheRegistrys()
            throws Exception {
        governed("reviewed-pkg", Map.of("framework", "solo"), "ra");
        String path = "/-/package/reviewed-pkg/governance";
        Http.Result laxer =
                send("PUT", path, "ra", Map.of("review", Map.of("holdAt", "critical")), true);
        assertThat(laxer.status()).isEqualTo(400);
        assertThat(laxer.error())
                .isEqualTo(
                        "review.holdAt \"critical\" is laxer than the registry's review.hold_at"
                                + " (\"high\"): a package's review thresholds may only be"
                                + " stricter than the registry's");
        Http.Result unknown =
                send("PUT", path, "ra", Map.of("review", Map.of("holdAt", "severe")), true);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error())
                .isEqualTo("review.holdAt must be one of info, low, medium, high, critical");
        assertThat(http.get(path).json().path("policy").has("review")).isFalse();

        Http.Result stricter =
                send(
                        "PUT",
                        path,
                        "ra",
                        Map.of(
                                "framework",
                                "solo",
                                "review",
                                Map.of("holdAt", "medium", "quarantineAt", "high")),
                        true);
        assertThat(stricter.status()).as(stricter.body()).isEqualTo(200);
        JsonNode served = http.get(path).json();
        assertThat(served.path("policy").path("review").toString())
                .isEqualTo("{\"holdAt\":\"medium\",\"quarantineAt\":\"high\"}");
        assertThat(
                        served.path("versions")
                                .get(0)
                                .path("policy")
                                .path("review")
                                .path("holdAt")
                                .asText())
                .isEqualTo("medium");
    }

    @Test
    void badPoliciesAndStageRequestsAreRefusedAndChangeNothing() throws Exception {
        governed("strict-pkg", Map.of("framework", "two-person"), "ta", "tb");
        String path = "/-/package/strict-pkg/governance";
        for (Object bad :
                List.of(
                        "nope".getBytes(StandardCharsets.UTF_8),
                        List.of(),
                        Map.of(),
                        Map.of("framework", "anarchy"),
                        Map.of("framework", "solo", "approvals", 1),
                        Map.of("approvals", -1),
                        Map.of("approvals", 1.5),
                        Map.of("approvals", "2"),
                        Map.of("coolOffHours", 100_000),
                        Map.of("owner", "mallory"),
                        Map.of("twoFactor", "sometimes"),
                        Map.of("twoFactor", true))) {
            Http.Result r = send("PUT", path, "ta", bad, false);
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
        }
        assertThat(
                        send(
                                        "PUT",
                                        path,
                                        "ta",
                                        ("{\"approvals\":" + "1".repeat(20_000) + "}")
                                                .getBytes(StandardCharsets.UTF_8),
                                        false)
                                .status())
                .isEqualTo(413);
        assertThat(send("PUT", path, "ta", Map.of("approvals", 2), true).status())
                .isEqualTo(400); // 2 of 1 other: cannot be met
        Http.Result loosen = send("PUT", path, "ta", Map.of("framework", "solo"), true);
        assertThat(loosen.status()).isEqualTo(202);
        assertThat(loosen.header("npm-notice"))
                .contains("loosening its policy")
                .contains(loosen.json().path("requestId").asText());
        assertThat(
                        send("PUT", path, "ta", Map.of("approvals", 1, "coolOffHours", 1), false)
                                .status())
                .isEqualTo(401);
        JsonNode policy = http.get(path).json();
        assertThat(policy.path("policy").path("framework").asText()).isEqualTo("two-person");
        assertThat(policy.path("versions")).hasSize(1);

        var manifest = Tarballs.manifest("strict-pkg", "1.1.0");
        manifest.putObject("dependencies").put("left-pad", "^1.3.0");
        Http.Result staged =
                send(
                        "PUT",
                        Tarballs.path("strict-pkg"),
                        "ta",
                        Tarballs.publishBody(
                                manifest,
                                Tarballs.packageTgz(
                                        manifest, Tarballs.Entry.file("package/extra.js", "1;\n"))),
                        false);
        String id = staged.json().path("stageId").asText();
        JsonNode review = send("GET", "/-/stage/" + id, "tb", null, false).json();
        assertThat(review.path("comparedWith").asText()).isEqualTo("1.0.0");
        assertThat(review.path("filesAdded").asText()).startsWith("extra.js (3 B)");
        assertThat(review.path("filesRemoved").asText()).isEqualTo("(none)");
        assertThat(review.path("packageJsonChanges").asText())
                .isEqualTo("dependencies.left-pad: (none) -> \"^1.3.0\"");
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path("strict-pkg"),
                                        "ta",
                                        Tarballs.publishBody("strict-pkg", "1.1.0"),
                                        false)
                                .status())
                .isEqualTo(409);
        assertThat(
                        send(
                                        "POST",
                                        "/-/stage/package/strict-pkg",
                                        "ta",
                                        Tarballs.publishBody("strict-pkg", "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(409);
        assertThat(
                        send(
                                        "POST",
                                        "/-/stage/package/strict-pkg",
                                        "ta",
                                        "{".getBytes(StandardCharsets.UTF_8),
                                        false)
                                .status())
                .isEqualTo(400);
        assertThat(
                        send(
                                        "POST",
                                        "/-/stage/package/strict-pkg",
                                        null,
                                        Tarballs.publishBody("strict-pkg", "1.2.0"),
                                        false)
                                .status())
                .isEqualTo(401);
        for (String bad : List.of("not-a-uuid", "00000000-0000-0000-0000-000000000000")) {
            assertThat(send("GET", "/-/stage/" + bad, "ta", null, false).status()).isEqualTo(404);
            assertThat(send("POST", "/-/stage/" + bad + "/approve", "tb", null, true).status())
                    .isEqualTo(404);
        }
        for (String q : List.of("?perPage=0", "?perPage=101", "?page=-1", "?page=x")) {
            assertThat(send("GET", "/-/stage" + q, "ta", null, false).status())
                    .as(q)
                    .isEqualTo(400);
        }
        tokens.put("nosy", server.token("nosy"));
        assertThat(send("GET", "/-/stage/" + id, "nosy", null, false).status()).isEqualTo(404);
        assertThat(send("GET", "/-/stage/" + id + "/tarball", "nosy", null, false).status())
                .isEqualTo(404);
        assertThat(
                        send("GET", "/-/stage?package=strict-pkg", "nosy", null, false)
                                .json()
                                .path("items"))
                .isEmpty();
        JsonNode listed = send("GET", "/-/stage?package=strict-pkg", "tb", null, false).json();
        assertThat(listed.path("total").asInt()).isEqualTo(1);
        assertThat(listed.path("items").get(0).path("id").asText()).isEqualTo(id);
        assertThat(live("strict-pkg", "1.1.0")).isFalse();
        assertThat(
                        send("POST", "/-/stage/" + id + "/approve", "tb", null, true)
                                .json()
                                .path("live")
                                .asBoolean())
                .isTrue();
        assertThat(live("strict-pkg", "1.1.0")).isTrue();
    }

    /** Sends the packument back with {@code maintainers}, as npm owner add/rm does. */
    Http.Result owners(String pkg, String user, String... maintainers) throws Exception {
        JsonNode doc = http.get("/" + pkg + "?write=true").json();
        var list = JSON.createArrayNode();
        for (String m : maintainers) {
            list.addObject().put("name", m).put("email", m + "@example.com");
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).set("maintainers", list);
        return send("PUT", "/" + pkg + "/-rev/" + doc.path("_rev").asText(), user, doc, false);
    }

    List<String> maintainersOf(String pkg) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        http.get("/-/package/" + pkg + "/collaborators")
                .json()
                .fieldNames()
                .forEachRemaining(out::add);
        return out;
    }

    @Test
    void ownerChangesOfAGovernedPackageWaitForTheQuorumAndRefusalsChangeNothing() throws Exception {
        governed("owned-pkg", Map.of("framework", "two-person"), "oa", "ob");
        tokens.put("newcomer", server.token("newcomer"));
        Http.Result held = owners("owned-pkg", "oa", "oa", "ob", "newcomer");
        assertThat(held.status()).as(held.body()).isEqualTo(200);
        assertThat(held.header("npm-notice")).contains("change request");
        assertThat(maintainersOf("owned-pkg")).containsExactlyInAnyOrder("oa", "ob");
        String id =
                send("GET", "/-/governance/requests?package=owned-pkg", "ob", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        String approve = "/-/governance/requests/" + id + "/approve";

        assertThat(send("POST", approve, "oa", null, true).status()).isEqualTo(403); // own request
        assertThat(send("POST", approve, "ob", null, false).status()).isEqualTo(401); // no OTP
        assertThat(send("POST", approve, "newcomer", null, false).status())
                .isEqualTo(403); // no 2FA, not a maintainer
        assertThat(
                        send("POST", "/-/governance/requests/not-a-uuid/approve", "ob", null, true)
                                .status())
                .isEqualTo(404);
        assertThat(send("GET", "/-/governance/requests/" + id, "newcomer", null, false).status())
                .isEqualTo(404);
        assertThat(maintainersOf("owned-pkg")).containsExactlyInAnyOrder("oa", "ob");

        Http.Result approved = send("POST", approve, "ob", null, true);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().path("applied").asBoolean()).isTrue();
        assertThat(maintainersOf("owned-pkg")).containsExactlyInAnyOrder("oa", "ob", "newcomer");
        assertThat(send("POST", approve, "ob", null, true).status())
                .isEqualTo(409); // already applied

        // a removal, rejected: nothing changes; another one expires unapproved
        owners("owned-pkg", "ob", "ob", "newcomer");
        String removal =
                send("GET", "/-/governance/requests?package=owned-pkg", "oa", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        assertThat(send("DELETE", "/-/governance/requests/" + removal, "oa", null, true).status())
                .isEqualTo(200);
        assertThat(
                        send(
                                        "POST",
                                        "/-/governance/requests/" + removal + "/approve",
                                        "oa",
                                        null,
                                        true)
                                .status())
                .isEqualTo(409);
        owners("owned-pkg", "ob", "ob", "newcomer");
        String lapsing =
                send("GET", "/-/governance/requests?package=owned-pkg", "oa", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        clock.advance(Duration.ofDays(8));
        Http.Result late =
                send("POST", "/-/governance/requests/" + lapsing + "/approve", "oa", null, true);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.error()).contains("expired");
        assertThat(maintainersOf("owned-pkg")).containsExactlyInAnyOrder("oa", "ob", "newcomer");
    }

    @Test
    void criticalChangesOfAGovernedPackageAreHeldUntilAnotherMaintainerApproves() throws Exception {
        tokens.put("ca", server.token("ca"));
        apps.put("ca", server.enableTwoFactor("ca", tokens.get("ca"), "auth-only", clock));
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path("crit-pkg"),
                                        "ca",
                                        Tarballs.publishBody("crit-pkg", "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path("crit-pkg"),
                                        "ca",
                                        Tarballs.publishBody("crit-pkg", "1.1.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        tokens.put("cb", server.token("cb"));
        apps.put("cb", server.enableTwoFactor("cb", tokens.get("cb"), "auth-only", clock));
        assertThat(owners("crit-pkg", "ca", "ca", "cb").status()).isEqualTo(200);
        assertThat(
                        send(
                                        "PUT",
                                        "/-/package/crit-pkg/governance",
                                        "ca",
                                        Map.of("framework", "two-person"),
                                        true)
                                .status())
                .isEqualTo(200);

        Map<String, Http.Result> held = new java.util.LinkedHashMap<>();
        held.put(
                "latest down",
                send("PUT", "/-/package/crit-pkg/dist-tags/latest", "ca", "1.0.0", false));
        JsonNode doc = http.get("/crit-pkg?write=true").json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("versions").path("1.0.0"))
                .put("deprecated", "use 1.1");
        held.put(
                "deprecate",
                send("PUT", "/crit-pkg/-rev/" + doc.path("_rev").asText(), "ca", doc, false));
        // a change that would be refused anyway is refused, not held
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/crit-pkg/access",
                                        "ca",
                                        Map.of("access", "restricted"),
                                        false)
                                .status())
                .isEqualTo(400);
        held.put(
                "trust",
                send(
                        "POST",
                        "/-/package/crit-pkg/trust",
                        "ca",
                        List.of(
                                Map.of(
                                        "type",
                                        "github",
                                        "claims",
                                        Map.of(
                                                "repository",
                                                "o/crit-pkg",
                                                "workflow_ref",
                                                Map.of("file", "p.yml")),
                                        "permissions",
                                        List.of("createPackage"))),
                        true));
        held.put(
                "unpublish",
                send(
                        "DELETE",
                        "/crit-pkg/-rev/"
                                + http.get("/crit-pkg?write=true").json().path("_rev").asText(),
                        "ca",
                        null,
                        false));
        // tightening the two-factor rule takes one maintainer; relaxing it is held
        assertThat(
                        send(
                                        "POST",
                                        "/-/package/crit-pkg/access",
                                        "ca",
                                        Map.of("publish_requires_tfa", true),
                                        true)
                                .status())
                .isEqualTo(200);
        held.put(
                "2fa rule",
                send(
                        "POST",
                        "/-/package/crit-pkg/access",
                        "ca",
                        Map.of("publish_requires_tfa", false),
                        true));
        for (Map.Entry<String, Http.Result> h : held.entrySet()) {
            assertThat(h.getValue().status())
                    .as(h.getKey() + ": " + h.getValue().body())
                    .isEqualTo(202);
            assertThat(h.getValue().header("npm-notice")).as(h.getKey()).contains("change request");
        }
        // nothing changed yet
        JsonNode packument = http.get("/crit-pkg").json();
        assertThat(packument.path("dist-tags").path("latest").asText()).isEqualTo("1.1.0");
        assertThat(packument.path("versions").path("1.0.0").has("deprecated")).isFalse();
        assertThat(send("GET", "/-/package/crit-pkg/trust", "ca", null, false).json()).isEmpty();

        JsonNode requests =
                send("GET", "/-/governance/requests?package=crit-pkg", "cb", null, false).json();
        assertThat(requests).hasSize(5);
        assertThat(
                        server.server()
                                .registry()
                                .mfaPolicy("crit-pkg")
                                .orElseThrow()
                                .publishRequiresTfa())
                .isTrue();
        for (JsonNode r : requests) {
            String id = r.path("id").asText();
            if (r.path("change").asText().equals("unpublish")) {
                assertThat(
                                send("DELETE", "/-/governance/requests/" + id, "cb", null, true)
                                        .status())
                        .isEqualTo(200);
            } else {
                Http.Result ok =
                        send("POST", "/-/governance/requests/" + id + "/approve", "cb", null, true);
                assertThat(ok.json().path("applied").asBoolean())
                        .as(r.path("change") + ": " + ok.body())
                        .isTrue();
            }
        }
        packument = http.get("/crit-pkg", tokens.get("ca"), Map.of()).json();
        assertThat(packument.path("dist-tags").path("latest").asText()).isEqualTo("1.0.0");
        assertThat(packument.path("versions").path("1.0.0").path("deprecated").asText())
                .isEqualTo("use 1.1");
        assertThat(send("GET", "/-/package/crit-pkg/trust", "ca", null, false).json()).hasSize(1);
        assertThat(packument.path("versions").has("1.1.0")).isTrue(); // the unpublish was rejected
        assertThat(
                        server.server()
                                .registry()
                                .mfaPolicy("crit-pkg")
                                .orElseThrow()
                                .publishRequiresTfa())
                .isFalse();

        // the loosened policy, once approved, takes effect
        Http.Result loosen =
                send(
                        "PUT",
                        "/-/package/crit-pkg/governance",
                        "ca",
                        Map.of("framework", "solo"),
                        true);
        String id = loosen.json().path("requestId").asText();
        assertThat(
                        send("POST", "/-/governance/requests/" + id + "/approve", "cb", null, true)
                                .json()
                                .path("applied")
                                .asBoolean())
                .isTrue();
        assertThat(
                        http.get("/-/package/crit-pkg/governance")
                                .json()
                                .path("policy")
                                .path("framework")
                                .asText())
                .isEqualTo("solo");
        assertThat(
                        send("PUT", "/-/package/crit-pkg/dist-tags/latest", "ca", "1.1.0", false)
                                .status())
                .isEqualTo(200);
    }

    @Test
    void aPolicyCanAskASecondFactorOfEveryoneWhoChangesThePackage() throws Exception {
        governed("tfa-pkg", Map.of("approvals", 0, "twoFactor", "every-change"), "fa");
        assertThat(
                        http.get("/-/package/tfa-pkg/governance")
                                .json()
                                .path("policy")
                                .path("twoFactor")
                                .asText())
                .isEqualTo("every-change");
        Http.Result noOtp =
                send(
                        "PUT",
                        Tarballs.path("tfa-pkg"),
                        "fa",
                        Tarballs.publishBody("tfa-pkg", "1.1.0"),
                        false);
        assertThat(noOtp.status()).isEqualTo(401);
        assertThat(noOtp.header("WWW-Authenticate")).isEqualToIgnoringCase("OTP");
        assertThat(
                        send(
                                        "PUT",
                                        Tarballs.path("tfa-pkg"),
                                        "fa",
                                        Tarballs.publishBody("tfa-pkg", "1.1.0"),
                                        true)
                                .status())
                .isEqualTo(200);
        assertThat(send("PUT", "/-/package/tfa-pkg/dist-tags/next", "fa", "1.1.0", false).status())
                .isEqualTo(401);

        // a maintainer without 2FA cannot change it at all
        tokens.put("fb", server.token("fb"));
        assertThat(owners("tfa-pkg", "fa", "fa", "fb").status())
                .isEqualTo(401); // the owner change itself needs the OTP
        JsonNode doc = http.get("/tfa-pkg?write=true").json();
        var list = JSON.createArrayNode();
        list.addObject().put("name", "fa");
        list.addObject().put("name", "fb");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).set("maintainers", list);
        assertThat(
                        send("PUT", "/tfa-pkg/-rev/" + doc.path("_rev").asText(), "fa", doc, true)
                                .status())
                .isEqualTo(200);
        Http.Result fb =
                send(
                        "PUT",
                        Tarballs.path("tfa-pkg"),
                        "fb",
                        Tarballs.publishBody("tfa-pkg", "1.2.0"),
                        false);
        assertThat(fb.status()).isEqualTo(403);
        assertThat(fb.error()).contains("two-factor");
    }
}
