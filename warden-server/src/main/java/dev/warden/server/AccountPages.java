package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.SecurityEvents;
import dev.warden.storage.Tokens.TokenRecord;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A signed-in person's account: the overview (email, two-factor state, passkeys, tokens, posture,
 * the latest security events) and the paged security history; tokens are {@link AccountTokenPages},
 * two-factor authentication {@link AccountTwoFactorPages}.
 *
 * <p>Every account page takes a browser session (a token, even a valid one, is not a session: it
 * gets the sign-in page); every form its CSRF token. A client mistake, a refusal of the domain or a
 * throttle is answered with a page naming the reason (429 with {@code Retry-After} for a throttle),
 * never a 500.
 */
final class AccountPages {

    static final String SIGN_IN = "/-/web/signin";

    /** Events on the overview; the history shows the rest. */
    private static final int OVERVIEW_EVENTS = 10;

    static final int HISTORY_PAGE_SIZE = 25;

    /** Pages of history the page walks back at most (the API pages on further, by id). */
    static final int HISTORY_PAGES = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebPages web;
    private final Accounts accounts;
    private final Clock clock;

    AccountPages(WebPages web, Accounts accounts, Clock clock) {
        this.web = web;
        this.accounts = accounts;
        this.clock = clock;
    }

    void routes(Router r) {
        r.route("GET", "/-/web/account", page("Your account", this::overview))
                .route("GET", "/-/web/account/history", page("Security history", this::history));
        new AccountTokenPages(this, web, accounts, clock).routes(r);
        new AccountTwoFactorPages(this, web, accounts).routes(r);
    }

    /** A page for a signed-in person. */
    interface SignedIn {
        Reply handle(Exchange ex, Principal who) throws Exception;
    }

    /** A form sent by a signed-in person, its CSRF token checked. */
    interface SignedInForm {
        Reply handle(Exchange ex, Principal who, Map<String, String> form) throws Exception;
    }

    /** {@code handler} for a browser session; the sign-in page otherwise. */
    Router.Handler page(String title, SignedIn handler) {
        return ex -> {
            var who = web.session(ex);
            if (who.isEmpty()) {
                return toSignIn();
            }
            try {
                return handler.handle(ex, who.get());
            } catch (Problem p) {
                return refusal(title, p);
            }
        };
    }

    /** {@code handler} for a form of a browser session, with this browser's CSRF token. */
    Router.Handler form(String title, SignedInForm handler) {
        return page(
                title,
                (ex, who) -> {
                    Map<String, String> form = ex.form();
                    Reply forged = web.refusedForm(ex, form, title);
                    return forged != null ? forged : handler.handle(ex, who, form);
                });
    }

    /** A page with only the reason of a refusal, with its status and any {@code Retry-After}. */
    Reply refusal(String title, Problem p) {
        return WebPages.refused(p, web.message(p.kind().status(), title, p.getMessage(), true));
    }

    /**
     * Checks the one-time password a form carries for an account with two-factor authentication
     * (throttled, failures recorded, each code accepted once).
     */
    void requireOtp(String user, String otp, java.net.InetAddress from) {
        if (otp == null || otp.isBlank()) {
            throw new Problem(
                    Problem.Kind.OTP_REQUIRED,
                    "your account uses two-factor authentication: enter a one-time password from"
                            + " your authenticator (or a recovery code)");
        }
        if (!accounts.secondFactors().verify(user, otp.trim(), from)) {
            throw new Problem(
                    Problem.Kind.OTP_REQUIRED,
                    "that one-time password is wrong or was already used: enter a new code from"
                            + " your authenticator");
        }
    }

    static Reply toSignIn() {
        return redirect(SIGN_IN);
    }

    static Reply redirect(String location) {
        Reply reply = new Reply.Empty(303, new HashMap<>());
        reply.header("Location", location);
        reply.header("Cache-Control", "no-store");
        return reply;
    }

    /** "off", "pending" or the mode of the account's second factor. */
    String twoFactorState(String user) {
        return accounts.twoFactorRecord(user)
                .map(r -> r.pending() ? "pending" : r.mode())
                .orElse("off");
    }

