package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.WebLogins;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Server-rendered pages, readable without JavaScript: the browser half of npm's web login.
 * Every page is sent with a strict Content-Security-Policy. Every form and passkey request carries
 * a CSRF token bound to the browser ({@link CsrfTokens}): to its session once signed in, before
 * that to its pre-session cookie (SameSite=Strict, HttpOnly, secure when the registry is served
 * over https); a missing, empty or other browser's token is refused with 403 and the reason.
 */
final class WebPages {

    private static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** The pre-session cookie: what a CSRF token is bound to before sign-in. */
    private static final String CSRF_COOKIE = "warden_csrf";
    private static final String SESSION_COOKIE = "warden_session";

    private final Accounts accounts;
    private final String publicUrl;
    private final boolean secure;
    private final byte[] css;
    private final byte[] js;
    private final CsrfTokens csrfTokens = new CsrfTokens(new SecureRandom());

    private final java.time.Clock clock;

    WebPages(Accounts accounts, String publicUrl, java.time.Clock clock) {
        this.accounts = accounts;
        this.clock = clock;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.secure = publicUrl.startsWith("https:");
        this.css = resource("/web/warden.css");
        this.js = resource("/web/passkeys.js");
    }

    private static byte[] resource(String path) {
        try (InputStream in = WebPages.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(Router r) {
        r.route("POST", "/-/v1/login", 4 * 1024, this::openLogin)
                .route("GET", "/-/v1/login/done/{id}", this::pollLogin)
                .route("GET", "/-/web/login/{id}", this::loginPage)
                .route("POST", "/-/web/login/{id}", this::submitLogin)
                .route("GET", "/-/v1/otp/done/{id}", this::pollOtp)
                .route("GET", "/-/web/otp/{id}", this::otpPage)
                .route("POST", "/-/web/otp/{id}", this::submitOtp)
                .route("GET", "/-/web/signup", this::signupPage)
                .route("POST", "/-/web/signup", this::submitSignup)
                .route("GET", "/-/web/signin", this::signinPage)
                .route("POST", "/-/web/signin", this::submitSignin)
                .route("GET", "/-/web/account", this::accountPage)
                .route("POST", "/-/web/passkeys/register/options", this::registerOptions)
                .route("POST", "/-/web/passkeys/register/finish", this::registerFinish)
                .route("POST", "/-/web/passkeys/remove", this::removePasskey)
                .route("POST", "/-/web/passkeys/login/options", this::loginOptions)
                .route("POST", "/-/web/passkeys/login/finish", this::loginFinish)
                .route("GET", "/-/web/static/warden.css", ex -> staticFile("text/css; charset=utf-8", css))
                .route("GET", "/-/web/static/passkeys.js", ex -> staticFile("text/javascript; charset=utf-8", js));
    }

    private static Reply staticFile(String type, byte[] bytes) {
        Reply reply = new Reply.Bytes(200, type, bytes, new HashMap<>());
        reply.header("Cache-Control", "public, max-age=3600");
        return reply;
    }

    // ---------------------------------------------------------------- the CLI side

    /** {@code POST /-/v1/login}: npm's web login; answers where to send the user and where to poll. */
    private Reply openLogin(Exchange ex) throws Exception {
        boolean create = false;
        if (ex.header(HttpHeader.CONTENT_LENGTH) != null && !ex.header(HttpHeader.CONTENT_LENGTH).equals("0")) {
            create = ex.jsonObject().path("create").asBoolean(false); // {} or {"create": true}; anything else is a clear 400
        }
        String client = ex.clientAddress() == null ? "unknown" : ex.clientAddress().getHostAddress();
        WebLogins.Request r = accounts.webLogins().open(client, create);
        return ex.ok(Map.of("loginUrl", publicUrl + "/-/web/login/" + r.pageId(), "doneUrl", publicUrl + "/-/v1/login/done/" + r.doneId()));
    }

    /** The CLI's poll: 202 with a JSON body and Retry-After while pending, 200 with the token when done. */
    private Reply pollLogin(Exchange ex) {
        // An unknown or expired request is 200 without a token: npm then reports a failed login
        // (a 4xx would make it fall back to password prompts silently).
        java.util.Optional<String> token;
        try {
            token = accounts.webLogins().poll(ex.param("id"));
        } catch (Problem p) {
            return ex.ok(Map.of());
        }
        return token
                .map(t -> ex.ok(Map.of("token", t)))
                .orElseGet(() -> ex.status(202, Map.of()).header("Retry-After", "1"));
    }

    // ---------------------------------------------------------------- the browser side

    private Reply loginPage(Exchange ex) {
        WebLogins.Request r = accounts.webLogins().page(ex.param("id")).orElse(null);
        if (r == null) {
            return page(404, "Login expired", "<p class=\"error\">This login request is unknown or has expired. Run <code>npm login</code> again.</p>", null);
        }
        if (r.token() != null) {
            return page(200, "Signed in", "<p>You are signed in. Return to your terminal.</p>", null);
        }
        Csrf csrf = csrf(ex);
        if (r.create() && accounts.registrationOpenToSome() && ex.query("signin") == null) {
            return page(200, "Create your Warden account", signupForm("/-/web/login/" + r.pageId(), csrf.token(), null)
                    + "<p class=\"note\">Already have an account? <a href=\"/-/web/login/" + escape(r.pageId()) + "?signin=1\">Sign in</a>.</p>", csrf);
        }
        return page(200, "Sign in to Warden", form(r, csrf.token(), null), csrf);
    }

    private String signupForm(String action, String csrf, String error) {
        return (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<form method=\"post\" action=\"" + escape(action) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"action\" value=\"create\">"
                + "<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>"
                + "<label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required>"
                + "<label for=\"password\">Password (at least 10 characters, not a common one)</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required>"
                + "<button type=\"submit\">Create account</button></form>";
    }

    private void createAccount(Map<String, String> form, Exchange ex) {
        accounts.register(form.getOrDefault("username", ""), form.getOrDefault("password", ""), form.getOrDefault("email", ""),
                ex.clientAddress());
    }

    private String form(WebLogins.Request r, String csrf, String error) {
        return (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<p class=\"note\">The npm command line at " + escape(r.client()) + " asked to sign in at " + escape(r.created().toString())
                + ". Only continue if you started it.</p>"
                + "<form method=\"post\" action=\"/-/web/login/" + escape(r.pageId()) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required>"
                + "<label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<label for=\"otp\">One-time password (if you use two-factor authentication)</label>"
                + "<input id=\"otp\" name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\">"
                + "<button type=\"submit\">Sign in</button></form>"
                + passkeyButton(r.pageId());
    }

    private String passkeyButton(String loginId) {
        return passkeyButton("data-login", loginId, "Sign in with a passkey");
    }

    private String passkeyButton(String attribute, String id, String label) {
        if (!accounts.webAuthn().available()) {
            return "";
        }
        return "<p>Or, with JavaScript: <button type=\"button\" id=\"passkey-signin\"" + (id == null ? "" : " " + attribute + "=\""
                + escape(id) + "\"") + ">" + escape(label) + "</button></p><p id=\"passkey-status\" class=\"error\"></p>";
    }

    private Reply submitLogin(Exchange ex) throws Exception {
        WebLogins.Request r = accounts.webLogins().page(ex.param("id")).orElse(null);
        if (r == null) {
            return page(404, "Login expired", "<p class=\"error\">This login request is unknown or has expired. Run <code>npm login</code> again.</p>", null);
        }
        Map<String, String> form = readForm(ex);
        Reply refused = refusedForm(ex, form, "Sign in to Warden");
        if (refused != null) {
            return refused;
        }
        Csrf csrf = csrf(ex);
        if ("create".equals(form.get("action"))) {
            try {
                createAccount(form, ex);
                accounts.webLogins().completeVerified(r.pageId(), form.get("username"), ex.clientAddress());
            } catch (Problem p) {
                return refused(p, page(p.kind().status(), "Create your Warden account",
                        signupForm("/-/web/login/" + r.pageId(), csrf.token(), p.getMessage()), csrf));
            }
            return page(200, "Signed in", "<p>Your account is created and you are signed in. Return to your terminal. "
                    + "Check your email for the verification link.</p>", null);
        }
        try {
            accounts.webLogins().complete(r.pageId(), form.getOrDefault("username", ""), form.getOrDefault("password", ""),
                    form.get("otp"), ex.clientAddress());
        } catch (Problem p) {
            String message = p.kind() == Problem.Kind.OTP_REQUIRED ? "Enter the one-time password from your authenticator."
                    : p.kind() == Problem.Kind.TOO_MANY_REQUESTS ? p.getMessage() : "Incorrect user name, password or one-time password.";
            int status = p.kind() == Problem.Kind.TOO_MANY_REQUESTS ? 429 : 401;
            return refused(p, page(status, "Sign in to Warden", form(r, csrf.token(), message), csrf));
        }
        return page(200, "Signed in", "<p>You are signed in. Return to your terminal.</p>", null);
    }

    // ---------------------------------------------------------------- web OTP

    private Reply pollOtp(Exchange ex) {
        return accounts.webOtps().poll(ex.param("id"))
                .map(token -> ex.ok(Map.of("token", token)))
                .orElseGet(() -> ex.status(202, Map.of()).header("Retry-After", "1"));
    }

    private static final String OTP_EXPIRED = "<p class=\"error\">This approval is unknown or has expired. Run the command again.</p>";

    private String otpForm(dev.warden.accounts.WebOtps.Request r, String csrf, String error) {
        return (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<p>The npm command line needs your second factor for account <strong>" + escape(r.user())
                + "</strong> to do <code>" + escape(r.operation() == null ? "" : r.operation()) + "</code> (requested at "
                + escape(r.created().toString()) + "). Only continue if you just ran that command.</p>"
                + "<form method=\"post\" action=\"/-/web/otp/" + escape(r.pageId()) + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label for=\"otp\">One-time password or recovery code</label>"
                + "<input id=\"otp\" name=\"otp\" autocomplete=\"one-time-code\" required>"
                + "<button type=\"submit\">Approve</button></form>"
                + passkeyButton("data-otp", r.pageId(), "Approve with a passkey");
    }

    private Reply otpPage(Exchange ex) {
        var r = accounts.webOtps().page(ex.param("id")).orElse(null);
        if (r == null) {
            return page(404, "Approval expired", OTP_EXPIRED, null);
        }
        if (r.token() != null) {
            return page(200, "Approved", "<p>Approved. Return to your terminal.</p>", null);
        }
        Csrf csrf = csrf(ex);
        return page(200, "Approve with your second factor", otpForm(r, csrf.token(), null), csrf);
    }

    private Reply submitOtp(Exchange ex) throws Exception {
        var r = accounts.webOtps().page(ex.param("id")).orElse(null);
        if (r == null) {
            return page(404, "Approval expired", OTP_EXPIRED, null);
        }
        Map<String, String> form = readForm(ex);
        Reply refused = refusedForm(ex, form, "Approve with your second factor");
        if (refused != null) {
            return refused;
        }
        try {
            accounts.webOtps().approve(r.pageId(), form.get("otp"), ex.clientAddress());
        } catch (Problem p) {
            Csrf csrf = csrf(ex);
            int status = p.kind() == Problem.Kind.TOO_MANY_REQUESTS ? 429 : 401;
            return refused(p, page(status, "Approve with your second factor", otpForm(r, csrf.token(), p.getMessage()), csrf));
        }
        return page(200, "Approved", "<p>Approved. Return to your terminal.</p>", null);
    }

    static Map<String, String> readForm(Exchange ex) throws IOException {
        String type = ex.header(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new Problem(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "expected a form");
        }
        return parseForm(new String(ex.body(), StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- browser sessions and passkeys

    private Reply signupPage(Exchange ex) {
        if (!accounts.registrationOpenToSome()) {
            return page(403, "Registration closed", "<p>Registration is closed on this registry: ask an administrator for an account.</p>", null);
        }
        Csrf csrf = csrf(ex);
        return page(200, "Create your Warden account", signupForm("/-/web/signup", csrf.token(), null), csrf);
    }

    private Reply submitSignup(Exchange ex) throws Exception {
        Map<String, String> form = readForm(ex);
        Reply refused = refusedForm(ex, form, "Create your Warden account");
        if (refused != null) {
            return refused;
        }
        try {
            createAccount(form, ex);
        } catch (Problem p) {
            Csrf csrf = csrf(ex);
            return refused(p, page(p.kind().status(), "Create your Warden account", signupForm("/-/web/signup", csrf.token(), p.getMessage()), csrf));
        }
        return startSession(form.get("username"), "/-/web/account");
    }

    private Reply signinPage(Exchange ex) {
        Csrf csrf = csrf(ex);
        return page(200, "Sign in to Warden", signinForm(csrf.token(), null), csrf);
    }

    private String signinForm(String csrf, String error) {
        return (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<form method=\"post\" action=\"/-/web/signin\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label for=\"username\">User name</label><input id=\"username\" name=\"username\" autocomplete=\"username webauthn\" required>"
                + "<label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<label for=\"otp\">One-time password (if you use two-factor authentication)</label>"
                + "<input id=\"otp\" name=\"otp\" inputmode=\"numeric\" autocomplete=\"one-time-code\">"
                + "<button type=\"submit\">Sign in</button></form>" + passkeyButton(null);
    }

    private Reply submitSignin(Exchange ex) throws Exception {
        Map<String, String> form = readForm(ex);
        Reply refused = refusedForm(ex, form, "Sign in to Warden");
        if (refused != null) {
            return refused;
        }
        String user = form.getOrDefault("username", "");
        try {
            accounts.checkPassword(user, form.getOrDefault("password", ""), ex.clientAddress());
            if (accounts.secondFactors().activeMode(user).isPresent()) {
                String otp = form.get("otp");
                if (otp == null || otp.isBlank() || !accounts.secondFactors().verify(user, otp.trim(), ex.clientAddress())) {
                    throw Accounts.otpRequired();
                }
            }
        } catch (Problem p) {
            Csrf csrf = csrf(ex);
            boolean wait = p.kind() == Problem.Kind.TOO_MANY_REQUESTS;
            return refused(p, page(wait ? 429 : 401, "Sign in to Warden",
                    signinForm(csrf.token(), wait ? p.getMessage() : "Incorrect user name, password or one-time password."), csrf));
        }
        return startSession(user, "/-/web/account");
    }

    /** The page that answers a refusal; a 429 says when to try again, as the API's does. */
    private static Reply refused(Problem p, Reply page) {
        p.retryAfter().ifPresent(wait -> page.header("Retry-After", Long.toString(wait.toSeconds())));
        return page;
    }

    /** A new session (never one the client named: no fixation), set as a cookie, then a redirect. */
    private Reply startSession(String user, String next) {
        Accounts.IssuedToken session = accounts.webLogins().browserSession(user);
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", next);
        reply.header("Cache-Control", "no-store");
        reply.header("Set-Cookie", SESSION_COOKIE + "=" + session.secret() + "; Path=/-/web/; HttpOnly; SameSite=Strict; Max-Age=7200"
                + (secure ? "; Secure" : ""));
        return reply;
    }

    java.util.Optional<dev.warden.accounts.Principal> session(Exchange ex) {
        String secret = cookie(ex, SESSION_COOKIE);
        return secret == null ? java.util.Optional.empty() : accounts.authenticateBrowserSession(secret, ex.clientAddress());
    }

    private Reply accountPage(Exchange ex) {
        var who = session(ex);
        if (who.isEmpty()) {
            Reply reply = new Reply.Empty(303, new HashMap<>());
            reply.header("Location", "/-/web/signin");
            return reply;
        }
        String user = who.get().user();
        Csrf csrf = csrf(ex);
        StringBuilder keys = new StringBuilder("<ul id=\"passkeys\">");
        for (var c : accounts.webAuthn().credentials(user)) {
            keys.append("<li>").append(escape(c.nickname())).append(", added ").append(escape(c.created().toString()))
                    .append(" <form method=\"post\" action=\"/-/web/passkeys/remove\" class=\"inline\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf.token())).append("\">")
                    .append("<input type=\"hidden\" name=\"credential\" value=\"").append(escape(c.credentialId())).append("\">")
                    .append("<button type=\"submit\" class=\"remove-passkey\">Remove</button></form></li>");
        }
        keys.append("</ul>");
        StringBuilder events = new StringBuilder("<ul id=\"events\">");
        for (var e : accounts.securityLog().list(user, 0, 20)) {
            events.append("<li>").append(escape(e.at().toString())).append(" <strong>").append(escape(e.kind())).append("</strong>")
                    .append(e.address() == null ? "" : " from " + escape(e.address())).append("</li>");
        }
        events.append("</ul>");
        String body = "<p>Signed in as <strong id=\"user\">" + escape(user) + "</strong>.</p>"
                + "<h2>Passkeys and security keys</h2>" + keys
                + (accounts.webAuthn().available()
                        ? "<p><button type=\"button\" id=\"add-passkey\">Add a passkey</button></p><p id=\"passkey-status\" class=\"error\"></p>"
                        : "<p class=\"note\">Passkeys need the registry to be reached by a host name, not an IP address.</p>")
                + "<h2>Recent security events</h2>" + events;
        return page(200, "Your account", body, csrf);
    }

    private void requireJsonCsrf(Exchange ex) {
        String reason = csrfRefusal(ex, ex.header("X-Warden-CSRF"));
        if (reason != null) {
            throw Problem.forbidden(reason);
        }
    }

    /**
     * Changing an account's passkeys takes a recent sign-in (10 minutes): a session left open, or a
     * stolen cookie that has aged, cannot add an attacker's passkey.
     */
    private dev.warden.accounts.Principal recentSession(Exchange ex) {
        var who = session(ex).orElseThrow(() -> Problem.unauthorized("sign in first"));
        var started = accounts.browserSessionStarted(cookie(ex, SESSION_COOKIE)).orElseThrow(() -> Problem.unauthorized("sign in first"));
        if (started.isBefore(clock.instant().minus(java.time.Duration.ofMinutes(10)))) {
            throw Problem.forbidden("sign in again to change your passkeys");
        }
        return who;
    }

    private Reply removePasskey(Exchange ex) throws Exception {
        Map<String, String> form = readForm(ex);
        Reply refused = refusedForm(ex, form, "Your account");
        if (refused != null) {
            return refused;
        }
        var who = recentSession(ex);
        accounts.webAuthn().remove(who.user(), form.getOrDefault("credential", ""), ex.clientAddress());
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
        accounts.webAuthn().finishRegistration(who.user(), body.path("request").asText(null), body.path("credential").asText(""),
                body.path("nickname").asText(null), ex.clientAddress());
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
        String user = accounts.webAuthn().finishAssertion(body.path("request").asText(null), body.path("credential").asText(""),
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
        Reply session = startSession(user, "/-/web/account");
        Reply reply = ex.ok(Map.of("next", "/-/web/account"));
        reply.header("Set-Cookie", session.headers().get("Set-Cookie"));
        return reply;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A page's CSRF token, and the pre-session cookie to set when the browser has none.
     *
     * @param cookie a {@code Set-Cookie} value, or null
     */
    record Csrf(String token, String cookie) {}

    /** The CSRF token of this request's browser: bound to its session when signed in, else to its pre-session cookie (made if missing). */
    Csrf csrf(Exchange ex) {
        String session = signedInSession(ex);
        if (session != null) {
            return new Csrf(csrfTokens.token(CsrfTokens.Binding.SESSION, session), null);
        }
        String pre = cookie(ex, CSRF_COOKIE);
        if (CsrfTokens.wellFormedPreSession(pre)) {
            return new Csrf(csrfTokens.token(CsrfTokens.Binding.PRE_SESSION, pre), null);
        }
        pre = csrfTokens.newPreSession();
        return new Csrf(csrfTokens.token(CsrfTokens.Binding.PRE_SESSION, pre),
                CSRF_COOKIE + "=" + pre + "; Path=/-/web/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
    }

    /** Why {@code sent} is not the CSRF token of this request's browser, or null when it is. */
    String csrfRefusal(Exchange ex, String sent) {
        if (sent == null || sent.isBlank()) {
            return "The request carries no CSRF token. Reload the page and try again.";
        }
        String session = signedInSession(ex);
        boolean matches;
        if (session != null) {
            matches = csrfTokens.matches(sent, CsrfTokens.Binding.SESSION, session);
        } else {
            String pre = cookie(ex, CSRF_COOKIE);
            if (!CsrfTokens.wellFormedPreSession(pre)) {
                return "The browser sent no session or pre-session cookie with the CSRF token. Reload the page and try again.";
            }
            matches = csrfTokens.matches(sent, CsrfTokens.Binding.PRE_SESSION, pre);
        }
        return matches ? null
                : "The CSRF token does not belong to this browser's session: the form has expired or did not come from this site. "
                        + "Reload the page and try again.";
    }

    /** The 403 page of a form whose CSRF token is not this browser's, or null when it is. */
    Reply refusedForm(Exchange ex, Map<String, String> form, String title) {
        String reason = csrfRefusal(ex, form.get("csrf"));
        return reason == null ? null : page(403, title, "<p class=\"error\">" + escape(reason) + "</p>", null);
    }

    /** The session cookie, when it is a valid browser session. */
    private String signedInSession(Exchange ex) {
        String secret = cookie(ex, SESSION_COOKIE);
        return secret != null && session(ex).isPresent() ? secret : null;
    }

    Reply page(int status, String title, String body, Csrf csrf) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + (csrf == null ? "" : "<meta name=\"csrf\" content=\"" + escape(csrf.token()) + "\">")
                + "<title>" + escape(title) + "</title><link rel=\"stylesheet\" href=\"/-/web/static/warden.css\">"
                + "<script src=\"/-/web/static/passkeys.js\" defer></script></head>"
                + "<body><h1>" + escape(title) + "</h1>" + body + "</body></html>";
        Reply reply = Reply.text(status, "text/html; charset=utf-8", html);
        reply.header("Content-Security-Policy", CSP);
        reply.header("Referrer-Policy", "no-referrer");
        reply.header("X-Frame-Options", "DENY");
        reply.header("Cache-Control", "no-store");
        if (csrf != null && csrf.cookie() != null) {
            reply.header("Set-Cookie", csrf.cookie());
        }
        return reply;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String cookie(Exchange ex, String name) {
        String header = ex.header(HttpHeader.COOKIE);
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals(name)) {
                return kv[1];
            }
        }
        return null;
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("malformed form data");
            }
        }
        return out;
    }
}
