package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

/**
 * Browser sessions: only a recent sign-in may change passkeys, sessions end after 2 hours, and they
 * stay on the web.
 */
class WebSessionTest {

    @Test
    void passkeyChangesNeedARecentSignInAndSessionsExpire() throws Exception {
        MovableClock clock = new MovableClock();
        try (TestServer server = TestServer.startAtLocalhost(Map.of(), clock)) {
            Http http = server.http();
            server.token("sol");
            Browser browser = Browser.signedIn(http, "sol");
            String session = "warden_session=" + browser.cookie("warden_session");
            String csrf = Browser.csrf(browser.get("/-/web/account"));

            assertThat(browser.postJson("/-/web/passkeys/register/options", csrf, "{}").status())
                    .isEqualTo(200);
            clock.advance(Duration.ofMinutes(11));
            Http.Result stale = browser.postJson("/-/web/passkeys/register/options", csrf, "{}");
            assertThat(stale.status()).isEqualTo(403);
            assertThat(stale.error()).contains("sign in again");
            assertThat(http.get("/-/web/account", null, Map.of("Cookie", session)).status())
                    .isEqualTo(200);
            clock.advance(Duration.ofHours(2));
            Http.Result expired = http.get("/-/web/account", null, Map.of("Cookie", session));
            assertThat(expired.status()).isEqualTo(303);
            assertThat(expired.header("Location")).isEqualTo("/-/web/signin");
        }
    }

    @Test
    void formsAndCookiesAreReadAsBrowsersSendThem() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            server.token("sol");
            Browser browser = new Browser(http);
            String csrf = Browser.csrf(browser.get("/-/web/signin"));
            // percent-escapes decoded, the first of a repeated field counts, the session among
            // other cookies
            Http.Result signedIn =
                    browser.postForm(
                            "/-/web/signin",
                            "username=s%6Fl&csrf="
                                    + csrf
                                    + "&password="
                                    + TestServer.password("sol")
                                    + "&password=wrong");
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(303);
            String cookies =
                    "theme=dark; warden_session=" + browser.cookie("warden_session") + "; other=1";
            assertThat(http.get("/-/web/account", null, Map.of("Cookie", cookies)).body())
                    .contains("<strong id=\"user\">sol</strong>");

            Http.Result notAForm =
                    http.send(
                            "POST",
                            "/-/web/signin",
                            null,
                            ("csrf=" + csrf).getBytes(),
                            Map.of("Content-Type", "text/plain"));
            assertThat(notAForm.status()).isEqualTo(415);
            assertThat(notAForm.error()).isEqualTo("expected a form");
            Http.Result broken =
                    browser.postForm("/-/web/signin", "csrf=" + csrf + "&username=%zz");
            assertThat(broken.status()).isEqualTo(400);
            assertThat(broken.error()).isEqualTo("malformed form data");
        }
    }

    @Test
    void aBrowserSessionIsNoApiToken() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            server.token("sol");
            String session = Browser.signedIn(http, "sol").cookie("warden_session");
            assertThat(
                            http.get(
                                            "/-/web/account",
                                            null,
                                            Map.of("Cookie", "warden_session=" + session))
                                    .body())
                    .contains("sol");

            Http.Result whoami = http.get("/-/whoami", session, Map.of());
            assertThat(whoami.status()).isEqualTo(401);
            assertThat(whoami.error()).contains("a browser session cannot be used as an API token");
            Http.Result publish =
                    http.put("/session-pkg", session, Tarballs.publishBody("session-pkg", "1.0.0"));
            assertThat(publish.status()).isEqualTo(401);
            assertThat(publish.error())
                    .contains("a browser session cannot be used as an API token");
            Http.Result tokens = http.get("/-/npm/v1/tokens", session, Map.of());
            assertThat(tokens.status()).isEqualTo(401);
            assertThat(http.get("/session-pkg").status()).isEqualTo(404);

            // nor can an API token pass for a browser session by its description
            String token = server.token("sol");
            Http.Result disguised =
                    http.post(
                            "/-/npm/v1/tokens",
                            token,
                            ("{\"password\":\""
                                            + TestServer.password("sol")
                                            + "\",\"readonly\":false,\"description\":\"browser"
                                            + " session\"}")
                                    .getBytes(),
                            Map.of("Content-Type", "application/json"));
            assertThat(disguised.status()).isEqualTo(400);
            assertThat(disguised.error()).contains("marks browser sessions");
        }
    }
}
