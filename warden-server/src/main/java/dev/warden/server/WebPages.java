package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * Server-rendered pages, readable without JavaScript: the browser half of npm's web login. Every
 * page is sent with a strict Content-Security-Policy. Every form and passkey request carries a CSRF
 * token bound to the browser ({@link CsrfTokens}): to its session once signed in, before that to
 * its pre-session cookie (SameSite=Strict, HttpOnly, secure when the registry is served over
 * https); a missing, empty or other browser's token is refused with 403 and the reason.
 *
 * <p>This class owns sign-up, sign-in, browser sessions and what every page shares (CSRF, headers,
 * messages); npm's web login and web OTP are {@link NpmLoginPages}, passkeys {@link PasskeyPages},
 * the account's pages {@link AccountPages}.
 */
final class WebPages {

    private static final String CSP =
            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
                    + "img-src 'self' https:; "
                    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The pre-session cookie: what a CSRF token is bound to before sign-in. */
    private static final String CSRF_COOKIE = "warden_csrf";

    static final String SESSION_COOKIE = "warden_session";

    private final Accounts accounts;
    private final String publicUrl;
    private final boolean secure;
    private final CsrfTokens csrfTokens;

    private final java.time.Clock clock;

    WebPages(Accounts accounts, String publicUrl, java.time.Clock clock) {
        this(accounts, publicUrl, clock, new CsrfTokens(new SecureRandom()));
    }

    /** With the CSRF key {@code csrfKey}, which every node of a registry holds. */
    WebPages(Accounts accounts, String publicUrl, java.time.Clock clock, byte[] csrfKey) {
        this(accounts, publicUrl, clock, new CsrfTokens(new SecureRandom(), csrfKey));
    }

    private WebPages(
            Accounts accounts, String publicUrl, java.time.Clock clock, CsrfTokens csrfTokens) {
        this.csrfTokens = csrfTokens;
        this.accounts = accounts;
        this.clock = clock;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.secure = publicUrl.startsWith("https:");
    }

