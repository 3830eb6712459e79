package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Browser;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.MovableClock;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The account pages: overview, tokens (made through npm token create's path, so with its limits and
 * refusals), two-factor authentication and the security history. Every page takes a browser
 * session, every form its CSRF token; a refusal names its reason and changes nothing.
 */
class AccountPagesTest {

    TestServer server;
    Http http;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        http = server.http();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static final List<String> PAGES =
            List.of(
                    "/-/web/account",
                    "/-/web/account/tokens",
                    "/-/web/account/2fa",
                    "/-/web/account/history");

    /** The fields of a form, encoded; a value null leaves the field out. */
    private static String form(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            out.append(out.isEmpty() ? "" : "&")
                    .append(pairs[i])
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String find(String regex, String html) {
        Matcher m = Pattern.compile(regex).matcher(html);
        if (!m.find()) {
            throw new AssertionError("no match for " + regex + " in " + html);
        }
        return m.group(1);
    }

    private static List<String> keysListed(String html) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("data-key=\"([0-9a-f]{16})\"").matcher(html);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /** Creates a token on the tokens page; returns the answer. */
    private static Http.Result createToken(Browser b, String... fields) throws Exception {
        String csrf = Browser.csrf(b.get("/-/web/account/tokens"));
        String[] all = new String[fields.length + 2];
        all[0] = "csrf";
        all[1] = csrf;
        System.arraycopy(fields, 0, all, 2, fields.length);
        return b.postForm("/-/web/account/tokens", form(all));
    }

    private static String secret(Http.Result created) {
        return find("<code id=\"new-token\" class=\"secret\">(wdn_[^<]+)</code>", created.body());
    }

    @Test
    void thePagesTakeABrowserSessionNotAToken() throws Exception {
        String token = server.token("ada");
        for (String page : PAGES) {
            Http.Result anonymous = http.get(page);
            assertThat(anonymous.status()).as(page).isEqualTo(303);
            assertThat(anonymous.header("Location")).isEqualTo("/-/web/signin");
            Http.Result bearer = http.get(page, token, Map.of());
            assertThat(bearer.status()).as(page).isEqualTo(303);
            assertThat(bearer.header("Location")).isEqualTo("/-/web/signin");
        }
        // a token sent as the session cookie is no session either
        Http.Result cookie =
                http.get("/-/web/account", null, Map.of("Cookie", "warden_session=" + token));
        assertThat(cookie.status()).isEqualTo(303);
        // and no form is taken without a session
        Http.Result post =
                http.post(
                        "/-/web/account/tokens",
                        token,
                        form("password", TestServer.password("ada"))
                                .getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(post.status()).isEqualTo(303);
        assertThat(server.server().accounts().tokens("ada")).hasSize(1);
    }

    @Test
    void theOverviewShowsWhatProtectsTheAccount() throws Exception {
        server.token("bo");
        Browser b = Browser.signedIn(http, "bo");
        Http.Result page = b.get("/-/web/account");
        assertThat(page.status()).isEqualTo(200);
        String html = page.body();
        assertThat(find("<strong id=\"user\">([^<]*)<", html)).isEqualTo("bo");
        assertThat(find("<dd id=\"email\">([^<]*)<", html)).contains("bo@example.com");
        assertThat(html).contains("(not verified");
        assertThat(find("<dd id=\"twofactor-state\"><span class=\"error\">([^<]*)<", html))
                .isEqualTo("off");
        // one npm login token and this browser's session
        assertThat(find("<dd id=\"tokens-summary\">([^<]*)<", html))
                .isEqualTo("1 token(s), 1 of them may publish; 1 browser session(s) ");
        assertThat(html).contains("<ul id=\"events\"").contains("account.created");
        assertThat(html).contains("href=\"/-/web/account/history\"");
        // at most the ten latest events
        for (int i = 0; i < 12; i++) {
            server.token("bo");
        }
        String events = b.get("/-/web/account").body();
        events =
                events.substring(
                        events.indexOf("<ul id=\"events\""),
                        events.indexOf("</ul>", events.indexOf("<ul id=\"events\"")));
        assertThat(events.split("<li>", -1)).hasSize(11);
    }

    @Test
    void aTokenMadeOnThePageHasExactlyItsLimitsAndRevokingEndsIt() throws Exception {
        String login = server.token("cy");
        assertThat(http.put("/cy-a", login, Tarballs.publishBody("cy-a", "1.0.0")).status())
                .isEqualTo(200);
        assertThat(http.put("/cy-b", login, Tarballs.publishBody("cy-b", "1.0.0")).status())
                .isEqualTo(200);
        Browser b = Browser.signedIn(http, "cy");
        Http.Result created =
                createToken(
                        b,
                        "name",
                        "<b>ci</b>",
                        "permission",
                        "read-write",
                        "packages",
                        "cy-a",
                        "days",
                        "5",
                        "password",
                        TestServer.password("cy"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String secret = secret(created);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");

        // npm's API sees exactly the limits asked for
        JsonNode listed = http.get("/-/npm/v1/tokens", login, Map.of()).json();
        JsonNode made = null;
        for (JsonNode t : listed.path("objects")) {
            if ("<b>ci</b>".equals(t.path("name").asText())) {
                made = t;
            }
        }
        assertThat(made).isNotNull();
        assertThat(made.path("readonly").asBoolean()).isFalse();
        assertThat(made.path("bypass_2fa").asBoolean()).isFalse();
        assertThat(made.path("limits").path("packages").toString()).isEqualTo("[\"cy-a\"]");
        assertThat(made.path("limits").path("scopes").toString()).isEqualTo("[]");
        assertThat(made.path("cidr_whitelist").isNull()).isTrue();
        assertThat(java.time.Instant.parse(made.path("expires").asText()))
                .isBetween(
                        java.time.Instant.now()
                                .plus(java.time.Duration.ofDays(5))
                                .minusSeconds(120),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(5)));

        // and the token does what it may, and only that
        assertThat(http.get("/-/whoami", secret, Map.of()).json().path("username").asText())
                .isEqualTo("cy");
        assertThat(http.put("/cy-a", secret, Tarballs.publishBody("cy-a", "1.0.1")).status())
                .isEqualTo(200);
        Http.Result other = http.put("/cy-b", secret, Tarballs.publishBody("cy-b", "1.0.1"));
        assertThat(other.status()).isEqualTo(403);

        // the list shows its key, never a secret; the name is escaped
        String list = b.get("/-/web/account/tokens").body();
        String key = made.path("key").asText();
        assertThat(keysListed(list)).contains(key);
        assertThat(list).doesNotContain(secret).doesNotContain("wdn_");
        assertThat(list).contains("&lt;b>ci&lt;/b>").doesNotContain("<b>ci</b>");
        assertThat(list).contains("packages cy-a");

        Http.Result revoked =
                b.postForm(
                        "/-/web/account/tokens/" + key + "/revoke",
                        form("csrf", Browser.csrf(b.get("/-/web/account/tokens"))));
        assertThat(revoked.status()).isEqualTo(303);
        assertThat(revoked.header("Location")).isEqualTo("/-/web/account/tokens");
        assertThat(http.get("/-/whoami", secret, Map.of()).status()).isEqualTo(401);
        assertThat(keysListed(b.get("/-/web/account/tokens").body())).doesNotContain(key);
        assertThat(http.get("/-/warden/v1/security-events", login, Map.of()).body())
                .contains("token.created")
                .contains("token.revoked");
    }

    @Test
    void aReadOnlyTokenForOnePackageCannotPublish() throws Exception {
        String login = server.token("dee");
        assertThat(http.put("/dee-a", login, Tarballs.publishBody("dee-a", "1.0.0")).status())
                .isEqualTo(200);
        Browser b = Browser.signedIn(http, "dee");
        Http.Result created =
                createToken(
                        b,
                        "permission",
                        "read-only",
                        "packages",
                        "dee-a",
                        "scopes",
                        "dee-scope",
                        "cidrs",
                        "127.0.0.1/32, 192.0.2.0/24",
                        "password",
                        TestServer.password("dee"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String secret = secret(created);
        Http.Result publish = http.put("/dee-a", secret, Tarballs.publishBody("dee-a", "1.0.1"));
        assertThat(publish.status()).isEqualTo(403);
        assertThat(publish.error()).contains("read-only");
        JsonNode t = null;
        for (JsonNode o : http.get("/-/npm/v1/tokens", login, Map.of()).json().path("objects")) {
            if (!o.path("limits").path("packages").isEmpty()) {
                t = o;
            }
        }
        assertThat(t).isNotNull();
        assertThat(t.path("readonly").asBoolean()).isTrue();
        assertThat(t.path("limits").path("scopes").toString()).isEqualTo("[\"@dee-scope\"]");
        assertThat(t.path("cidr_whitelist").toString())
                .isEqualTo("[\"127.0.0.1/32\",\"192.0.2.0/24\"]");
        // the limits npm token create enforces hold: a limited token may make no token
        Http.Result fromLimited =
                http.post(
                        "/-/npm/v1/tokens",
                        secret,
                        "{\"password\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json"));
        assertThat(fromLimited.status()).isEqualTo(403);
    }

    @Test
    void aRefusedFormSaysWhyAndMakesNothing() throws Exception {
        server.token("eve");
        Browser b = Browser.signedIn(http, "eve");
        int before = server.server().accounts().tokens("eve").size();
        Map<String[], String> refusals = new LinkedHashMap<>();
        refusals.put(
                new String[] {"permission", "read-write", "password", "wrong-password"},
                "incorrect password");
        refusals.put(
                new String[] {
                    "permission", "read-write", "days", "91", "password", TestServer.password("eve")
                },
                "read-write tokens may live at most 90 days");
        refusals.put(
                new String[] {
                    "permission", "read-only", "days", "366", "password", TestServer.password("eve")
                },
                "read-only tokens may live at most 365 days");
        refusals.put(
                new String[] {"days", "0", "password", TestServer.password("eve")},
                "expires must be a number of days, at least 1");
        refusals.put(
                new String[] {"days", "9".repeat(400), "password", TestServer.password("eve")},
                "expires must be a number of days, at least 1");
        refusals.put(
                new String[] {"permission", "admin", "password", TestServer.password("eve")},
                "permission must be read-only or read-write");
        refusals.put(
                new String[] {"scopes", "@Not Valid!", "password", TestServer.password("eve")},
                "invalid scope @Not");
        refusals.put(
                new String[] {"cidrs", "300.1.2.3/8", "password", TestServer.password("eve")},
                "300.1.2.3/8");
        refusals.put(
                new String[] {"packages", "x".repeat(300), "password", TestServer.password("eve")},
                "packages must hold names of at most 214 characters each");
        for (var e : refusals.entrySet()) {
            Http.Result r = createToken(b, e.getKey());
            assertThat(r.status()).as(e.getValue()).isBetween(400, 401);
            assertThat(r.body())
                    .as(e.getValue())
                    .contains("class=\"error\">")
                    .contains(e.getValue().replace("'", "&#39;"));
            assertThat(r.body()).doesNotContain("id=\"new-token\"");
        }
        // what was typed is kept (but never the password)
        Http.Result kept = createToken(b, "name", "kept-name", "password", "wrong-password");
        assertThat(kept.body()).contains("value=\"kept-name\"").doesNotContain("wrong-password");
        assertThat(server.server().accounts().tokens("eve")).hasSize(before);

        // CSRF: missing, and another browser's
        Http.Result missing =
                b.postForm("/-/web/account/tokens", form("password", TestServer.password("eve")));
        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.body()).contains("The request carries no CSRF token");
        server.token("mal");
        Browser mal = Browser.signedIn(http, "mal");
        String malCsrf = Browser.csrf(mal.get("/-/web/account/tokens"));
        Http.Result forged =
                b.postForm(
                        "/-/web/account/tokens",
                        form("csrf", malCsrf, "password", TestServer.password("eve")));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("does not belong to this browser");
        // not a form at all
        Http.Result json = b.postJson("/-/web/account/tokens", malCsrf, "{}");
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.body()).contains("expected a form");
        assertThat(server.server().accounts().tokens("eve")).hasSize(before);

        // revoking: an unknown key, a malformed one, another account's token
        String csrf = Browser.csrf(b.get("/-/web/account/tokens"));
        Http.Result unknown =
                b.postForm("/-/web/account/tokens/0123456789abcdef/revoke", form("csrf", csrf));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body())
                .contains("you have no token with the key &#34;0123456789abcdef&#34;");
        Http.Result odd =
                b.postForm("/-/web/account/tokens/%3Cscript%3E/revoke", form("csrf", csrf));
        assertThat(odd.status()).isEqualTo(404);
        assertThat(odd.body()).contains("&lt;script>").doesNotContain("<script>");
        String malKey = server.server().accounts().tokens("mal").get(0).key();
        Http.Result foreign =
                b.postForm("/-/web/account/tokens/" + malKey + "/revoke", form("csrf", csrf));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(server.server().accounts().tokens("mal"))
                .extracting(t -> t.key())
                .contains(malKey);
        Http.Result forgedRevoke =
                b.postForm(
                        "/-/web/account/tokens/"
                                + server.server().accounts().tokens("eve").get(0).key()
                                + "/revoke",
                        form("csrf", malCsrf));
        assertThat(forgedRevoke.status()).isEqualTo(403);
        assertThat(server.server().accounts().tokens("eve")).hasSize(before);
    }

    @Test
    void wrongPasswordsAreThrottledAsOnTheApi() throws Exception {
        server.token("fay");
        Browser b = Browser.signedIn(http, "fay");
        Http.Result r = null;
        for (int i = 0; i < 10; i++) {
            r = createToken(b, "password", "wrong-" + i);
            if (r.status() == 429) {
                break;
            }
            assertThat(r.status()).isEqualTo(401);
        }
        assertThat(r.status()).isEqualTo(429);
        assertThat(Long.parseLong(r.header("Retry-After"))).isPositive();
        assertThat(r.body()).contains("class=\"error\">").doesNotContain("id=\"new-token\"");
        assertThat(server.server().accounts().tokens("fay")).hasSize(2);
    }

    @Test
    void twoFactorTurnedOnOnThePageIsAskedAtLoginAndForTokens() throws Exception {
        // a clock the authenticator moves on, rather than waiting for the next time step
        MovableClock clock = new MovableClock();
        server.close();
        server = TestServer.start(Map.of(), clock);
        http = server.http();
        String login = server.token("gus");
        Browser b = Browser.signedIn(http, "gus");
        String csrf = Browser.csrf(b.get("/-/web/account/2fa"));
        assertThat(b.get("/-/web/account/2fa").body()).contains("id=\"enable-2fa\"");

        // a wrong password: the form again, nothing pending
        Http.Result wrong =
                b.postForm(
                        "/-/web/account/2fa/enable",
                        form("csrf", csrf, "mode", "auth-and-writes", "password", "nope-nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("incorrect password").contains("id=\"enable-2fa\"");
        assertThat(server.server().accounts().twoFactorRecord("gus")).isEmpty();
        Http.Result badMode =
                b.postForm(
                        "/-/web/account/2fa/enable",
                        form(
                                "csrf",
                                csrf,
                                "mode",
                                "sometimes",
                                "password",
                                TestServer.password("gus")));
        assertThat(badMode.status()).isEqualTo(400);
        assertThat(badMode.body()).contains("two-factor mode must be auth-only or auth-and-writes");

        Http.Result setup =
                b.postForm(
                        "/-/web/account/2fa/enable",
                        form(
                                "csrf",
                                csrf,
                                "mode",
                                "auth-and-writes",
                                "password",
                                TestServer.password("gus")));
        assertThat(setup.status()).isEqualTo(200);
        String html = setup.body();
        String secret = find("<code id=\"totp-secret\" class=\"secret\">([A-Z2-7]+)</code>", html);
        assertThat(find("<code id=\"totp-uri\">([^<]+)</code>", html))
                .startsWith("otpauth://totp/")
                .contains("secret=" + secret);
        // the QR code is drawn in the page: SVG rectangles, no data: URL, no style attribute
        assertThat(html).contains("<svg id=\"totp-qr\"").contains("<rect x=\"");
        assertThat(html).doesNotContain("data:").doesNotContain("style=");
        // a pending setup's secret is not shown again
        String pending = b.get("/-/web/account/2fa").body();
        assertThat(pending).doesNotContain(secret).contains("id=\"confirm-2fa\"");

        Authenticator app = Authenticator.ofSecret(secret).following(clock);
        Http.Result badCode =
                b.postForm("/-/web/account/2fa/confirm", form("csrf", csrf, "code", "000000"));
        assertThat(badCode.status()).isEqualTo(400);
        assertThat(badCode.body()).contains("that code does not match").doesNotContain(secret);
        Http.Result confirmed =
                b.postForm("/-/web/account/2fa/confirm", form("csrf", csrf, "code", app.next()));
        assertThat(confirmed.status()).isEqualTo(200);
        Matcher codes =
                Pattern.compile("<li><code>([0-9a-f]{64})</code></li>").matcher(confirmed.body());
        int n = 0;
        while (codes.find()) {
            n++;
        }
        assertThat(n).isEqualTo(8);
        assertThat(b.get("/-/web/account").body()).contains("on for signing in and every write");

        // npm-style login now asks for the code
        Map<String, Object> body =
                Map.of(
                        "name",
                        "gus",
                        "password",
                        TestServer.password("gus"),
                        "email",
                        "gus@example.com");
        Http.Result noCode = http.put("/-/user/org.couchdb.user:gus", null, body);
        assertThat(noCode.status()).isEqualTo(401);
        assertThat(noCode.header("WWW-Authenticate")).isEqualTo("OTP");
        Http.Result withCode =
                http.send(
                        "PUT",
                        "/-/user/org.couchdb.user:gus",
                        null,
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body),
                        Map.of("npm-otp", app.next(), "Content-Type", "application/json"));
        assertThat(withCode.status()).isEqualTo(201);

        // a token on the page now takes the code too
        Http.Result noOtp = createToken(b, "password", TestServer.password("gus"));
        assertThat(noOtp.status()).isEqualTo(401);
        assertThat(noOtp.body()).contains("enter a one-time password");
        Http.Result badOtp =
                createToken(b, "password", TestServer.password("gus"), "otp", "123456");
        assertThat(badOtp.status()).isEqualTo(401);
        assertThat(badOtp.body()).contains("that one-time password is wrong or was already used");
        Http.Result withOtp =
                createToken(b, "password", TestServer.password("gus"), "otp", app.next());
        assertThat(withOtp.status()).as(withOtp.body()).isEqualTo(200);

        // changing the mode takes password and code; a wrong code changes nothing
        csrf = Browser.csrf(b.get("/-/web/account/2fa"));
        Http.Result modeBad =
                b.postForm(
                        "/-/web/account/2fa/mode",
                        form(
                                "csrf",
                                csrf,
                                "mode",
                                "auth-only",
                                "password",
                                TestServer.password("gus"),
                                "otp",
                                "999999"));
        assertThat(modeBad.status()).isEqualTo(401);
        assertThat(server.server().accounts().secondFactors().activeMode("gus"))
                .contains("auth-and-writes");
        Http.Result modeOk =
                b.postForm(
                        "/-/web/account/2fa/mode",
                        form(
                                "csrf",
                                csrf,
                                "mode",
                                "auth-only",
                                "password",
                                TestServer.password("gus"),
                                "otp",
                                app.next()));
        assertThat(modeOk.status()).isEqualTo(303);
        assertThat(server.server().accounts().secondFactors().activeMode("gus"))
                .contains("auth-only");

        // turning it off takes the code as well
        Http.Result offNoCode =
                b.postForm(
                        "/-/web/account/2fa/disable",
                        form("csrf", csrf, "password", TestServer.password("gus")));
        assertThat(offNoCode.status()).isEqualTo(401);
        assertThat(offNoCode.body()).contains("enter a one-time password");
        assertThat(server.server().accounts().secondFactors().activeMode("gus")).isPresent();
        Http.Result off =
                b.postForm(
                        "/-/web/account/2fa/disable",
                        form(
                                "csrf",
                                csrf,
                                "password",
                                TestServer.password("gus"),
                                "otp",
                                app.next()));
        assertThat(off.status()).isEqualTo(303);
        assertThat(server.server().accounts().twoFactorRecord("gus")).isEmpty();

        String history = http.get("/-/warden/v1/security-events?limit=100", login, Map.of()).body();
        assertThat(history)
                .contains("2fa.pending")
                .contains("2fa.enabled")
                .contains("2fa.mode-changed")
                .contains("2fa.disabled")
                .contains("2fa.otp-failed");
    }

    @Test
    void theHistoryIsPagedNewestFirst() throws Exception {
        String login = server.token("hal");
        for (int i = 0; i < 30; i++) {
            server.token("hal");
        }
        int total;
        Browser b = Browser.signedIn(http, "hal");
        total =
                http.get("/-/warden/v1/security-events?limit=500", login, Map.of())
                        .json()
                        .path("events")
                        .size();
        assertThat(total)
                .isBetween(AccountPages.HISTORY_PAGE_SIZE + 1, 2 * AccountPages.HISTORY_PAGE_SIZE);
        Http.Result first = b.get("/-/web/account/history");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains("id=\"older\"").doesNotContain("id=\"newer\"");
        String firstList = first.body().substring(first.body().indexOf("<ul id=\"history\""));
        assertThat(firstList.split("<li>", -1).length - 1)
                .isEqualTo(AccountPages.HISTORY_PAGE_SIZE);
        assertThat(firstList).contains(" from 127.0.0.1");
        Http.Result second = b.get("/-/web/account/history?page=2");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).contains("id=\"newer\"").doesNotContain("id=\"older\"");
        String secondList = second.body().substring(second.body().indexOf("<ul id=\"history\""));
        assertThat(secondList.split("<li>", -1).length - 1)
                .isEqualTo(total - AccountPages.HISTORY_PAGE_SIZE);
        // the oldest event, account.created, is last on the last page
        assertThat(secondList.lastIndexOf("account.created"))
                .isGreaterThan(secondList.lastIndexOf("<li>"));

        Map<String, String> bad =
                Map.of(
                        "abc", "page must be a number from 1 to 200, not &#34;abc&#34;",
                        "0", "page must be a number from 1 to 200",
                        "201", "older events are in the API",
                        "99999999999999999999", "page must be a number from 1 to 200",
                        "%3Cscript%3E", "not &#34;&lt;script>&#34;");
        for (var e : bad.entrySet()) {
            Http.Result r = b.get("/-/web/account/history?page=" + e.getKey());
            assertThat(r.status()).as(e.getKey()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).contains(e.getValue());
        }
        Http.Result beyond = b.get("/-/web/account/history?page=9");
        assertThat(beyond.status()).isEqualTo(404);
        assertThat(beyond.body()).contains("there is no page 9 of your security history");
        // a broken escape no client library sends: 400, never a 500
        String malformed =
                http.raw(
                        "GET /-/web/account/history?page=%zz HTTP/1.1\r\nHost: localhost\r\n"
                                + "Cookie: warden_session="
                                + b.cookie("warden_session")
                                + "\r\nConnection: close\r\n\r\n");
        assertThat(malformed).startsWith("HTTP/1.1 400");
    }
}
