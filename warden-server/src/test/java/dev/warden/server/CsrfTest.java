package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

/**
 * CSRF tokens belong to one browser: to its session once signed in, before that to its pre-session
 * cookie. A token from another session, a planted cookie, and empty or missing values are refused
 * with 403 and the reason, and change nothing; the pages themselves keep working.
 */
class CsrfTest {

    static TestServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.startAtLocalhost(Map.of(), Clock.systemUTC());
        http = server.http();
        server.token("sol");
        server.token("mallory");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String events(Browser b) throws Exception {
        String page = b.get("/-/web/account").body();
        return page.substring(page.indexOf("<ul id=\"events\">"));
    }

    @Test
    void aTokenFromAnotherSessionIsRefused() throws Exception {
        Browser mallory = Browser.signedIn(http, "mallory");
        String malloryToken = Browser.csrf(mallory.get("/-/web/account"));
        Browser sol = Browser.signedIn(http, "sol");
        String before = events(sol);
        // mallory plants her own CSRF cookie in sol's browser (a sibling site, a network on http)
        // and uses her token
        sol.cookie("warden_csrf", mallory.cookie("warden_csrf"));

        Http.Result form =
                sol.postForm(
                        "/-/web/passkeys/remove", "csrf=" + malloryToken + "&credential=anything");
        assertThat(form.status()).isEqualTo(403);
        assertThat(form.body())
                .contains("The CSRF token does not belong to this browser&#39;s session");
        Http.Result json = sol.postJson("/-/web/passkeys/register/options", malloryToken, "{}");
        assertThat(json.status()).isEqualTo(403);
        assertThat(json.error())
                .contains("The CSRF token does not belong to this browser's session");
        assertThat(events(sol)).isEqualTo(before);

        // sol's own page gives the token that works for sol
        String solToken = Browser.csrf(sol.get("/-/web/account"));
        assertThat(solToken).isNotEqualTo(malloryToken);
        assertThat(sol.postJson("/-/web/passkeys/register/options", solToken, "{}").status())
                .isEqualTo(200);
        assertThat(mallory.postJson("/-/web/passkeys/register/options", solToken, "{}").status())
                .isEqualTo(403);
    }

    @Test
    void emptyOrMissingValuesAreRefused() throws Exception {
        // an empty cookie and an empty field
        Browser empty = new Browser(http);
        empty.cookie("warden_csrf", "");
        Http.Result signin =
                empty.postForm(
                        "/-/web/signin",
                        "csrf=&username=sol&password=" + TestServer.password("sol"));
        assertThat(signin.status()).isEqualTo(403);
        assertThat(signin.body()).contains("The request carries no CSRF token");
        assertThat(empty.cookie("warden_session")).isNull();

        // no field at all
        Browser real = new Browser(http);
        String token = Browser.csrf(real.get("/-/web/signup"));
        Http.Result noField =
                real.postForm(
                        "/-/web/signup",
                        "action=create&username=nofield&email=nofield%40example.com&password=staple-pass-44");
        assertThat(noField.status()).isEqualTo(403);
        assertThat(noField.body()).contains("The request carries no CSRF token");

        // a real token without the cookie it was made for
        Browser cookieless = new Browser(http);
        Http.Result noCookie =
                cookieless.postForm(
                        "/-/web/signup",
                        "csrf="
                                + token
                                + "&action=create&username=nocookie&email=nocookie%40example.com&password=staple-pass-45");
        assertThat(noCookie.status()).isEqualTo(403);
        assertThat(noCookie.body()).contains("no session or pre-session cookie");

        // a cookie and a field the client chose alike (the old double submit)
        Browser chosen = new Browser(http);
        String value = "ab".repeat(24);
        chosen.cookie("warden_csrf", value);
        Http.Result same =
                chosen.postForm(
                        "/-/web/signup",
                        "csrf="
                                + value
                                + "&action=create&username=chosen&email=chosen%40example.com&password=staple-pass-46");
        assertThat(same.status()).isEqualTo(403);
        assertThat(same.body()).contains("does not belong to this browser");

        for (String user : new String[] {"nofield", "nocookie", "chosen"}) {
            assertThat(http.get("/-/user/org.couchdb.user:" + user).status())
                    .as(user)
                    .isEqualTo(404);
        }

        // a signed-in browser sending the passkey script's request with empty values
        Browser sol = Browser.signedIn(http, "sol");
        sol.cookie("warden_csrf", "");
        Http.Result json = sol.postJson("/-/web/passkeys/register/options", "", "{}");
        assertThat(json.status()).isEqualTo(403);
        assertThat(json.error()).contains("The request carries no CSRF token");
    }

    @Test
    void thePagesStillWork() throws Exception {
        // sign up on the page: a session, then the account page's token for the passkey script
        Browser b = new Browser(http);
        Http.Result page = b.get("/-/web/signup");
        assertThat(page.header("Set-Cookie"))
                .contains("warden_csrf=")
                .contains("HttpOnly")
                .contains("SameSite=Strict");
        Http.Result made =
                b.postForm(
                        "/-/web/signup",
                        "csrf="
                                + Browser.csrf(page)
                                + "&action=create&username=paige&email=paige%40example.com&password=staple-pass-47");
        assertThat(made.status()).as(made.body()).isEqualTo(303);
        Http.Result account = b.get("/-/web/account");
        assertThat(account.body()).contains("paige");
        assertThat(
                        b.postJson("/-/web/passkeys/register/options", Browser.csrf(account), "{}")
                                .status())
                .isEqualTo(200);

        // npm login through the browser: a wrong password re-renders the form, whose token still
        // works
        Http.Result open =
                http.post(
                        "/-/v1/login",
                        null,
                        "{}".getBytes(),
                        Map.of("Content-Type", "application/json"));
        String loginPath = java.net.URI.create(open.json().path("loginUrl").asText()).getPath();
        String donePath = java.net.URI.create(open.json().path("doneUrl").asText()).getPath();
        Browser fresh = new Browser(http);
        Http.Result login = fresh.get(loginPath);
        Http.Result wrong =
                fresh.postForm(
                        loginPath,
                        "csrf=" + Browser.csrf(login) + "&username=sol&password=wrong-password");
        assertThat(wrong.status()).isEqualTo(401);
        Http.Result right =
                fresh.postForm(
                        loginPath,
                        "csrf="
                                + Browser.csrf(wrong)
                                + "&username=sol&password="
                                + TestServer.password("sol"));
        assertThat(right.status()).as(right.body()).isEqualTo(200);
        assertThat(http.get(donePath).json().path("token").asText()).startsWith("wdn_");
    }
}
