package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;
import dev.warden.storage.Tokens.TokenRecord;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The account's tokens: the list (keys only, never a secret), creation with limits through {@link
 * TokenRequests} (the path of {@code npm token create}: the same limits, lifetimes, password,
 * second factor and refusals), and revocation. A new token's secret is in the answer to the form
 * that made it and nowhere else.
 */
final class AccountTokenPages {

    private static final String TITLE = "Your tokens";

    /** How accounts marks a browser session's token (its description). */
    private static final String BROWSER_SESSION = "browser session";

    private static final int MAX_LIST = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountPages pages;
    private final WebPages web;
    private final Accounts accounts;
    private final Clock clock;

    AccountTokenPages(AccountPages pages, WebPages web, Accounts accounts, Clock clock) {
        this.pages = pages;
        this.web = web;
        this.accounts = accounts;
        this.clock = clock;
    }

    void routes(Router r) {
        r.route("GET", "/-/web/account/tokens", pages.page(TITLE, this::list))
                .route("POST", "/-/web/account/tokens", pages.form(TITLE, this::create))
                .route(
                        "POST",
                        "/-/web/account/tokens/{key}/revoke",
                        pages.form(TITLE, this::revoke));
    }

    static boolean isBrowserSession(TokenRecord t) {
        return BROWSER_SESSION.equals(t.description());
    }

    private Reply list(Exchange ex, Principal who) {
        return tokensPage(ex, who, 200, AccountViews.TokenForm.EMPTY, null);
    }

    private Reply tokensPage(
            Exchange ex, Principal who, int status, AccountViews.TokenForm form, String error) {
        WebPages.Csrf csrf = web.csrf(ex);
        List<AccountViews.Token> tokens =
                accounts.tokens(who.user()).stream().map(t -> row(t, who)).toList();
        return web.page(
                status,
                Templates.render(
                        "accountTokens.jte",
                        new AccountViews.Tokens(
                                csrf.token(),
                                tokens,
                                accounts.secondFactors().activeMode(who.user()).isPresent(),
                                form,
                                error,
                                TokenRequests.READ_TOKEN_MAX_DAYS,
                                TokenRequests.WRITE_TOKEN_MAX_DAYS)),
                csrf);
    }

    private Reply create(Exchange ex, Principal who, Map<String, String> form) {
        AccountViews.TokenForm sent =
                new AccountViews.TokenForm(
                        form.getOrDefault("name", ""),
                        "read-write".equals(form.get("permission")),
                        form.getOrDefault("packages", ""),
                        form.getOrDefault("scopes", ""),
                        form.getOrDefault("cidrs", ""),
                        form.getOrDefault("days", ""),
                        form.containsKey("bypass2fa"));
        Accounts.IssuedToken issued;
        try {
            issued =
                    TokenRequests.create(
                            accounts,
                            who,
                            request(form),
                            form.getOrDefault("password", ""),
                            ex.clientAddress(),
                            WebPages.BROWSER,
                            () -> pages.requireOtp(who.user(), form.get("otp"), ex.clientAddress()),
                            form.get("otp"));
        } catch (Problem p) {
            return WebPages.refused(
                    p, tokensPage(ex, who, p.kind().status(), sent, p.getMessage()));
        }
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(
                200,
                Templates.render(
                        "accountTokenCreated.jte",
                        new AccountViews.TokenCreated(
                                csrf.token(), issued.secret(), row(issued.record(), who))),
                csrf);
    }

    /** The creation form as a request, validated as npm token create's body is. */
    private Accounts.TokenRequest request(Map<String, String> form) {
        String name = form.getOrDefault("name", "").trim();
        if (name.length() > 128) {
            throw Problem.badRequest("name must be at most 128 characters");
        }
        String permission = form.getOrDefault("permission", "read-only");
        if (!permission.equals("read-only") && !permission.equals("read-write")) {
            throw Problem.badRequest("permission must be read-only or read-write");
        }
        String days = form.getOrDefault("days", "").trim();
        Integer lifetime = null;
        if (!days.isEmpty()) {
            if (days.length() > 6 || !days.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw Problem.badRequest("expires must be a number of days, at least 1");
            }
            lifetime = Integer.parseInt(days);
        }
        return TokenRequests.request(
                name.isEmpty() ? null : name,
                null,
                permission.equals("read-only"),
                words(form, "packages", 214),
                words(form, "scopes", 214),
                false,
                lifetime,
                words(form, "cidrs", 64),
                form.containsKey("bypass2fa"),
                clock);
    }

    /** A field holding a list separated by commas or white space. */
    private static List<String> words(Map<String, String> form, String field, int max) {
        List<String> out = new ArrayList<>();
        for (String w : form.getOrDefault(field, "").split("[\\s,]+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (w.length() > max) {
                throw Problem.badRequest(
                        field + " must hold names of at most " + max + " characters each");
            }
            out.add(w);
        }
        if (out.size() > MAX_LIST) {
            throw Problem.badRequest(field + " must list at most " + MAX_LIST + " entries");
        }
        return out;
    }

    private Reply revoke(Exchange ex, Principal who, Map<String, String> form) {
        String key = ex.param("key");
        if (!key.matches("[0-9a-f]{16}")
                || !accounts.revokeOwn(who.user(), key, ex.clientAddress())) {
            throw Problem.notFound(
                    "you have no token with the key \""
                            + Problem.clip(key)
                            + "\": it may have been revoked already");
        }
        return AccountPages.redirect("/-/web/account/tokens");
    }

    private static AccountViews.Token row(TokenRecord t, Principal who) {
        boolean session = isBrowserSession(t);
        boolean signIn = session || isSignIn(t.limits());
        return new AccountViews.Token(
                t.key(),
                t.name(),
                session ? "browser session" : signIn ? "npm login" : "with limits",
                t.readOnly(),
                signIn ? "everything the account may do" : limits(t.limits()),
                t.cidrs(),
                t.bypass2fa(),
                t.created().toString(),
                t.expires() == null ? null : t.expires().toString(),
                t.lastUsed() == null ? null : t.lastUsed().toString(),
                t.hash().equals(who.tokenHash()));
    }

    /**
     * Whether stored limits are a sign-in's ({@code {}}), not those of a token made with limits.
     */
    private static boolean isSignIn(String limits) {
        return limits == null || limits.isBlank() || limits.equals("{}");
    }

    /** Stored limits in words. */
    private static String limits(String limits) {
        try {
            JsonNode n = JSON.readTree(limits);
            List<String> parts = new ArrayList<>();
            if (!n.path("packages").isEmpty()) {
                parts.add("packages " + join(n.path("packages")));
            }
            if (!n.path("scopes").isEmpty()) {
                parts.add("scopes " + join(n.path("scopes")));
            }
            return parts.isEmpty() ? "all your packages" : String.join("; ", parts);
        } catch (IOException e) {
            return "unreadable limits (the token acts on nothing)";
        }
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return String.join(", ", out);
    }
}
