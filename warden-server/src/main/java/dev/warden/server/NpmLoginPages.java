package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.WebLogins;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import org.eclipse.jetty.http.HttpHeader;

import java.util.Map;

/**
 * npm's web login and web OTP: the command line opens a request and polls for its token, the
 * browser signs in (or approves with a second factor) on the page the request names. The page and
 * poll secrets are separate, so the poll URL printed in a terminal cannot complete a sign-in.
 * Rendering, CSRF and the pages' headers are {@link WebPages}'.
 */
final class NpmLoginPages {

    private final WebPages web;
    private final Accounts accounts;
    private final String publicUrl;

    NpmLoginPages(WebPages web, Accounts accounts, String publicUrl) {
        this.web = web;
        this.accounts = accounts;
        this.publicUrl = publicUrl;
    }

    void routes(Router r) {
        r.route("POST", "/-/v1/login", 4 * 1024, this::openLogin)
                .route("GET", "/-/v1/login/done/{id}", this::pollLogin)
                .route("GET", "/-/web/login/{id}", this::loginPage)
                .route("POST", "/-/web/login/{id}", this::submitLogin)
                .route("GET", "/-/v1/otp/done/{id}", this::pollOtp)
                .route("GET", "/-/web/otp/{id}", this::otpPage)
                .route("POST", "/-/web/otp/{id}", this::submitOtp);
    }

    // ---------------------------------------------------------------- the CLI side

    /**
     * {@code POST /-/v1/login}: npm's web login; answers where to send the user and where to poll.
     */
    private Reply openLogin(Exchange ex) throws Exception {
        boolean create = false;
        if (ex.header(HttpHeader.CONTENT_LENGTH) != null
                && !ex.header(HttpHeader.CONTENT_LENGTH).equals("0")) {
            create =
                    ex.jsonObject()
                            .path("create")
                            .asBoolean(
                                    false); // {} or {"create": true}; anything else is a clear 400
        }
        String client =
                ex.clientAddress() == null ? "unknown" : ex.clientAddress().getHostAddress();
        WebLogins.Request r = accounts.webLogins().open(client, create);
        return ex.ok(
                Map.of(
                        "loginUrl",
                        publicUrl + "/-/web/login/" + r.pageId(),
                        "doneUrl",
                        publicUrl + "/-/v1/login/done/" + r.doneId()));
    }

    /**
     * The CLI's poll: 202 with a JSON body and Retry-After while pending, 200 with the token when
     * done.
     */
    private Reply pollLogin(Exchange ex) {
        // An unknown or expired request is 200 without a token: npm then reports a failed login
        // (a 4xx would make it fall back to password prompts silently).
        java.util.Optional<String> token;
        try {
            token = accounts.webLogins().poll(ex.param("id"));
        } catch (Problem p) {
            return ex.ok(Map.of());
        }
        return token.map(t -> ex.ok(Map.of("token", t)))
                .orElseGet(() -> ex.status(202, Map.of()).header("Retry-After", "1"));
    }

    // ---------------------------------------------------------------- the browser side

    private Reply loginPage(Exchange ex) {
        WebLogins.Request r = accounts.webLogins().page(ex.param("id")).orElse(null);
        if (r == null) {
            return web.page(404, Templates.render("loginExpired.jte"), null);
        }
        if (r.finished()) {
            return web.message(
                    200, "Signed in", "You are signed in. Return to your terminal.", false);
        }
        WebPages.Csrf csrf = web.csrf(ex);
        if (r.create() && accounts.registrationOpenToSome() && ex.query("signin") == null) {
            return web.page(
                    200,
                    Templates.render(
                            "signup.jte",
                            new Views.Signup(
                                    "/-/web/login/" + r.pageId(),
                                    csrf.token(),
                                    null,
                                    "/-/web/login/" + r.pageId() + "?signin=1")),
                    csrf);
        }
        return web.page(200, login(r, csrf.token(), null), csrf);
    }

    /** The browser half of an npm login: the sign-in form, naming the command line that asked. */
    private String login(WebLogins.Request r, String csrf, String error) {
        return Templates.render(
                "login.jte",
                new Views.Login(
                        r.pageId(),
                        r.client(),
                        r.created().toString(),
                        csrf,
                        error,
                        accounts.webAuthn().available()));
    }

