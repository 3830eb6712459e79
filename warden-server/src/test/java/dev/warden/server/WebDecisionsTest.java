package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Maintainers;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

/**
 * Both pages that decide releases (the package page's forms and the approvals queue's) apply the
 * same rules as {@code npm stage approve}: with {@code require_passkeys}, a maintainer past the
 * grace period without a passkey cannot approve from either page, and nothing changes.
 */
class WebDecisionsTest {

    @Test
    void thePasskeyRuleHoldsOnEveryPageThatApproves() throws Exception {
        MovableClock clock = new MovableClock();
        try (TestServer server =
                TestServer.start(
                        Map.of(
                                "awareness.require_passkeys", "governed",
                                "awareness.passkey_grace_days", "14"),
                        clock)) {
            Maintainers m = new Maintainers(server, clock);
            m.govern("wd-lib", Map.of("framework", "two-person"), "wd-ana", "wd-ben");

            // within the grace period the approval goes through (and starts ben's grace)
            String first = stage(m, "wd-lib", "1.1.0", "wd-ana");
            String second = stage(m, "wd-lib", "1.2.0", "wd-ana");
            Browser ben = signedIn(server, m, "wd-ben");
            Http.Result approved = packagePageDecide(ben, "wd-lib", first, m.otp("wd-ben"));
            assertThat(approved.status()).as(approved.body()).isEqualTo(303);
            assertThat(live(server, "wd-lib", "1.1.0")).isTrue();

            // past it, neither page lets ben approve without a passkey
            clock.advance(Duration.ofDays(15));
            ben = signedIn(server, m, "wd-ben");
            Http.Result fromPackagePage = packagePageDecide(ben, "wd-lib", second, m.otp("wd-ben"));
            assertThat(fromPackagePage.status()).isEqualTo(403);
            assertThat(fromPackagePage.body()).contains("a passkey is required to approve");

            Http.Result fromQueue =
                    ben.postForm(
                            "/-/web/approvals/stage/" + second + "/decide",
                            "csrf="
                                    + Browser.csrf(ben.get("/-/web/account"))
                                    + "&action=approve&otp="
                                    + m.otp("wd-ben"));
            assertThat(fromQueue.status()).isEqualTo(403);
            assertThat(fromQueue.body()).contains("a passkey is required to approve");
            assertThat(live(server, "wd-lib", "1.2.0")).isFalse();
        }
    }

    private static String stage(Maintainers m, String pkg, String version, String user)
            throws Exception {
        Http.Result r =
                m.send("PUT", Tarballs.path(pkg), user, Tarballs.publishBody(pkg, version), false);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("stageId").asText();
    }

    private static Browser signedIn(TestServer server, Maintainers m, String user)
            throws Exception {
        Browser b = new Browser(server.http());
        Http.Result r =
                b.postForm(
                        "/-/web/signin",
                        "csrf="
                                + Browser.csrf(b.get("/-/web/signin"))
                                + "&username="
                                + user
                                + "&password="
                                + TestServer.password(user)
                                + "&otp="
                                + m.otp(user));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return b;
    }

    private static Http.Result packagePageDecide(Browser b, String pkg, String id, String otp)
            throws Exception {
        return b.postForm(
                "/-/web/package/" + pkg + "/decide",
                "csrf="
                        + Browser.csrf(b.get("/-/web/package/" + pkg))
                        + "&kind=stage&id="
                        + id
                        + "&action=approve&otp="
                        + otp);
    }

    private static boolean live(TestServer server, String pkg, String version) throws Exception {
        return server.http().get("/" + pkg).json().path("versions").has(version);
    }
}
