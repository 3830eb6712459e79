package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * The approvals pages: a maintainer's queue, one stage or change request, and decisions on them.
 * Every refusal names its reason and changes nothing; whoever may not see a stage gets the 404 of
 * an unknown id; the governance rules hold on the page as on the API.
 */
class ApprovalPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String UNKNOWN = "0b5f2c1e-8d4a-4f3e-9c61-2a7b8e9d0f13";

    static MovableClock clock;
    static TestServer server;
    static Http http;
    static Maintainers m;

    @BeforeAll
    static void start() throws Exception {
        clock = new MovableClock();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        m = new Maintainers(server, clock);
        m.join("cleo"); // maintains nothing here, with 2FA
        server.token("dora"); // no 2FA
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A browser signed in as {@code user} with their one-time password when they have 2FA. */
    static Browser signedIn(String user, boolean otp) throws Exception {
        Browser b = new Browser(http);
        String form =
                "csrf="
                        + Browser.csrf(b.get("/-/web/signin"))
                        + "&username="
                        + user
                        + "&password="
                        + TestServer.password(user)
                        + (otp ? "&otp=" + m.otp(user) : "");
        Http.Result r = b.postForm("/-/web/signin", form);
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return b;
    }

    static String stage(String pkg, String version, String user) throws Exception {
        Http.Result r =
                m.send("PUT", Tarballs.path(pkg), user, Tarballs.publishBody(pkg, version), false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String id = r.json().path("stageId").asText();
        assertThat(id).isNotEmpty();
        return id;
    }

    static boolean live(String pkg, String version) throws Exception {
        return http.get("/" + pkg).json().path("versions").has(version);
    }

    static JsonNode stageApi(String id, String user) throws Exception {
        return m.send("GET", "/-/stage/" + id, user, null, false).json();
    }

    static Http.Result decide(Browser b, String kind, String id, String action, String otp)
            throws Exception {
        String csrf = Browser.csrf(b.get("/-/web/account"));
        return b.postForm(
                "/-/web/approvals/" + kind + "/" + id + "/decide",
                "csrf=" + csrf + "&action=" + action + "&otp=" + otp);
    }

    /** Sends the packument back with {@code maintainers}, as npm owner add does. */
    static Http.Result owners(String pkg, String user, String... maintainers) throws Exception {
        JsonNode doc = http.get("/" + pkg + "?write=true").json();
        var list = JSON.createArrayNode();
        for (String name : maintainers) {
            list.addObject().put("name", name).put("email", name + "@example.com");
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).set("maintainers", list);
        return m.send("PUT", "/" + pkg + "/-rev/" + doc.path("_rev").asText(), user, doc, false);
    }

    static String requestId(String pkg, String user) throws Exception {
        return m.send("GET", "/-/governance/requests?package=" + pkg, user, null, false)
                .json()
                .get(0)
                .path("id")
                .asText();
    }

    @Test
    void theQueueListsWhatWaitsByPackageAndSaysWhenNothingDoes() throws Exception {
        m.govern("queue-b", Map.of("framework", "two-person"), "qana", "qben");
        m.govern("queue-a", Map.of("framework", "two-person"), "qana", "qben");
        String first = stage("queue-b", "1.1.0", "qana");
        String second = stage("queue-a", "2.0.0", "qana");
        assertThat(owners("queue-a", "qana", "qana", "qben", "cleo").status()).isEqualTo(200);
        String request = requestId("queue-a", "qben");

        Http.Result page = signedIn("qben", true).get("/-/web/approvals");
        assertThat(page.status()).isEqualTo(200);
        String body = page.body();
        assertThat(body)
                .contains("<h1>Approvals</h1>")
                .contains("href=\"/-/web/approvals/stage/" + first + "\">queue-b@1.1.0</a>")
                .contains("href=\"/-/web/approvals/stage/" + second + "\">queue-a@2.0.0</a>")
                .contains("href=\"/-/web/approvals/request/" + request + "\">owners</a>")
                .contains("staged by qana")
                .contains("0 of 1 approvals")
                .contains("requested by qana")
                .doesNotContain("queue-empty");
        // grouped by package, in name order
        assertThat(body.indexOf("data-package=\"queue-a\""))
                .isPositive()
                .isLessThan(body.indexOf("data-package=\"queue-b\""));
        assertThat(body.indexOf("queue-a@2.0.0"))
                .isLessThan(body.indexOf("data-package=\"queue-b\""));

        // someone who maintains nothing here: a sentence, none of the others' stages
        String empty = signedIn("cleo", true).get("/-/web/approvals").body();
        assertThat(empty)
                .contains("Nothing waits for your approval")
                .doesNotContain(first)
                .doesNotContain("queue-b");

        // signed out: to the sign-in page
        Http.Result out = http.get("/-/web/approvals");
        assertThat(out.status()).isEqualTo(303);
        assertThat(out.header("Location")).isEqualTo("/-/web/signin");
    }

    @Test
    void unknownMalformedAndOthersIdsAreRefusedWithTheReason() throws Exception {
        m.govern("hidden-lib", Map.of("framework", "two-person"), "hana", "hugo");
        String id = stage("hidden-lib", "1.1.0", "hana");
        Browser cleo = signedIn("cleo", true);

        Http.Result malformed = cleo.get("/-/web/approvals/stage/not-an-id");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body())
                .contains("&#34;not-an-id&#34; is not a stage id: ids are UUIDs");
        Http.Result malformedRequest = cleo.get("/-/web/approvals/request/%3Cb%3E");
        assertThat(malformedRequest.status()).isEqualTo(400);
        assertThat(malformedRequest.body())
                .contains("&#34;&lt;b>&#34; is not a change request id")
                .doesNotContain("<b>");

        Http.Result unknown = cleo.get("/-/web/approvals/stage/" + UNKNOWN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("no staged release with id " + UNKNOWN);
        Http.Result unknownRequest = cleo.get("/-/web/approvals/request/" + UNKNOWN);
        assertThat(unknownRequest.status()).isEqualTo(404);
        assertThat(unknownRequest.body()).contains("no change request with id " + UNKNOWN);

        // a stage of a package cleo does not maintain: the same 404, nothing of it shown
        Http.Result others = cleo.get("/-/web/approvals/stage/" + id);
        assertThat(others.status()).isEqualTo(404);
        assertThat(others.body())
                .contains("no staged release with id " + id)
                .doesNotContain("hidden-lib");
        Http.Result othersDecide = decide(cleo, "stage", id, "approve", m.otp("cleo"));
        assertThat(othersDecide.status()).isEqualTo(404);
        assertThat(othersDecide.body()).contains("no staged release with id " + id);
        assertThat(stageApi(id, "hugo").path("approvals").asInt()).isZero();

        // the decision word and the page's confirmation take only what they know
        Browser hugo = signedIn("hugo", true);
        Http.Result bogus = decide(hugo, "stage", id, "publish", m.otp("hugo"));
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.body()).contains("the decision must be approve or reject");
        Http.Result done = hugo.get("/-/web/approvals/request/" + UNKNOWN + "?done=%3Cscript%3E");
        assertThat(done.status()).isEqualTo(400);
        assertThat(done.body()).contains("done must be &#34;approve&#34; or &#34;reject&#34;");
        // a query no browser would send (a broken escape): 400, as for any page
        String broken =
                http.raw(
                        "GET /-/web/approvals/request/"
                                + UNKNOWN
                                + "?done=%zz HTTP/1.1\r\nHost: x\r\nCookie: warden_session="
                                + hugo.cookie("warden_session")
                                + "\r\nConnection: close\r\n\r\n");
        assertThat(broken).contains(" 400 ");
        assertThat(stageApi(id, "hugo").path("state").asText()).isEqualTo("pending");
    }

    @Test
    void decisionsNeedThisBrowsersCsrfTokenAndAFreshOneTimePassword() throws Exception {
        m.govern("csrf-lib", Map.of("framework", "two-person"), "cana", "cbob");
        String id = stage("csrf-lib", "1.1.0", "cana");
        Browser bob = signedIn("cbob", true);
        String path = "/-/web/approvals/stage/" + id + "/decide";

        Http.Result missing = bob.postForm(path, "action=approve&otp=" + m.otp("cbob"));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("The request carries no CSRF token");
        String other = Browser.csrf(signedIn("cleo", true).get("/-/web/account"));
        Http.Result forged =
                bob.postForm(path, "csrf=" + other + "&action=approve&otp=" + m.otp("cbob"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body())
                .contains("The CSRF token does not belong to this browser&#39;s session");

        Http.Result wrongOtp = decide(bob, "stage", id, "approve", "000000");
        assertThat(wrongOtp.status()).isEqualTo(401);
        assertThat(wrongOtp.body()).contains("That one-time password is not right");
        Http.Result noOtp = decide(bob, "stage", id, "reject", "");
        assertThat(noOtp.status()).isEqualTo(401);
        assertThat(noOtp.body()).contains("nothing was decided");

        // signed out, with a pre-session token: nothing to decide as
        Browser anonymous = new Browser(http);
        String pre = Browser.csrf(anonymous.get("/-/web/signin"));
        Http.Result signedOut = anonymous.postForm(path, "csrf=" + pre + "&action=approve&otp=1");
        assertThat(signedOut.status()).isEqualTo(401);
        assertThat(signedOut.body()).contains("Sign in first");

        JsonNode after = stageApi(id, "cbob");
        assertThat(after.path("state").asText()).isEqualTo("pending");
        assertThat(after.path("approvals").asInt()).isZero();
        assertThat(live("csrf-lib", "1.1.0")).isFalse();
    }

    @Test
    void theGovernanceRulesHoldOnThePage() throws Exception {
        m.govern("rule-lib", Map.of("framework", "two-person"), "rana", "rben");
        String id = stage("rule-lib", "1.1.0", "rana");

        // the stager cannot approve their own release
        Browser ana = signedIn("rana", true);
        Http.Result own = decide(ana, "stage", id, "approve", m.otp("rana"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.body())
                .contains("you staged rule-lib@1.1.0: its policy needs approval from 1 other")
                .contains("maintainer(s)");
        assertThat(stageApi(id, "rben").path("approvals").asInt()).isZero();

        // another maintainer approves: live, and the page confirms it
        Browser ben = signedIn("rben", true);
        Http.Result approved = decide(ben, "stage", id, "approve", m.otp("rben"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(303);
        assertThat(approved.header("Location"))
                .isEqualTo("/-/web/approvals/stage/" + id + "?done=approve");
        assertThat(live("rule-lib", "1.1.0")).isTrue();
        Http.Result confirmed = ben.get(approved.header("Location"));
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.body())
                .contains("Your approval is recorded; this is now <strong>published</strong>")
                .contains("This staged release is published: nothing is left to decide")
                .doesNotContain("id=\"decide-form\"");

        // out of order: deciding a decided stage is refused with the domain's reason
        Http.Result again = decide(ben, "stage", id, "reject", m.otp("rben"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("rule-lib@1.1.0 was approved and is published");

        // a rejected stage stays rejected
        String second = stage("rule-lib", "1.2.0", "rana");
        assertThat(decide(ben, "stage", second, "reject", m.otp("rben")).status()).isEqualTo(303);
        Http.Result late = decide(ben, "stage", second, "approve", m.otp("rben"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body()).contains("this release was rejected by rben");
        assertThat(live("rule-lib", "1.2.0")).isFalse();
    }

    @Test
    void aMaintainerWithoutTwoFactorAuthenticationCannotDecide() throws Exception {
        m.join("tana");
        assertThat(
                        m.send(
                                        "PUT",
                                        Tarballs.path("tfa-lib"),
                                        "tana",
                                        Tarballs.publishBody("tfa-lib", "1.0.0"),
                                        false)
                                .status())
                .isEqualTo(200);
        assertThat(owners("tfa-lib", "tana", "tana", "dora").status()).isEqualTo(200);
        Http.Result policy =
                m.send(
                        "PUT",
                        "/-/package/tfa-lib/governance",
                        "tana",
                        Map.of("framework", "two-person"),
                        true);
        assertThat(policy.status()).as(policy.body()).isEqualTo(200);
        String id = stage("tfa-lib", "1.1.0", "tana");
        Browser dora = Browser.signedIn(http, "dora");
        assertThat(dora.get("/-/web/approvals").body()).contains("tfa-lib@1.1.0");
        Http.Result refused = decide(dora, "stage", id, "approve", "123456");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("needs two-factor authentication on your account");
        assertThat(stageApi(id, "tana").path("approvals").asInt()).isZero();
    }

    @Test
    void theStagePageShowsTheReviewItsFindingsAndTheDiff() throws Exception {
        m.govern("page-lib", Map.of("framework", "two-person"), "pana", "pben");
        var manifest = Tarballs.manifest("page-lib", "1.1.0");
        manifest.putObject("scripts").put("postinstall", "node setup.js");
        Http.Result staged =
                m.send(
                        "PUT",
                        Tarballs.path("page-lib"),
                        "pana",
                        Tarballs.publishBody(
                                manifest,
                                Tarballs.packageTgz(
                                        manifest,
                                        Tarballs.Entry.file(
                                                "package/setup.js", "const fs = 1; // set up\n"),
                                        Tarballs.Entry.file(
                                                "package/<img src=x onerror=alert(1)>.js", "x\n"))),
                        false);
        assertThat(staged.status()).as(staged.body()).isEqualTo(200);
        String id = staged.json().path("stageId").asText();

        Http.Result page = signedIn("pben", true).get("/-/web/approvals/stage/" + id);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String body = page.body();
        assertThat(body)
                .contains("<h1>page-lib@1.1.0</h1>")
                .contains("<dd id=\"stage-state\">pending</dd>")
                .contains("<dd id=\"stage-actor\">pana")
                .contains("<dt>Compared with</dt><dd>1.0.0</dd>")
                .contains("scripts.postinstall: (none) -> &#34;node setup.js&#34;")
                // the release review's finding, with its evidence
                .contains("<code>install-script-added</code>")
                .contains("class=\"evidence\"")
                // the diff: counts, a tree whose names are text, the added file's lines
                .contains("Diff against 1.0.0")
                .contains("2 added, 0 removed, 1 changed, 1 unchanged")
                .contains("&lt;img src=x onerror=alert(1)>.js")
                .doesNotContain("<img src=x")
                .contains("<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">1</td>")
                .contains("<td class=\"sign\">+</td>")
                // the decision, with its CSRF token and a labelled one-time password
                .contains("action=\"/-/web/approvals/stage/" + id + "/decide\"")
                .contains("<label for=\"decide-otp\">One-time password</label>")
                .contains("name=\"csrf\" value=\"");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
        // the page is the same on a reload (the diff kept, not made again)
        assertThat(signedIn("pben", true).get("/-/web/approvals/stage/" + id).body())
                .contains("2 added, 0 removed, 1 changed, 1 unchanged");
    }

    @Test
    void aChangeRequestIsShownAndDecidedOnItsPage() throws Exception {
        m.govern("owned-lib", Map.of("framework", "two-person"), "oana", "oben");
        assertThat(owners("owned-lib", "oana", "oana", "oben", "cleo").status()).isEqualTo(200);
        String id = requestId("owned-lib", "oben");
        Browser ben = signedIn("oben", true);

        Http.Result page = ben.get("/-/web/approvals/request/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("<h1>owned-lib: owners</h1>")
                .contains("<dd id=\"request-state\">pending</dd>")
                .contains("<dd id=\"request-actor\">oana")
                .contains("cleo")
                .contains("action=\"/-/web/approvals/request/" + id + "/decide\"")
                .contains("<label for=\"decide-otp\">One-time password</label>");
        // the requester may read it but not approve it
        Http.Result own = decide(signedIn("oana", true), "request", id, "approve", m.otp("oana"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(collaborators("owned-lib")).doesNotContain("cleo");

        Http.Result approved = decide(ben, "request", id, "approve", m.otp("oben"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(303);
        assertThat(collaborators("owned-lib")).contains("cleo");
        assertThat(ben.get(approved.header("Location")).body())
                .contains("Your approval is recorded")
                .contains("nothing is left to decide");
    }

    static List<String> collaborators(String pkg) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        http.get("/-/package/" + pkg + "/collaborators")
                .json()
                .fieldNames()
                .forEachRemaining(out::add);
        return out;
    }
}