    private Reply submitLogin(Exchange ex) throws Exception {
        WebLogins.Request r = accounts.webLogins().page(ex.param("id")).orElse(null);
        if (r == null) {
            return web.page(404, Templates.render("loginExpired.jte"), null);
        }
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, "Sign in to Warden");
        if (refused != null) {
            return refused;
        }
        WebPages.Csrf csrf = web.csrf(ex);
        if ("create".equals(form.get("action"))) {
            try {
                web.createAccount(form, ex);
                accounts.webLogins()
                        .completeVerified(r.pageId(), form.get("username"), ex.clientAddress());
            } catch (Problem p) {
                return WebPages.refused(
                        p,
                        web.page(
                                p.kind().status(),
                                WebPages.signupForm(
                                        "/-/web/login/" + r.pageId(), csrf.token(), p.getMessage()),
                                csrf));
            }
            return web.message(
                    200,
                    "Signed in",
                    "Your account is created and you are signed in. Return to your terminal. "
                            + "Check your email for the verification link.",
                    false);
        }
        try {
            accounts.webLogins()
                    .complete(
                            r.pageId(),
                            form.getOrDefault("username", ""),
                            form.getOrDefault("password", ""),
                            form.get("otp"),
                            ex.clientAddress());
        } catch (Problem p) {
            String message =
                    WebPages.stepUp(p)
                            ? p.getMessage()
                            : p.kind() == Problem.Kind.OTP_REQUIRED
                                    ? "Enter the one-time password from your authenticator."
                                    : p.kind() == Problem.Kind.TOO_MANY_REQUESTS
                                            ? p.getMessage()
                                            : "Incorrect user name, password or one-time password.";
            int status = p.kind() == Problem.Kind.TOO_MANY_REQUESTS ? 429 : 401;
            return WebPages.refused(p, web.page(status, login(r, csrf.token(), message), csrf));
        }
        return web.message(200, "Signed in", "You are signed in. Return to your terminal.", false);
    }

    // ---------------------------------------------------------------- web OTP

    private Reply pollOtp(Exchange ex) {
        return accounts.webOtps()
                .poll(ex.param("id"))
                .map(token -> ex.ok(Map.of("token", token)))
                .orElseGet(() -> ex.status(202, Map.of()).header("Retry-After", "1"));
    }

    private Reply otpExpired() {
        return web.message(
                404,
                "Approval expired",
                "This approval is unknown or has expired. Run the command again.",
                true);
    }

    private String otpForm(dev.warden.accounts.WebOtps.Request r, String csrf, String error) {
        return Templates.render(
                "otp.jte",
                new Views.Otp(
                        r.pageId(),
                        r.user(),
                        r.operation() == null ? "" : r.operation(),
                        r.created().toString(),
                        csrf,
                        error,
                        accounts.webAuthn().available()));
    }

    private Reply otpPage(Exchange ex) {
        var r = accounts.webOtps().page(ex.param("id")).orElse(null);
        if (r == null) {
            return otpExpired();
        }
        if (r.finished()) {
            return web.message(200, "Approved", "Approved. Return to your terminal.", false);
        }
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(200, otpForm(r, csrf.token(), null), csrf);
    }

    private Reply submitOtp(Exchange ex) throws Exception {
        var r = accounts.webOtps().page(ex.param("id")).orElse(null);
        if (r == null) {
            return otpExpired();
        }
        Map<String, String> form = ex.form();
        Reply refused = web.refusedForm(ex, form, "Approve with your second factor");
        if (refused != null) {
            return refused;
        }
        try {
            accounts.webOtps().approve(r.pageId(), form.get("otp"), ex.clientAddress());
        } catch (Problem p) {
            WebPages.Csrf csrf = web.csrf(ex);
            int status = p.kind() == Problem.Kind.TOO_MANY_REQUESTS ? 429 : 401;
            return WebPages.refused(
                    p, web.page(status, otpForm(r, csrf.token(), p.getMessage()), csrf));
        }
        return web.message(200, "Approved", "Approved. Return to your terminal.", false);
    }
}
