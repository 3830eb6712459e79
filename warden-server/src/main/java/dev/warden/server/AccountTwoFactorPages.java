package dev.warden.server;

import dev.warden.accounts.Accounts;
import dev.warden.accounts.Principal;
import dev.warden.accounts.SecondFactors;
import dev.warden.common.Problem;
import dev.warden.server.http.Exchange;
import dev.warden.server.http.Reply;
import dev.warden.server.http.Router;

import java.net.URI;
import java.util.Map;

/**
 * Two-factor authentication on the account's pages, through the calls {@code npm profile
 * enable-2fa} and {@code disable-2fa} make ({@link ProfileApi}), with their rules, history and
 * mail: enabling takes the password, shows the secret (as text, otpauth URI and QR code) once, and
 * is confirmed with a code, which shows the recovery codes once; changing the mode and disabling
 * take the password and a one-time password.
 *
 * <p>A pending setup's secret is never shown again: whoever holds only the session cannot read it
 * and finish a setup the person started. Starting again takes the password.
 */
final class AccountTwoFactorPages {

    private static final String TITLE = "Two-factor authentication";
    private static final String PAGE = "/-/web/account/2fa";

    private final AccountPages pages;
    private final WebPages web;
    private final Accounts accounts;

    AccountTwoFactorPages(AccountPages pages, WebPages web, Accounts accounts) {
        this.pages = pages;
        this.web = web;
        this.accounts = accounts;
    }

    void routes(Router r) {
        r.route("GET", PAGE, pages.page(TITLE, (ex, who) -> status(ex, who, 200, null, null)))
                .route("POST", PAGE + "/enable", pages.form(TITLE, this::enable))
                .route("POST", PAGE + "/confirm", pages.form(TITLE, this::confirm))
                .route("POST", PAGE + "/mode", pages.form(TITLE, this::mode))
                .route("POST", PAGE + "/disable", pages.form(TITLE, this::disable));
    }

    /** The page as it stands, with a refusal of {@code form} when there is one. */
    private Reply status(Exchange ex, Principal who, int status, String error, String form) {
        WebPages.Csrf csrf = web.csrf(ex);
        String user = who.user();
        int left =
                accounts.twoFactorRecord(user)
                        .filter(r -> !r.pending())
                        .map(r -> r.recoveryHashes().size())
                        .orElse(0);
        return web.page(
                status,
                Templates.render(
                        "accountTwoFactor.jte",
                        new AccountViews.TwoFactor(
                                csrf.token(), pages.twoFactorState(user), left, error, form)),
                csrf);
    }

    private Reply refused(Exchange ex, Principal who, Problem p, String form) {
        return WebPages.refused(p, status(ex, who, p.kind().status(), p.getMessage(), form));
    }

    private boolean active(String user) {
        return accounts.secondFactors().activeMode(user).isPresent();
    }

    private static String mode(Map<String, String> form) {
        String mode = form.getOrDefault("mode", "");
        if (!mode.equals(SecondFactors.AUTH_ONLY) && !mode.equals(SecondFactors.AUTH_AND_WRITES)) {
            throw Problem.badRequest("two-factor mode must be auth-only or auth-and-writes");
        }
        return mode;
    }

    private Reply enable(Exchange ex, Principal who, Map<String, String> form) {
        String user = who.user();
        String uri;
        String mode;
        try {
            if (active(user)) {
                throw Problem.badRequest(
                        "two-factor authentication is already on: change its mode or turn it off"
                                + " first");
            }
            mode = mode(form);
            accounts.checkPassword(user, form.getOrDefault("password", ""), ex.clientAddress());
            uri = accounts.beginTwoFactor(user, mode, ex.clientAddress());
        } catch (Problem p) {
            return refused(ex, who, p, "enable");
        }
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(
                200,
                Templates.render(
                        "accountTwoFactorSetup.jte",
                        new AccountViews.TwoFactorSetup(
                                csrf.token(), mode, secretOf(uri), uri, QrCodes.of(uri), null)),
                csrf);
    }

    /** The base32 secret of an otpauth URI. */
    private static String secretOf(String otpauth) {
        for (String kv : URI.create(otpauth).getRawQuery().split("&")) {
            if (kv.startsWith("secret=")) {
                return kv.substring("secret=".length());
            }
        }
        throw new IllegalStateException("an otpauth URI without its secret");
    }

    private Reply confirm(Exchange ex, Principal who, Map<String, String> form) {
        String user = who.user();
        java.util.List<String> codes;
        try {
            codes =
                    accounts.confirmTwoFactor(
                            user, form.getOrDefault("code", "").trim(), ex.clientAddress());
        } catch (Problem p) {
            return refused(ex, who, p, "confirm");
        }
        WebPages.Csrf csrf = web.csrf(ex);
        return web.page(
                200,
                Templates.render(
                        "accountRecoveryCodes.jte",
                        new AccountViews.RecoveryCodes(
                                csrf.token(), pages.twoFactorState(user), codes)),
                csrf);
    }

    private Reply mode(Exchange ex, Principal who, Map<String, String> form) {
        String user = who.user();
        try {
            if (!active(user)) {
                throw Problem.badRequest("two-factor authentication is not enabled");
            }
            String mode = mode(form);
            accounts.checkPassword(user, form.getOrDefault("password", ""), ex.clientAddress());
            pages.requireOtp(user, form.get("otp"), ex.clientAddress());
            accounts.switchTwoFactorMode(user, mode, ex.clientAddress());
        } catch (Problem p) {
            return refused(ex, who, p, "mode");
        }
        return AccountPages.redirect(PAGE);
    }

    private Reply disable(Exchange ex, Principal who, Map<String, String> form) {
        String user = who.user();
        try {
            if (accounts.twoFactorRecord(user).isEmpty()) {
                throw Problem.badRequest("two-factor authentication is not enabled");
            }
            accounts.checkPassword(user, form.getOrDefault("password", ""), ex.clientAddress());
            if (active(user)) {
                pages.requireOtp(user, form.get("otp"), ex.clientAddress());
            }
            accounts.disableTwoFactor(user, ex.clientAddress());
        } catch (Problem p) {
            return refused(ex, who, p, "disable");
        }
        return AccountPages.redirect(PAGE);
    }
}