    private Reply overview(Exchange ex, Principal who) {
        String user = who.user();
        WebPages.Csrf csrf = web.csrf(ex);
        var passkeys =
                accounts.webAuthn().credentials(user).stream()
                        .map(
                                c ->
                                        new AccountViews.Passkey(
                                                c.nickname(),
                                                c.created().toString(),
                                                c.credentialId()))
                        .toList();
        var u = accounts.user(user);
        return web.page(
                200,
                Templates.render(
                        "account.jte",
                        new AccountViews.Overview(
                                user,
                                csrf.token(),
                                u.map(x -> x.email()).orElse(""),
                                accounts.emailVerified(user),
                                twoFactorState(user),
                                passkeys,
                                accounts.webAuthn().available(),
                                tokenSummary(accounts.tokens(user)),
                                events(accounts.securityLog().list(user, 0, OVERVIEW_EVENTS)),
                                web.postureOf(user))),
                csrf);
    }

    private static AccountViews.TokenSummary tokenSummary(List<TokenRecord> tokens) {
        int sessions = 0;
        int publish = 0;
        for (TokenRecord t : tokens) {
            if (AccountTokenPages.isBrowserSession(t)) {
                sessions++;
            } else if (!t.readOnly()) {
                publish++;
            }
        }
        return new AccountViews.TokenSummary(tokens.size() - sessions, publish, sessions);
    }

    private Reply history(Exchange ex, Principal who) {
        int page = pageNumber(ex.query("page"));
        List<SecurityEvents.Event> upTo =
                accounts.securityLog().list(who.user(), 0, page * HISTORY_PAGE_SIZE + 1);
        int from = (page - 1) * HISTORY_PAGE_SIZE;
        if (page > 1 && upTo.size() <= from) {
            throw Problem.notFound(
                    "there is no page " + page + " of your security history: it is shorter");
        }
        List<SecurityEvents.Event> shown =
                upTo.subList(
                        Math.min(from, upTo.size()),
                        Math.min(from + HISTORY_PAGE_SIZE, upTo.size()));
        boolean older = upTo.size() > page * HISTORY_PAGE_SIZE;
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(
                200,
                Templates.render(
                        "accountHistory.jte",
                        new AccountViews.History(
                                csrf.token(),
                                page,
                                events(shown),
                                page - 1,
                                older && page < HISTORY_PAGES ? page + 1 : 0)),
                csrf);
    }

    /** The {@code page} query parameter: 1 when absent, else a number within the pages shown. */
    static int pageNumber(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 1;
        }
        if (raw.length() > 4 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Problem.badRequest(
                    "page must be a number from 1 to "
                            + HISTORY_PAGES
                            + ", not \""
                            + Problem.clip(raw)
                            + "\"");
        }
        int page = Integer.parseInt(raw);
        if (page < 1 || page > HISTORY_PAGES) {
            throw Problem.badRequest(
                    "page must be a number from 1 to "
                            + HISTORY_PAGES
                            + "; older events are in the API: /-/warden/v1/security-events");
        }
        return page;
    }

    static List<AccountViews.Event> events(List<SecurityEvents.Event> events) {
        return events.stream()
                .map(
                        e ->
                                new AccountViews.Event(
                                        e.at().toString(),
                                        e.kind(),
                                        e.address(),
                                        detail(e.detailJson())))
                .toList();
    }

    /** An event's details as "name: value" pairs; nothing for details that are not an object. */
    private static List<String> detail(String json) {
        List<String> out = new ArrayList<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JsonNode n = JSON.readTree(json);
            if (n != null && n.isObject()) {
                for (Map.Entry<String, JsonNode> f : n.properties()) {
                    JsonNode v = f.getValue();
                    out.add(f.getKey() + ": " + (v.isValueNode() ? v.asText() : v.toString()));
                }
            }
        } catch (IOException e) {
            // stored by the registry itself; an unreadable one is shown without details
        }
        return out;
    }
}
