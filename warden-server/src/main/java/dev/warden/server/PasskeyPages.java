package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.util.HashMap;
import java.util.Map;

/**
 * Passkeys on the registry's pages: registering and removing one (a recent sign-in only), and
 * signing in, approving an npm login or a web OTP with one. The JSON requests carry the CSRF token
 * in {@code X-Warden-CSRF}; sessions and CSRF are {@link WebPages}'.
 */
final class PasskeyPages {

    private final WebPages web;
    private final Accounts accounts;
    private final java.time.Clock clock;

    PasskeyPages(WebPages web, Accounts accounts, java.time.Clock clock) {
        this.web = web;
        this.accounts = accounts;
        this.clock = clock;
    }

    void routes(Router r) {
        r.route("POST", "/-/web/passkeys/register/options", this::registerOptions)
                .route("POST", "/-/web/passkeys/register/finish", this::registerFinish)
                .route("POST", "/-/web/passkeys/remove", this::removePasskey)
                .route("POST", "/-/web/passkeys/login/options", this::loginOptions)
                .route("POST", "/-/web/passkeys/login/finish", this::loginFinish);
    }

    private void requireJsonCsrf(Exchange ex) {
        String reason = web.csrfRefusal(ex, ex.header("X-Warden-CSRF"));
        if (reason != null) {
            throw Problem.forbidden(reason);
        }
    }

    /**
     * Changing an account's passkeys takes a recent sign-in (10 minutes): a session left open, or a
     * stolen cookie that has aged, cannot add an attacker's passkey.
     */
    private dev.warden.accounts.Principal recentSession(Exchange ex) {
        var who = web.session(ex).orElseThrow(() -> Problem.unauthorized("sign in first"));
        var started =
                accounts.browserSessionStarted(ex.cookie(WebPages.SESSION_COOKIE))
                        .orElseThrow(() -> Problem.unauthorized("sign in first"));
        if (started.isBefore(clock.instant().minus(java.time.Duration.ofMinutes(10)))) {
            throw Problem.forbidden("sign in again to change your passkeys");
        }
        return who;
    }

    private Reply removePasskey(Exchange ex) throws Exception {
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, "Your account");
        if (refused != null) {
            return refused;
        }
        var who = recentSession(ex);
        accounts.webAuthn()
                .remove(who.user(), form.getOrDefault("credential", ""), ex.clientAddress());
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", "/-/web/account");
        return reply;
    }

    private Reply registerOptions(Exchange ex) {
        requireJsonCsrf(ex);
        var who = recentSession(ex);
        String email = accounts.user(who.user()).map(u -> u.email()).orElse(null);
        var started = accounts.webAuthn().startRegistration(who.user(), email);
        return ex.ok(Map.of("request", started.id(), "options", started.optionsJson()));
    }

    private Reply registerFinish(Exchange ex) throws Exception {
        requireJsonCsrf(ex);
        var who = recentSession(ex);
        var body = ex.jsonObject();
        accounts.webAuthn()
                .finishRegistration(
                        who.user(),
                        body.path("request").asText(null),
                        body.path("credential").asText(""),
                        body.path("nickname").asText(null),
                        ex.clientAddress());
        return ex.ok(Map.of("ok", true));
    }

    private Reply loginOptions(Exchange ex) {
        requireJsonCsrf(ex);
        var started = accounts.webAuthn().startAssertion();
        return ex.ok(Map.of("request", started.id(), "options", started.optionsJson()));
    }

    private Reply loginFinish(Exchange ex) throws Exception {
        requireJsonCsrf(ex);
        var body = ex.jsonObject();
        String user =
                accounts.webAuthn()
                        .finishAssertion(
                                body.path("request").asText(null),
                                body.path("credential").asText(""),
                                ex.clientAddress());
        String login = body.path("login").isTextual() ? body.get("login").asText() : null;
        String otp = body.path("otp").isTextual() ? body.get("otp").asText() : null;
        if (otp != null) {
            accounts.webOtps().approveVerified(otp, user);
            return ex.ok(Map.of("next", "/-/web/otp/" + otp));
        }
        if (login != null) {
            accounts.webLogins().completeVerified(login, user, ex.clientAddress());
            return ex.ok(Map.of("next", "/-/web/login/" + login));
        }
        accounts.signInCheck().signedIn(user, ex.clientAddress(), WebPages.BROWSER);
        Reply session = web.startSession(user, "/-/web/account");
        Reply reply = ex.ok(Map.of("next", "/-/web/account"));
        reply.header("Set-Cookie", session.headers().get("Set-Cookie"));
        return reply;
    }
}