    private static byte[] resource(String path) {
        try (InputStream in = WebPages.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void routes(Router r) {
        // in this order: the router takes the first route that matches
        new NpmLoginPages(this, accounts, publicUrl).routes(r);
        r.route("GET", "/-/web/signup", this::signupPage)
                .route("POST", "/-/web/signup", this::submitSignup)
                .route("GET", "/-/web/signin", this::signinPage)
                .route("POST", "/-/web/signin", this::submitSignin);
        new PasskeyPages(this, accounts, clock).routes(r);
        // the pages' static files: every script and style a page may load (the CSP allows 'self')
        for (Map.Entry<String, String> file : STATIC_FILES.entrySet()) {
            byte[] bytes = resource("/web/" + file.getKey());
            r.route(
                    "GET",
                    "/-/web/static/" + file.getKey(),
                    ex -> staticFile(file.getValue(), bytes));
        }
    }

    /** The static files under {@code /-/web/static/}, with their types. */
    private static final Map<String, String> STATIC_FILES =
            Map.of(
                    "warden.css", "text/css; charset=utf-8",
                    "passkeys.js", "text/javascript; charset=utf-8",
                    "copy.js", "text/javascript; charset=utf-8",
                    "logproof.js", "text/javascript; charset=utf-8",
                    "favicon.svg", "image/svg+xml");

    private static Reply staticFile(String type, byte[] bytes) {
        Reply reply = new Reply.Bytes(200, type, bytes, new HashMap<>());
        reply.header("Cache-Control", "public, max-age=3600");
        return reply;
    }

    static String signupForm(String action, String csrf, String error) {
        return Templates.render("signup.jte", new Views.Signup(action, csrf, error, null));
    }

    void createAccount(Map<String, String> form, Exchange ex) {
        accounts.register(
                form.getOrDefault("username", ""),
                form.getOrDefault("password", ""),
                form.getOrDefault("email", ""),
                ex.clientAddress());
    }

    // ---------------------------------------------------------------- browser sessions

    private Reply signupPage(Exchange ex) {
        if (!accounts.registrationOpenToSome()) {
            return message(
                    403,
                    "Registration closed",
                    "Registration is closed on this registry: ask an administrator for an account.",
                    false);
        }
        Csrf csrf = csrf(ex);
        return page(200, signupForm("/-/web/signup", csrf.token(), null), csrf);
    }

    private Reply submitSignup(Exchange ex) throws Exception {
        Map<String, String> form = ex.form();
        Reply refused = refusedForm(ex, form, "Create your Warden account");
        if (refused != null) {
            return refused;
        }
        try {
            createAccount(form, ex);
        } catch (Problem p) {
            Csrf csrf = csrf(ex);
            return refused(
                    p,
                    page(
                            p.kind().status(),
                            signupForm("/-/web/signup", csrf.token(), p.getMessage()),
                            csrf));
        }
        return startSession(form.get("username"), "/-/web/account");
    }

    private Reply signinPage(Exchange ex) {
        Csrf csrf = csrf(ex);
        return page(200, signinForm(csrf.token(), null), csrf);
    }

    private String signinForm(String csrf, String error) {
        return Templates.render(
                "signin.jte", new Views.Signin(csrf, error, accounts.webAuthn().available()));
    }

    private Reply submitSignin(Exchange ex) throws Exception {
        Map<String, String> form = ex.form();
        Reply refused = refusedForm(ex, form, "Sign in to Warden");
        if (refused != null) {
            return refused;
        }
        String user = form.getOrDefault("username", "");
        try {
            accounts.checkPassword(user, form.getOrDefault("password", ""), ex.clientAddress());
            boolean has2fa = accounts.secondFactors().activeMode(user).isPresent();
            if (has2fa) {
                String otp = form.get("otp");
                if (otp == null
                        || otp.isBlank()
                        || !accounts.secondFactors().verify(user, otp.trim(), ex.clientAddress())) {
                    throw Accounts.otpRequired();
                }
            }
            accounts.signInCheck()
                    .afterPassword(
                            user, ex.clientAddress(), BROWSER, has2fa, has2fa, form.get("otp"));
        } catch (Problem p) {
            Csrf csrf = csrf(ex);
            boolean wait = p.kind() == Problem.Kind.TOO_MANY_REQUESTS;
            return refused(
                    p,
                    page(
                            wait ? 429 : 401,
                            signinForm(
                                    csrf.token(),
                                    wait || stepUp(p)
                                            ? p.getMessage()
                                            : "Incorrect user name, password or one-time"
                                                    + " password."),
                            csrf));
        }
        accounts.signInCheck().signedIn(user, ex.clientAddress(), BROWSER);
        return startSession(user, "/-/web/account");
    }

    /** The page that answers a refusal; a 429 says when to try again, as the API's does. */
    static Reply refused(Problem p, Reply page) {
        p.retryAfter()
                .ifPresent(wait -> page.header("Retry-After", Long.toString(wait.toSeconds())));
        return page;
    }

    /**
     * A new session (never one the client named: no fixation), set as a cookie, then a redirect.
     */
    Reply startSession(String user, String next) {
        Accounts.IssuedToken session = accounts.webLogins().browserSession(user);
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", next);
        reply.header("Cache-Control", "no-store");
        reply.header(
                "Set-Cookie",
                SESSION_COOKIE
                        + "="
                        + session.secret()
                        + "; Path=/-/web/; HttpOnly; SameSite=Strict; Max-Age=7200"
                        + (secure ? "; Secure" : ""));
        return reply;
    }

    /** The account's security posture for its page (none until the server wires it). */
    private java.util.function.Function<String, Views.PostureView> posture = user -> null;

    void posture(java.util.function.Function<String, Views.PostureView> posture) {
        this.posture = posture;
    }

    /** The account's security posture, or null when none is wired. */
    Views.PostureView postureOf(String user) {
        return posture.apply(user);
    }

    java.util.Optional<dev.warden.accounts.Principal> session(Exchange ex) {
        String secret = ex.cookie(SESSION_COOKIE);
        return secret == null
                ? java.util.Optional.empty()
                : accounts.authenticateBrowserSession(secret, ex.clientAddress());
    }

    // ---------------------------------------------------------------- helpers

    /** How a sign-in on the registry's own pages is named in mail and history. */
    static final String BROWSER = "the web";

    /**
     * Whether a refusal is a sign-in from a new address stepped up: its message says what to do (a
     * code was mailed), unlike a wrong password, whose message must not say which part was wrong.
     */
    static boolean stepUp(Problem p) {
        return p.kind() == Problem.Kind.OTP_REQUIRED
                && p.getMessage().contains(dev.warden.accounts.SignInCheck.NEW_ADDRESS);
    }

    /**
     * A page's CSRF token, and the pre-session cookie to set when the browser has none.
     *
     * @param cookie a {@code Set-Cookie} value, or null
     */
    record Csrf(String token, String cookie) {}

    /**
     * The CSRF token of this request's browser: bound to its session when signed in, else to its
     * pre-session cookie (made if missing).
     */
    Csrf csrf(Exchange ex) {
        String session = signedInSession(ex);
        if (session != null) {
            return new Csrf(csrfTokens.token(CsrfTokens.Binding.SESSION, session), null);
        }
        String pre = ex.cookie(CSRF_COOKIE);
        if (CsrfTokens.wellFormedPreSession(pre)) {
            return new Csrf(csrfTokens.token(CsrfTokens.Binding.PRE_SESSION, pre), null);
        }
        pre = csrfTokens.newPreSession();
        return new Csrf(
                csrfTokens.token(CsrfTokens.Binding.PRE_SESSION, pre),
                CSRF_COOKIE
                        + "="
                        + pre
                        + "; Path=/-/web/; HttpOnly; SameSite=Strict"
                        + (secure ? "; Secure" : ""));
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
            String pre = ex.cookie(CSRF_COOKIE);
            if (!CsrfTokens.wellFormedPreSession(pre)) {
                return "The browser sent no session or pre-session cookie with the CSRF token."
                        + " Reload the page and try again.";
            }
            matches = csrfTokens.matches(sent, CsrfTokens.Binding.PRE_SESSION, pre);
        }
        return matches
                ? null
                : "The CSRF token does not belong to this browser's session: the form has expired"
                        + " or did not come from this site. Reload the page and try again.";
    }

    /** The 403 page of a form whose CSRF token is not this browser's, or null when it is. */
    Reply refusedForm(Exchange ex, Map<String, String> form, String title) {
        String reason = csrfRefusal(ex, form.get("csrf"));
        return reason == null ? null : message(403, title, reason, true);
    }

    /** The session cookie, when it is a valid browser session. */
    private String signedInSession(Exchange ex) {
        String secret = ex.cookie(SESSION_COOKIE);
        return secret != null && session(ex).isPresent() ? secret : null;
    }

    /** A page with only a message: a refusal ({@code error}) or that a step is done. */
    Reply message(int status, String title, String text, boolean error) {
        return page(
                status,
                Templates.render("message.jte", new Views.Message(title, text, error)),
                null);
    }

    /**
     * A rendered page with the headers every page has; sets the pre-session cookie when {@code
     * csrf} made one.
     */
    Reply page(int status, String html, Csrf csrf) {
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
}
