package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.server.testing.Authenticator;
import dev.warden.server.testing.Http;
import dev.warden.server.testing.Tarballs;
import dev.warden.server.testing.TestServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TOTP 2FA as npm profile drives it, OTP challenges on writes, granular tokens, package MFA,
 * security history.
 */
class TwoFactorAndTokensTest {

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

    private static String password(String user) {
        return TestServer.password(user);
    }

    private Http.Result post(String path, String token, Object body, String otp) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp != null) {
            headers.put("npm-otp", otp);
        }
        return http.send(
                "POST",
                path,
                token,
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(body),
                headers);
    }

    private Http.Result publish(String token, String name, String version, String otp)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (otp != null) {
            headers.put("npm-otp", otp);
        }
        return http.send(
                "PUT",
                Tarballs.path(name),
                token,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .writeValueAsBytes(Tarballs.publishBody(name, version)),
                headers);
    }

    /**
     * Enables 2FA the way npm profile enable-2fa does; returns the authenticator and the recovery
     * codes.
     */
    private Map.Entry<Authenticator, List<String>> enable(String user, String token, String mode)
            throws Exception {
        Http.Result begin =
                post(
                        "/-/npm/v1/user",
                        token,
                        Map.of("tfa", Map.of("password", password(user), "mode", mode)),
                        null);
        assertThat(begin.status()).as(begin.body()).isEqualTo(200);
        String url = begin.json().path("tfa").asText();
        assertThat(url).startsWith("otpauth://totp/").contains("secret=");
        assertThat(
                        http.get("/-/npm/v1/user", token, Map.of())
                                .json()
                                .path("tfa")
                                .path("pending")
                                .asBoolean())
                .isTrue();
        Authenticator app = new Authenticator(url);
        Http.Result confirm =
                post("/-/npm/v1/user", token, Map.of("tfa", List.of(app.next())), null);
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        confirm.json().path("tfa").forEach(c -> codes.add(c.asText()));
        assertThat(codes).hasSize(8).allMatch(c -> c.matches("[0-9a-f]{64}"));
        JsonNode profile = http.get("/-/npm/v1/user", token, Map.of()).json();
        assertThat(profile.path("tfa").path("pending").asBoolean()).isFalse();
        assertThat(profile.path("tfa").path("mode").asText()).isEqualTo(mode);
        return Map.entry(app, codes);
    }

    @Test
    void authAndWritesAsksForACodeOnEveryWriteAndEachCodeWorksOnce() throws Exception {
        String token = server.token("ann");
        Authenticator app = enable("ann", token, "auth-and-writes").getKey();

        Http.Result noCode = publish(token, "ann-pkg", "1.0.0", null);
        assertThat(noCode.status()).isEqualTo(401);
        assertThat(noCode.header("WWW-Authenticate")).isEqualTo("OTP");
        assertThat(noCode.error()).contains("one-time password");
        assertThat(http.get("/ann-pkg").status()).isEqualTo(404);

        String code = app.next();
        assertThat(publish(token, "ann-pkg", "1.0.0", code).status()).isEqualTo(200);
        // npm repeats --otp on each request of one command: the same token may reuse the code
        // briefly,
        // any other credential may not
        String other = server.server().accounts().issue("ann", false, null, List.of()).secret();
        Http.Result replay = publish(other, "ann-pkg", "1.0.1", code);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(http.get("/ann-pkg").json().path("versions").has("1.0.1")).isFalse();
        assertThat(publish(other, "ann-pkg", "1.0.1", "000000").status()).isEqualTo(401);
        // reads never ask
        assertThat(http.get("/ann-pkg", token, Map.of()).status()).isEqualTo(200);
        assertThat(http.get("/-/whoami", token, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void theWebOtpFlowApprovesOneRequest() throws Exception {
        String token = server.token("wes");
        Authenticator app = enable("wes", token, "auth-and-writes").getKey();
        Http.Result challenge = publish(token, "wes-pkg", "1.0.0", null);
        assertThat(challenge.status()).isEqualTo(401);
        String authUrl = challenge.json().path("authUrl").asText();
        String doneUrl = challenge.json().path("doneUrl").asText();
        assertThat(authUrl).startsWith(server.url() + "/-/web/otp/");
        assertThat(doneUrl).startsWith(server.url() + "/-/v1/otp/done/");
        Http.Result pending = http.get(doneUrl.substring(server.url().length()));
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.header("Retry-After")).isEqualTo("1");

        Http.Result pageRes = http.get(authUrl.substring(server.url().length()));
        String csrf =
                java.util.regex.Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(pageRes.body())
                        .results()
                        .findFirst()
                        .orElseThrow()
                        .group(1);
        String cookie = pageRes.header("Set-Cookie").split(";")[0];
        Map<String, String> form =
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie);
        String path = authUrl.substring(server.url().length());
        assertThat(
                        http.send(
                                        "POST",
                                        path,
                                        null,
                                        ("csrf=" + csrf + "&otp=000000").getBytes(),
                                        form)
                                .status())
                .isEqualTo(401);
        assertThat(
                        http.send(
                                        "POST",
                                        path,
                                        null,
                                        ("csrf=wrong&otp=" + app.next()).getBytes(),
                                        form)
                                .status())
                .isEqualTo(403);
        assertThat(
                        http.send(
                                        "POST",
                                        path,
                                        null,
                                        ("csrf=" + csrf + "&otp=" + app.next()).getBytes(),
                                        form)
                                .status())
                .isEqualTo(200);

        String oneShot =
                http.get(doneUrl.substring(server.url().length())).json().path("token").asText();
        assertThat(oneShot).startsWith("wotp_");
        assertThat(http.get(doneUrl.substring(server.url().length())).status()).isEqualTo(404);
        assertThat(publish(token, "wes-pkg", "1.0.0", oneShot).status()).isEqualTo(200);
        assertThat(publish(token, "wes-pkg", "1.0.1", oneShot).status()).isEqualTo(401);
        // a token from the web flow cannot approve another web request
        Http.Result second = publish(token, "wes-pkg", "1.0.1", null);
        String path2 = second.json().path("authUrl").asText().substring(server.url().length());
        Http.Result page2 = http.get(path2);
        String csrf2 =
                java.util.regex.Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"")
                        .matcher(page2.body())
                        .results()
                        .findFirst()
                        .orElseThrow()
                        .group(1);
        assertThat(
                        http.send(
                                        "POST",
                                        path2,
                                        null,
                                        ("csrf=" + csrf2 + "&otp=" + oneShot).getBytes(),
                                        Map.of(
                                                "Content-Type",
                                                "application/x-www-form-urlencoded",
                                                "Cookie",
                                                page2.header("Set-Cookie").split(";")[0]))
                                .status())
                .isEqualTo(401);
    }

    @Test
    void authOnlyAsksAtLoginAndRecoveryCodesWorkOnce() throws Exception {
        String token = server.token("bea");
        var enabled = enable("bea", token, "auth-only");
        assertThat(publish(token, "bea-pkg", "1.0.0", null).status()).isEqualTo(200);
        Map<String, Object> login =
                Map.of("name", "bea", "password", password("bea"), "email", "bea@example.com");
        Http.Result noCode = http.put("/-/user/org.couchdb.user:bea", null, login);
        assertThat(noCode.status()).isEqualTo(401);
        assertThat(noCode.header("WWW-Authenticate")).isEqualTo("OTP");
        String recovery = enabled.getValue().get(0);
        Http.Result withRecovery =
                http.send(
                        "PUT",
                        "/-/user/org.couchdb.user:bea",
                        null,
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(login),
                        Map.of("npm-otp", recovery, "Content-Type", "application/json"));
        assertThat(withRecovery.status()).isEqualTo(201);
        Http.Result again =
                http.send(
                        "PUT",
                        "/-/user/org.couchdb.user:bea",
                        null,
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(login),
                        Map.of("npm-otp", recovery, "Content-Type", "application/json"));
        assertThat(again.status()).isEqualTo(401);
        // Basic authentication is not a way around the second factor
        String basic =
                java.util.Base64.getEncoder().encodeToString(("bea:" + password("bea")).getBytes());
        assertThat(http.get("/-/whoami", null, Map.of("Authorization", "Basic " + basic)).status())
                .isEqualTo(401);
    }

    @Test
    void disablingNeedsPasswordAndCode() throws Exception {
        String token = server.token("cid");
        Authenticator app = enable("cid", token, "auth-and-writes").getKey();
        Map<String, Object> disable =
                Map.of("tfa", Map.of("password", password("cid"), "mode", "disable"));
        assertThat(post("/-/npm/v1/user", token, disable, null).status()).isEqualTo(401);
        assertThat(
                        post(
                                        "/-/npm/v1/user",
                                        token,
                                        Map.of(
                                                "tfa",
                                                Map.of(
                                                        "password",
                                                        "wrong-password",
                                                        "mode",
                                                        "disable")),
                                        app.next())
                                .status())
                .isEqualTo(401);
        assertThat(post("/-/npm/v1/user", token, disable, app.next()).status()).isEqualTo(200);
        assertThat(http.get("/-/npm/v1/user", token, Map.of()).json().path("tfa").isNull())
                .isTrue();
        assertThat(publish(token, "cid-pkg", "1.0.0", null).status()).isEqualTo(200);
    }

    @Test
    void guessingCodesIsThrottled() throws Exception {
        String token = server.token("dan");
        enable("dan", token, "auth-and-writes");
        int throttled = 0;
        for (int i = 0; i < 14; i++) {
            int status =
                    publish(token, "dan-pkg", "1.0.0", String.format("%06d", 100000 + i)).status();
            if (status == 429) {
                throttled++;
            } else {
                assertThat(status).isEqualTo(401);
            }
        }
        assertThat(throttled).isGreaterThanOrEqualTo(4);
        JsonNode events =
                http.get("/-/warden/v1/security-events", token, Map.of()).json().path("events");
        assertThat(events.findValuesAsText("kind"))
                .contains("2fa.otp-failed", "2fa.enabled", "2fa.pending");
    }

    @Test
    void malformedTwoFactorRequestsAreRefused() throws Exception {
        String token = server.token("eve");
        assertThat(post("/-/npm/v1/user", token, Map.of("tfa", List.of("123456")), null).status())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/-/npm/v1/user",
                                        token,
                                        Map.of(
                                                "tfa",
                                                Map.of(
                                                        "password",
                                                        password("eve"),
                                                        "mode",
                                                        "sometimes")),
                                        null)
                                .status())
                .isEqualTo(400);
        assertThat(post("/-/npm/v1/user", token, Map.of("tfa", "yes"), null).status())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/-/npm/v1/user",
                                        token,
                                        Map.of(
                                                "tfa",
                                                Map.of("password", "wrong", "mode", "auth-only")),
                                        null)
                                .status())
                .isEqualTo(401);
        assertThat(
                        post(
                                        "/-/npm/v1/user",
                                        null,
                                        Map.of(
                                                "tfa",
                                                Map.of(
                                                        "password",
                                                        password("eve"),
                                                        "mode",
                                                        "auth-only")),
                                        null)
                                .status())
                .isEqualTo(401);
        assertThat(http.get("/-/npm/v1/user", token, Map.of()).json().path("tfa").isNull())
                .isTrue();
    }

    @Test
    void granularTokensAreLimitedToWhatTheyName() throws Exception {
        String owner = server.token("fay");
        assertThat(publish(owner, "fay-a", "1.0.0", null).status()).isEqualTo(200);
        assertThat(publish(owner, "fay-b", "1.0.0", null).status()).isEqualTo(200);

        Http.Result wrongPw = post("/-/npm/v1/tokens", owner, Map.of("password", "nope"), null);
        assertThat(wrongPw.status()).isEqualTo(401);
        Http.Result readOnly =
                post(
                        "/-/npm/v1/tokens",
                        owner,
                        Map.of("password", password("fay"), "name", "reader"),
                        null);
        assertThat(readOnly.status()).isEqualTo(200);
        String reader = readOnly.json().path("token").asText();
        assertThat(readOnly.json().path("readonly").asBoolean()).isTrue();
        assertThat(publish(reader, "fay-a", "1.0.1", null).status()).isEqualTo(403);

        Http.Result limited =
                post(
                        "/-/npm/v1/tokens",
                        owner,
                        Map.of(
                                "password",
                                password("fay"),
                                "name",
                                "ci",
                                "packages",
                                List.of("fay-a"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                30),
                        null);
        assertThat(limited.status()).as(limited.body()).isEqualTo(200);
        String ci = limited.json().path("token").asText();
        assertThat(publish(ci, "fay-a", "1.0.1", null).status()).isEqualTo(200);
        Http.Result other = publish(ci, "fay-b", "1.0.1", null);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.error()).contains("limited to other packages");

        assertThat(
                        post(
                                        "/-/npm/v1/tokens",
                                        owner,
                                        Map.of(
                                                "password",
                                                password("fay"),
                                                "packages_and_scopes_permission",
                                                "read-write",
                                                "expires",
                                                91),
                                        null)
                                .status())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/-/npm/v1/tokens",
                                        owner,
                                        Map.of(
                                                "password",
                                                password("fay"),
                                                "cidr_whitelist",
                                                List.of("not-a-cidr")),
                                        null)
                                .status())
                .isEqualTo(400);
        assertThat(
                        post(
                                        "/-/npm/v1/tokens",
                                        owner,
                                        Map.of(
                                                "password",
                                                password("fay"),
                                                "packages_and_scopes_permission",
                                                "admin"),
                                        null)
                                .status())
                .isEqualTo(400);
        assertThat(
                        post("/-/npm/v1/tokens", reader, Map.of("password", password("fay")), null)
                                .status())
                .isEqualTo(403);

        Http.Result fenced =
                post(
                        "/-/npm/v1/tokens",
                        owner,
                        Map.of(
                                "password",
                                password("fay"),
                                "cidr_whitelist",
                                List.of("10.9.8.0/24")),
                        null);
        String fencedToken = fenced.json().path("token").asText();
        Http.Result outside = http.get("/-/whoami", fencedToken, Map.of());
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.error()).contains("may not be used from 127.0.0.1");

        JsonNode list = http.get("/-/npm/v1/tokens", owner, Map.of()).json();
        assertThat(list.has("urls")).isTrue();
        assertThat(list.path("objects").findValuesAsText("name")).contains("reader", "ci");
        String ciKey = limited.json().path("key").asText();
        assertThat(http.delete("/-/npm/v1/tokens/token/" + ciKey, reader).status()).isEqualTo(403);
        assertThat(http.delete("/-/npm/v1/tokens/token/" + ciKey, owner).status()).isEqualTo(200);
        assertThat(http.get("/-/whoami", ci, Map.of()).status()).isEqualTo(401);
        // revoking by the secret itself works too; unknown ones are 404
        assertThat(http.delete("/-/npm/v1/tokens/token/" + reader, owner).status()).isEqualTo(200);
        assertThat(http.delete("/-/npm/v1/tokens/token/nothing", owner).status()).isEqualTo(404);
        JsonNode events =
                http.get("/-/warden/v1/security-events", owner, Map.of()).json().path("events");
        assertThat(events.findValuesAsText("kind"))
                .contains("token.created", "token.revoked", "token.refused-address", "login");
    }

    /** The tokens {@code user} has, as npm token list shows them. */
    private int tokenCount(String token) throws Exception {
        return http.get("/-/npm/v1/tokens", token, Map.of()).json().path("total").asInt();
    }

    @Test
    void onlyAFullSignInMayCreateTokensNeverALimitedOrReadOnlyToken() throws Exception {
        String owner = server.token("kim");
        String toPackage =
                post(
                                "/-/npm/v1/tokens",
                                owner,
                                Map.of(
                                        "password",
                                        password("kim"),
                                        "packages",
                                        List.of("kim-a"),
                                        "packages_and_scopes_permission",
                                        "read-write"),
                                null)
                        .json()
                        .path("token")
                        .asText();
        String toScope =
                post(
                                "/-/npm/v1/tokens",
                                owner,
                                Map.of(
                                        "password",
                                        password("kim"),
                                        "scopes",
                                        List.of("@kim"),
                                        "packages_and_scopes_permission",
                                        "read-write"),
                                null)
                        .json()
                        .path("token")
                        .asText();
        String reader =
                post("/-/npm/v1/tokens", owner, Map.of("password", password("kim")), null)
                        .json()
                        .path("token")
                        .asText();
        int before = tokenCount(owner);
        // what npm token create sends: the password in the body, the configured token as bearer
        Map<String, Object> npmTokenCreate =
                Map.of("password", password("kim"), "readonly", false, "cidr_whitelist", List.of());
        for (String limited : List.of(toPackage, toScope)) {
            Http.Result r = post("/-/npm/v1/tokens", limited, npmTokenCreate, null);
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.error())
                    .isEqualTo(
                            "a token limited to some packages or scopes cannot create tokens: sign"
                                    + " in with npm login to create one");
        }
        Http.Result readOnly = post("/-/npm/v1/tokens", reader, npmTokenCreate, null);
        assertThat(readOnly.status()).isEqualTo(403);
        assertThat(readOnly.error())
                .isEqualTo(
                        "a read-only token cannot create tokens: sign in with npm login to create"
                                + " one");
        assertThat(tokenCount(owner)).isEqualTo(before);
        // the sign-in's own session may, with the password
        Http.Result full = post("/-/npm/v1/tokens", owner, npmTokenCreate, null);
        assertThat(full.status()).as(full.body()).isEqualTo(200);
        assertThat(tokenCount(owner)).isEqualTo(before + 1);
    }

    @Test
    void aGranularTokenCreatesNoTokenBroaderThanItself() throws Exception {
        String owner = server.token("lou");
        Http.Result made =
                post(
                        "/-/npm/v1/tokens",
                        owner,
                        Map.of(
                                "password",
                                password("lou"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                7,
                                "cidr_whitelist",
                                List.of("127.0.0.0/8")),
                        null);
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String granular = made.json().path("token").asText();
        int before = tokenCount(owner);
        String outsideItsNetworks =
                "this token may be used only from 127.0.0.0/8: a token it creates must be limited"
                        + " to those networks too";
        List<Map.Entry<String, Http.Result>> refused = new ArrayList<>();
        refused.add(
                Map.entry(
                        outsideItsNetworks,
                        post(
                                "/-/npm/v1/tokens",
                                granular,
                                Map.of(
                                        "password",
                                        password("lou"),
                                        "readonly",
                                        false,
                                        "expires",
                                        1,
                                        "cidr_whitelist",
                                        List.of()),
                                null)));
        refused.add(
                Map.entry(
                        outsideItsNetworks,
                        post(
                                "/-/npm/v1/tokens",
                                granular,
                                Map.of(
                                        "password",
                                        password("lou"),
                                        "readonly",
                                        false,
                                        "expires",
                                        1,
                                        "cidr_whitelist",
                                        List.of("0.0.0.0/0")),
                                null)));
        refused.add(
                Map.entry(
                        "a token it creates may not outlive it",
                        post(
                                "/-/npm/v1/tokens",
                                granular,
                                Map.of(
                                        "password",
                                        password("lou"),
                                        "packages_and_scopes_permission",
                                        "read-write",
                                        "expires",
                                        30,
                                        "cidr_whitelist",
                                        List.of("127.0.0.1/32")),
                                null)));
        refused.add(
                Map.entry(
                        "this token does not bypass two-factor authentication: a token it creates"
                                + " may not either",
                        post(
                                "/-/npm/v1/tokens",
                                granular,
                                Map.of(
                                        "password",
                                        password("lou"),
                                        "packages_and_scopes_permission",
                                        "read-write",
                                        "expires",
                                        1,
                                        "bypass_2fa",
                                        true,
                                        "cidr_whitelist",
                                        List.of("127.0.0.1/32")),
                                null)));
        for (Map.Entry<String, Http.Result> r : refused) {
            assertThat(r.getValue().status()).as(r.getKey()).isEqualTo(403);
            assertThat(r.getValue().error()).as(r.getKey()).endsWith(r.getKey());
        }
        assertThat(tokenCount(owner)).isEqualTo(before);
        Http.Result narrower =
                post(
                        "/-/npm/v1/tokens",
                        granular,
                        Map.of(
                                "password",
                                password("lou"),
                                "packages",
                                List.of("lou-a"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "expires",
                                6,
                                "cidr_whitelist",
                                List.of("127.0.0.1/32")),
                        null);
        assertThat(narrower.status()).as(narrower.body()).isEqualTo(200);
        assertThat(tokenCount(owner)).isEqualTo(before + 1);
    }

    @Test
    void packageMfaRequiresACodeToPublishUnlessAnAutomationTokenMayBypass() throws Exception {
        String token = server.token("gil");
        Authenticator app = enable("gil", token, "auth-only").getKey();
        assertThat(publish(token, "gil-pkg", "1.0.0", null).status()).isEqualTo(200);
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        token,
                                        Map.of(
                                                "publish_requires_tfa",
                                                true,
                                                "automation_token_overrides_tfa",
                                                false),
                                        null)
                                .status())
                .isEqualTo(401);
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        token,
                                        Map.of(
                                                "publish_requires_tfa",
                                                true,
                                                "automation_token_overrides_tfa",
                                                false),
                                        app.next())
                                .status())
                .isEqualTo(200);
        Http.Result noCode = publish(token, "gil-pkg", "1.0.1", null);
        assertThat(noCode.status()).isEqualTo(401);
        assertThat(noCode.header("WWW-Authenticate")).isEqualTo("OTP");
        // the rule covers every change to the package, not only publishes
        assertThat(http.put("/-/package/gil-pkg/dist-tags/next", token, "1.0.0").status())
                .isEqualTo(401);
        assertThat(publish(token, "gil-pkg", "1.0.1", app.next()).status()).isEqualTo(200);

        Http.Result automation =
                post(
                        "/-/npm/v1/tokens",
                        token,
                        Map.of(
                                "password",
                                password("gil"),
                                "packages_and_scopes_permission",
                                "read-write",
                                "bypass_2fa",
                                true),
                        app.next());
        assertThat(automation.status()).as(automation.body()).isEqualTo(200);
        String bot = automation.json().path("token").asText();
        assertThat(publish(bot, "gil-pkg", "1.0.2", null).status()).isEqualTo(401);
        // the bypass token cannot loosen the rule it is subject to
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        bot,
                                        Map.of("publish_requires_tfa", false),
                                        null)
                                .status())
                .isEqualTo(401);
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        token,
                                        Map.of(
                                                "publish_requires_tfa",
                                                true,
                                                "automation_token_overrides_tfa",
                                                true),
                                        app.next())
                                .status())
                .isEqualTo(200);
        assertThat(publish(bot, "gil-pkg", "1.0.2", null).status()).isEqualTo(200);
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        token,
                                        Map.of("publish_requires_tfa", "yes"),
                                        null)
                                .status())
                .isEqualTo(400);
        String other = server.token("hal");
        assertThat(
                        post(
                                        "/-/package/gil-pkg/access",
                                        other,
                                        Map.of("publish_requires_tfa", false),
                                        null)
                                .status())
                .isEqualTo(403);
        // an account without 2FA is told to enable it rather than asked for a code it cannot give
        assertThat(publish(other, "hal-pkg", "1.0.0", null).status()).isEqualTo(200);
        Http.Result noTfa =
                post(
                        "/-/package/hal-pkg/access",
                        other,
                        Map.of("publish_requires_tfa", true),
                        null);
        assertThat(noTfa.status()).isEqualTo(403);
        assertThat(noTfa.error()).contains("enable it with npm profile enable-2fa");
    }
}
